import Foundation
import TestHTTP
import Testing

/// `plantstream demo` serves the operations endpoint: a scrape while it runs shows the processing, and it ends
/// with a final summary.
@Suite(.serialized) struct DemoOperationsTests {
    @Test func aDemoRunIsScrapedOverHTTPAndStopsWithAFinalSummary() async throws {
        let httpPort = try CLIProcess.freePort()
        let demo = try RunningProcess(
            try CLIProcess.plantstream(),
            [
                "demo", "--topology", CLIProcess.packageRoot.appendingPathComponent("topology.yaml").path,
                "--port", "0", "--http-port", "\(httpPort)", "--duration", "10m", "--interval", "5",
            ])
        let banner = try await demo.waitForLine(prefix: "Operations: ")
        #expect(banner == "Operations: http://127.0.0.1:\(httpPort)/metrics, /health/live, /health/ready")
        // Once the processor has handled some records, the scrape shows them.
        var samples: [String: Double] = [:]
        // (Other suites may share the two cores: give it time; the demo runs until stopped.)
        let deadline = ContinuousClock.now + .seconds(120)
        while (samples["plantstream_events_in_total"] ?? 0) == 0 {
            try #require(ContinuousClock.now < deadline, "no events in the scrape: \(samples)")
            try await Task.sleep(for: .milliseconds(500))
            guard let response = try? HTTPGet.fetch(port: httpPort, path: "/metrics") else { continue }
            samples = HTTPGet.samples(response.body)
        }
        #expect(samples["plantstream_running"] == 1)
        #expect(samples["plantstream_cluster_reachable"] == 1)
        #expect(try HTTPGet.fetch(port: httpPort, path: "/health/live").body == "live\n")
        // Ctrl-C: the demo stops everything and prints its final summary.
        let status = try await demo.stop(signal: SIGINT, seconds: 90)
        let summary = try await demo.waitForLine(prefix: "Final: ", seconds: 5)
        #expect(summary.contains("records sent"))
        #expect(try await demo.waitForLine(prefix: "  ERP transactions ", seconds: 10).contains("ERP transactions"))
        #expect(try await demo.waitForLine(prefix: "  dead letters ", seconds: 10).contains("dead letters"))
        #expect(status == 0, "\(demo.errorOutput)")
    }
}
