import Foundation
import Testing

/// `plantstream test` as a process: the default topology's tests pass with exit 0; a failing expectation and a
/// mistake in a test file print `file:line:column` and exit 1.
@Suite struct TestCommandTests {
    static var topology: String { CLIProcess.packageRoot.appendingPathComponent("topology.yaml").path }

    @Test func theDefaultTopologysTestsPass() async throws {
        let outcome = try await CLIProcess.run(try CLIProcess.plantstream(), ["test", "--topology", Self.topology])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        let summary = try #require(outcome.stdout.split(separator: "\n").last)
        #expect(summary.contains(" passed, 0 failed"), "\(summary)")
        #expect(outcome.stdout.contains("ok    "))
        #expect(!outcome.stdout.contains("FAIL"))
    }

    @Test func aFailingTestAndABrokenFileExitOneWithPositions() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ps-test-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let failing = directory.appendingPathComponent("failing.yaml").path
        try """
        tests:
          - name: a malformed record is expected as a schema violation
            steps:
              - send: { source: production, key: "DE01|1", text: "not json" }
              - expect: { deadLetters: [SCHEMA_VIOLATION] }
        """.write(toFile: failing, atomically: true, encoding: .utf8)
        let broken = directory.appendingPathComponent("broken.yaml").path
        try """
        tests:
          - name: typo
            steps:
              - sned: { source: production }
        """.write(toFile: broken, atomically: true, encoding: .utf8)
        let outcome = try await CLIProcess.run(
            try CLIProcess.plantstream(), ["test", "--topology", Self.topology, failing, broken])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("FAIL  \(failing): a malformed record is expected as a schema violation"))
        #expect(
            outcome.stdout.contains(
                "\(failing):5:33: dead letters, record 1: header ps_error_code: expected \"SCHEMA_VIOLATION\", got "
                    + "\"MALFORMED_JSON\""), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("\(broken):4:9: error: unknown field 'sned' in a step; did you mean 'send'?"))
        #expect(outcome.stdout.contains("1 tests in 2 files: 0 passed, 1 failed, 1 file not run"))
    }
}
