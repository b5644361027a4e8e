import Foundation
import Testing

/// The README's "Your plant's JSON, end to end", run as written: the example topology, the records the README
/// shows, `broker --topology`, `run`, and kcat reading the outputs.
@Suite(.serialized) struct ForeignSourceWalkthroughTests {
    /// The records of the README's `printf` (key|value), so the README cannot drift from what is tested.
    static func readmeRecords() throws -> [String] {
        let readme = try String(
            contentsOf: CLIProcess.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let records = readme.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("'P05/L4/WC04|"), let end = text.lastIndex(of: "'"), end > text.startIndex else {
                return nil
            }
            return String(text[text.index(after: text.startIndex)..<end])
        }
        return records
    }

    @Test func theREADMEsForeignSourceExampleRunsOnTheEmbeddedBroker() async throws {
        let records = try Self.readmeRecords()
        try #require(records.count == 3, "the README's walkthrough lost its records")
        let example = CLIProcess.packageRoot.appendingPathComponent("docs/examples/line-controller/topology.yaml").path
        let plantstream = try CLIProcess.plantstream()
        let check = try await CLIProcess.run(plantstream, ["check", "--topology", example])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let port = try CLIProcess.freePort()
        let broker = try RunningProcess(plantstream, ["broker", "--port", "\(port)", "--topology", example])
        let topics = try await broker.waitForLine(prefix: "topics: ")
        #expect(
            topics == "topics: linectl.cycles:3 plant.cycles.v1:3 plant.cycle_totals.v1:3 plant.dlq.v1:1 "
                + "line-controller-plant-totals-window-changelog:3")
        let bootstrap = "127.0.0.1:\(port)"
        let kcat = try CLIProcess.tool("kcat")
        let produced = try await CLIProcess.run(
            kcat, ["-b", bootstrap, "-t", "linectl.cycles", "-K|", "-P"], input: records.joined(separator: "\n") + "\n")
        #expect(produced.status == 0, "\(produced.stderr)")
        let run = try await CLIProcess.run(
            plantstream,
            [
                "run", "--topology", example, "--region", "plant", "--bootstrap-servers", bootstrap,
                "--exit-when-idle", "3s",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        func read(_ topic: String, _ format: String) async throws -> [String] {
            let outcome = try await CLIProcess.run(
                kcat, ["-b", bootstrap, "-t", topic, "-C", "-e", "-q", "-f", format])
            return outcome.stdout.split(separator: "\n").map(String.init)
        }
        let values = records.map { String($0.drop { $0 != "|" }.dropFirst()) }
        // The valid records, byte for byte (one key: one partition, in order).
        #expect(try await read("plant.cycles.v1", "%k %s\\n") == [values[0], values[2]].map { "P05/L4/WC04 " + $0 })
        #expect(
            try await read("plant.cycle_totals.v1", "%k %s\\n") == [
                #"P05|L4|WC04 {"plant":"P05","line":"L4","work_center":"WC04","window_start":"2026-01-05T06:00:00.000Z","#
                    + #""window_end":"2026-01-05T06:01:00.000Z","good_qty":1,"scrap_qty":0,"cycles":1}"#
            ])
        let letters = try await read("plant.dlq.v1", "%h\\n%s\\n")
        #expect(letters.count == 2)
        #expect(letters.first?.contains("ps_error_code=SCHEMA_VIOLATION,ps_error_path=/good_qty") == true)
        #expect(letters.last == values[1])
        #expect(try await broker.stop(signal: SIGTERM) == 0)
    }
}
