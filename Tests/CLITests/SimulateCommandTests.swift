import Foundation
import Testing

/// `plantstream simulate` as a process: the same seed gives the same records, Kafka receives every record it
/// reports sent, and a signal stops it with its report.
@Suite struct SimulateCommandTests {
    static let topology = CLIProcess.packageRoot.appendingPathComponent("topology.yaml").path

    @Test func theSameSeedWritesTheSameRecordsToAFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for run in 0..<2 {
            let file = directory.appendingPathComponent("run\(run).jsonl").path
            let outcome = try await CLIProcess.run(
                try CLIProcess.plantstream(),
                [
                    "simulate", "--topology", Self.topology, "--events", "500", "--seed", "7", "--faults",
                    "duplicates=0.05,invalid=0.01", "--output", file,
                ])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.contains("sent 500 records in"), "\(outcome.stdout)")
            files.append(file)
        }
        let first = try String(contentsOfFile: files[0], encoding: .utf8)
        let second = try String(contentsOfFile: files[1], encoding: .utf8)
        #expect(first.split(separator: "\n").count == 500)
        #expect(first == second, "the same options and seed give byte-identical records")
        #expect(first.contains("\"topic\":\"mfg.machine.v1\""))
    }

    @Test func everyRecordReportedSentIsOnTheTopic() async throws {
        let port = try CLIProcess.freePort()
        let broker = try RunningProcess(
            try CLIProcess.plantstream(), ["broker", "--port", "\(port)", "--topic", "mfg.machine.v1:4"])
        _ = try await broker.waitForLine(prefix: "bootstrap.servers=")
        let outcome = try await CLIProcess.run(
            try CLIProcess.plantstream(),
            [
                "simulate", "--topology", Self.topology, "--bootstrap-servers", "127.0.0.1:\(port)", "--types",
                "machine.cycle", "--events", "300",
            ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("delivered 300, failed 0"), "\(outcome.stdout)")
        let consumed = try await CLIProcess.run(
            try CLIProcess.tool("kcat"),
            ["-b", "127.0.0.1:\(port)", "-t", "mfg.machine.v1", "-C", "-e", "-q", "-o", "beginning", "-f", "%k\\n"])
        #expect(consumed.stdout.split(separator: "\n").count == 300)
        #expect(try await broker.stop(signal: SIGTERM) == 0)
    }

    @Test func aSignalStopsAPacedRunWithItsReport() async throws {
        let simulate = try RunningProcess(
            try CLIProcess.plantstream(),
            ["simulate", "--topology", Self.topology, "--dry-run", "--rate", "200"])
        // The progress line comes about once a second on standard error.
        let deadline = ContinuousClock.now + .seconds(30)
        while !simulate.errorOutput.contains(" sent, "), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await simulate.stop(signal: SIGINT) == 0)
        let report = simulate.output.joined(separator: "\n")
        #expect(report.contains("records/s); simulated"), "\(report)")
    }
}
