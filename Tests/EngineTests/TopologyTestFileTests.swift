import Foundation
import JSON
import PlantStreamTesting
import Testing
import Topology

/// Declarative topology tests (`tests/*.yaml`, `plantstream test`): the default topology's shipped tests pass, and a
/// failing expectation or a mistake in a test file is reported at its line and column with what differs.
@Suite struct TopologyTestFileTests {
    static let topology: Topology = {
        // Loaded once: linting the default topology is the slow part.
        try! TopologyLoader(environment: [:]).load(contentsOf: TestPaths.packageRoot + "/topology.yaml")
    }()

    static var runner: TopologyTestRunner {
        TopologyTestRunner(
            topology: topology, schemasDirectory: TestPaths.packageRoot + "/schemas",
            referenceDirectory: TestPaths.packageRoot + "/reference")
    }

    /// Loads and runs YAML text as the file `name`.
    static func run(_ yaml: String, name: String = "fixture.yaml") -> (
        findings: [TopologyFinding], results: [TopologyTestRunner.Result]
    ) {
        let (file, findings) = TopologyTestFileLoader(topology: topology).load(text: yaml, file: name)
        return (findings, file.map(runner.run) ?? [])
    }

    @Test func theDefaultTopologysTestsPass() throws {
        let directory = TestPaths.packageRoot + "/tests"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        var count = 0
        for name in files.sorted() {
            let (file, findings) = TopologyTestFileLoader(topology: Self.topology).load(
                contentsOf: directory + "/" + name)
            #expect(findings.isEmpty, "\(findings)")
            for result in file.map(Self.runner.run) ?? [] {
                count += 1
                #expect(
                    result.passed,
                    "\(name): \(result.name)\n\(result.failures.map(\.description).joined(separator: "\n"))")
            }
        }
        #expect(count >= 3)
    }

    static let report = """
        region: eu-central
        tests:
          - name: one report
            steps:
              - send:
                  source: production
                  key: "DE01|1000121"
                  value:
                    specVersion: mfg/1.0
                    eventId: 0196361c-6a00-7000-8000-000000000101
                    type: operation.reported
                    schemaVersion: 1
                    source: mes://DE01/mes1
                    occurredAt: 2026-04-14T08:01:00Z
                    ingestedAt: 2026-04-14T08:01:00Z
                    plantId: DE01
                    equipment: { enterpriseId: acme, siteId: DE01, areaId: A1, lineId: L1, workCellId: C1, equipmentId: M01 }
                    data:
                      orderId: "1000121"
                      operationId: "0010"
                      sequenceId: "0"
                      workCenterId: WC-CNC01
                      interval: { start: 2026-04-14T07:56:00Z, end: 2026-04-14T08:01:00Z }
                      yield: { value: "6", uom: H87 }
                      scrap: { value: "0", uom: H87 }
                      rework: { value: "0", uom: H87 }
                      activities: []
              - send:
                  source: production
                  key: "DE01|1000121"
                  text: '{"not": "an event"}'
        %@
        """

    @Test func aWrongExpectationFailsAtItsLineWithWhatDiffers() throws {
        let (findings, results) = Self.run(
            Self.report.replacingOccurrences(
                of: "%@",
                with: """
                          - expect:
                              output: erp
                              records:
                                - value: { txnType: production_confirmation }
                          - expect: { deadLetters: [SCHEMA_VIOLATION] }
                    """))
        #expect(findings.isEmpty, "\(findings)")
        let failures = try #require(results.first?.failures)
        // Nothing posted yet (the window is open); the second record's dead letter is there, with another code.
        #expect(failures.count == 2, "\(failures)")
        #expect(failures.first?.location.line == 33)
        #expect(failures.first?.message == "output erp: expected 1 record, got 0")
        #expect(failures.last?.location.line == 36)
        #expect(
            failures.last?.message.hasPrefix(
                "dead letters, record 1: header ps_error_code: expected \"SCHEMA_VIOLATION\", got ") == true)
        #expect(failures.last?.details.last?.contains(#"{"not": "an event"}"#) == true)
    }

    @Test func aDeadLetterTheTestDoesNotExpectFailsIt() throws {
        let (_, results) = Self.run(Self.report.replacingOccurrences(of: "%@", with: ""))
        let failures = try #require(results.first?.failures)
        #expect(failures.count == 1)
        #expect(failures.first?.location.line == 3)
        #expect(failures.first?.message == "1 dead letter the test does not expect")
        #expect(
            failures.first?.details.first?.hasPrefix("key \"DE01|1000121\" INVALID_ENVELOPE: the event needs") == true,
            "\(failures)")
    }

    @Test func valuesMatchAsASubsetOrExactlyInOrderOrAsASet() throws {
        let actual = try JSONValue(parsing: Array(#"{"a":1,"b":{"c":"x","d":[1,2]},"e":4.0}"#.utf8))
        func difference(_ expected: String, exact: Bool = false) throws -> String? {
            TopologyTestRunner.difference(try JSONValue(parsing: Array(expected.utf8)), actual, exact: exact, path: "")
        }
        #expect(try difference(#"{"b":{"c":"x"}}"#) == nil)
        #expect(try difference(#"{"e":4}"#) == nil)
        #expect(try difference(#"{"b":{"c":"y"}}"#) == #"at /b/c: expected "y", got "x""#)
        #expect(try difference(#"{"b":{"d":[1]}}"#) == "at /b/d: expected 1 elements, got 2")
        #expect(try difference(#"{"f":1}"#) == "at /f: expected 1, missing")
        #expect(
            try difference(#"{"a":1,"e":4}"#, exact: true)
                == #"at /b: not expected (match: exact), got {"c":"x","d":[1,2]}"#)
    }

    @Test func mistakesInATestFileAreFindingsWithPositions() {
        let (findings, results) = Self.run(
            """
            region: eu-centrl
            tests:
              - name: wrong names
                steps:
                  - send: { source: productoin, vaule: {} }
                  - advance: soon
                  - expect: { output: erpp, records: [] }
                  - expect: { exceptions: [PARKED], order: random }
            """)
        #expect(results.isEmpty)
        let lines = findings.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(lines.contains { $0.hasPrefix("1:9 region 'eu-centrl' is not in the topology") })
        #expect(lines.contains { $0.hasPrefix("5:37 unknown field 'vaule' in send; did you mean 'value'?") })
        #expect(lines.contains("5:25 no source named 'productoin' in the topology; did you mean 'production'?"))
        #expect(lines.contains("6:18 advance: expected a duration such as 30s or 15m"))
        #expect(lines.contains("7:27 no output named 'erpp' in the topology; did you mean 'erp'?"))
        #expect(lines.contains { $0.hasPrefix("8:48 order must be one of in_order, any, found 'random'") })
    }
}
