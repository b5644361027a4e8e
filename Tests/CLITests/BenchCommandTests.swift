import Foundation
import Testing

/// `plantstream bench e2e` on small inputs: the shipped flat workload's jobs and a user's topology fed from a
/// records file, each beside the raw pipe on the same records (figures are not asserted, only that every job
/// ran on every record and dead-lettered what it should).
@Suite(.serialized) struct BenchCommandTests {
    /// The table row of `label`, split into its cells.
    static func row(_ output: String, _ label: String) -> [String]? {
        output.split(separator: "\n").first { $0.hasPrefix("| \(label) |") }.map { line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test func theFlatWorkloadsJobsRunBesideThePipe() async throws {
        let outcome = try await CLIProcess.run(
            try CLIProcess.plantstream(),
            [
                "bench", "e2e", "--workload", "flat", "--events", "3000", "--partitions", "8", "--runs", "1",
                "--repository", CLIProcess.packageRoot.path,
            ])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("3000 flat linectl.machine_cycle/v1 events"), "\(outcome.stdout)")
        let pipe = try #require(Self.row(outcome.stdout, "pipe (ceiling)"), "\(outcome.stdout)")
        #expect(pipe[2] == "100 %")
        // The process's CPU without the in-process broker's thread is less than the whole process's.
        #expect(Double(pipe[4]).map { $0 < Double(pipe[3])! } == true, "\(pipe)")
        // 1 % of the events are invalid: dead letters of both jobs (the job checks every valid one is routed).
        let route = try #require(Self.row(outcome.stdout, "A: validate + route"), "\(outcome.stdout)")
        #expect(route.last == "30")
        let window = try #require(Self.row(outcome.stdout, "B: 60 s window"), "\(outcome.stdout)")
        #expect(window.last == "30")
        // The processing thread's CPU per event is measured for the jobs, not for the pipe.
        #expect(pipe[5] == "–")
        #expect(Double(route[5]).map { $0 > 0 } == true, "\(route)")
        // Each job's processing thread by stage.
        for stage in [
            "source machine: decode + validate", "route-cycles › emit", "line-windows › window", "write (producer)",
        ] {
            #expect(outcome.stdout.contains("| \(stage) | "), "\(stage)")
        }
    }

    @Test func theSparkplugWorkloadDecodesEveryMetric() async throws {
        let outcome = try await CLIProcess.run(
            try CLIProcess.plantstream(),
            [
                "bench", "e2e", "--workload", "sparkplug", "--events", "3000", "--partitions", "4", "--runs", "1",
                "--repository", CLIProcess.packageRoot.path,
            ])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("3000 Sparkplug B DDATA messages"), "\(outcome.stdout)")
        // Job A checks it wrote a record per metric (births' and 10 per DDATA); nothing is a dead letter.
        let route = try #require(Self.row(outcome.stdout, "A: validate + route"), "\(outcome.stdout)")
        #expect(route.last == "0")
        let window = try #require(Self.row(outcome.stdout, "B: 60 s window"), "\(outcome.stdout)")
        #expect(window.last == "0")
        for stage in ["metric-windows › changes", "metric-windows › window", "route-metrics › emit"] {
            #expect(outcome.stdout.contains("| \(stage) | "), "\(stage)")
        }
    }

    @Test func anyTopologyRunsOnTheRecordsOfAFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // 200 flat cycles of one work center, one minute apart; every 20th with a negative scrap count.
        var lines: [String] = []
        for index in 0..<200 {
            let minute = index % 60
            let hour = 6 + index / 60
            let scrap = index % 20 == 19 ? -1 : 0
            lines.append(
                "P05|L4|WC04\t{\"plant\":\"P05\",\"line\":\"L4\",\"work_center\":\"WC04\",\"machine\":\"M1\","
                    + "\"event_time\":\"2026-01-05T\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute):00Z\","
                    + "\"good_qty\":3,\"scrap_qty\":\(scrap)}")
        }
        let records = directory.appendingPathComponent("records.txt")
        try (lines.joined(separator: "\n") + "\n").write(to: records, atomically: true, encoding: .utf8)
        let example = CLIProcess.packageRoot.appendingPathComponent("docs/examples/line-controller/topology.yaml").path
        let outcome = try await CLIProcess.run(
            try CLIProcess.plantstream(),
            ["bench", "e2e", "--topology", example, "--region", "plant", "--records", records.path, "--runs", "1"])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("200 records of \(records.path)"), "\(outcome.stdout)")
        #expect(Self.row(outcome.stdout, "pipe (ceiling)") != nil, "\(outcome.stdout)")
        // Both pipelines of the example read the source; an invalid record is one dead letter (validated once).
        let job = try #require(Self.row(outcome.stdout, "topology topology.yaml"), "\(outcome.stdout)")
        #expect(job.last == "10")
    }

    @Test func aTopologyWithSeveralSourcesNeedsTheSourceNamed() async throws {
        let outcome = try await CLIProcess.run(
            try CLIProcess.plantstream(),
            [
                "bench", "e2e", "--topology", CLIProcess.packageRoot.appendingPathComponent("topology.yaml").path,
                "--region", "eu-central", "--events", "100",
            ])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("name the one that receives the input with --source"), "\(outcome.stderr)")
    }
}
