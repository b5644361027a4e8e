import Testing

@testable import Simulator

@Suite struct FaultConfigurationTests {
    @Test func theDocumentedListParses() throws {
        let faults = try FaultConfiguration(parsing: "duplicates=0.05,out_of_order=120s,late=0.01,invalid=0.001")
        #expect(faults == FaultConfiguration.demo)
        #expect(faults.duplicateShare == 0.05)
        #expect(faults.outOfOrderMaxDelayMs == 120_000)
        #expect(faults.effectiveOutOfOrderShare == 0.02)
        #expect(faults.lateShare == 0.01)
        #expect(faults.lateMinDelayMs == 15 * 60_000 && faults.lateMaxDelayMs == 30 * 60_000)
        #expect(faults.invalidShare == 0.001)
        #expect(faults.isEnabled)
    }

    @Test func everyKeyParses() throws {
        let faults = try FaultConfiguration(
            parsing: " duplicates = 0.1 , duplicate_delay=2s,out_of_order=500ms,out_of_order_share=0.2,late=0.3,"
                + "late_min=20m,late_max=1h,invalid=0.4")
        #expect(faults.duplicateShare == 0.1)
        #expect(faults.duplicateMaxDelayMs == 2000)
        #expect(faults.outOfOrderMaxDelayMs == 500)
        #expect(faults.outOfOrderShare == 0.2)
        #expect(faults.lateShare == 0.3)
        #expect(faults.lateMinDelayMs == 1_200_000 && faults.lateMaxDelayMs == 3_600_000)
        #expect(faults.invalidShare == 0.4)
    }

    @Test func nothingMeansNoFaults() throws {
        #expect(try FaultConfiguration(parsing: "") == .none)
        #expect(!FaultConfiguration.none.isEnabled)
        #expect(FaultConfiguration(outOfOrderShare: 0.5).effectiveOutOfOrderShare == 0)
    }

    @Test(arguments: [
        ("dupes=0.1", "unknown fault 'dupes'"),
        ("duplicates", "is not key=value"),
        ("duplicates=1.5", "between 0 and 1"),
        ("late=-0.1", "between 0 and 1"),
        ("out_of_order=2 minutes", "expected a duration"),
        ("late_min=40m,late_max=30m", "late_min must not exceed late_max"),
        ("duplicates=0.6,late=0.5", "must be ≤ 1"),
    ])
    func mistakesAreExplained(text: String, message: String) {
        #expect {
            try FaultConfiguration(parsing: text)
        } throws: { error in
            guard let error = error as? SimulatorError else { return false }
            return error.code == .invalidOption && error.message.contains(message)
        }
    }
}
