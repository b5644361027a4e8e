import Testing

@testable import Topology

/// `check` warns when a region's producer cannot carry the largest dead letter a pipeline may write.
@Suite struct RecordSizeLintTests {
    @Test func aProducerLimitBelowMaxBytesPlusHeadersIsAWarningAtTheValidateStep() throws {
        let text = TestSupport.defaultTopologyText.replacingOccurrences(
            of: "      client.id: plantstream-eu-central\n",
            with: "      client.id: plantstream-eu-central\n      message.max.bytes: 500000\n")
        #expect(text != TestSupport.defaultTopologyText)
        let result = TestSupport.loader().lint(text: text, file: "topology.yaml")
        let warnings = result.findings.filter { $0.message.contains("message.max.bytes") }
        #expect(!warnings.isEmpty)
        for warning in warnings {
            #expect(warning.severity == .warning)
            #expect(warning.message.contains("region 'eu-central' produces at most 500000 bytes"))
            #expect(warning.message.contains("lower maxBytes to 434464"))
            let line = TestSupport.defaultTopologyText.split(separator: "\n", omittingEmptySubsequences: false)[
                warning.location.line - 2]  // one line was added above the pipelines
            #expect(line.contains("- validate:"), "\(warning)")
        }
        #expect(!result.findings.contains { $0.severity == .error })
    }

    @Test func theDefaultsFit() throws {
        let result = TestSupport.loader().lint(text: TestSupport.defaultTopologyText, file: "topology.yaml")
        #expect(!result.findings.contains { $0.message.contains("message.max.bytes") })
    }
}
