import Foundation
import KafkaClient
import Testing

@Suite(.serialized) struct BrokerCommandTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func kcatProducesAndConsumesThroughTheBrokerThenASignalStopsItWithExitZero(signal: Int32) async throws {
        let port = try CLIProcess.freePort()
        let broker = try RunningProcess(
            try CLIProcess.plantstream(),
            ["broker", "--port", "\(port)", "--brokers", "2", "--topic", "cli-events:3", "--topic", "other"]
        )
        let bootstrapLine = try await broker.waitForLine(prefix: "bootstrap.servers=")
        #expect(bootstrapLine == "bootstrap.servers=127.0.0.1:\(port)")

        let kcat = try CLIProcess.tool("kcat")
        let records = (0..<100).map { "key-\($0):value-\($0)" }
        let produced = try await CLIProcess.run(
            kcat,
            ["-b", "127.0.0.1:\(port)", "-t", "cli-events", "-K:", "-P"],
            input: records.joined(separator: "\n") + "\n"
        )
        #expect(produced.status == 0, "kcat -P failed: \(produced.stderr)")

        let consumed = try await CLIProcess.run(
            kcat,
            ["-b", "127.0.0.1:\(port)", "-t", "cli-events", "-C", "-e", "-q", "-o", "beginning", "-f", "%k:%s\\n"]
        )
        #expect(consumed.status == 0, "kcat -C failed: \(consumed.stderr)")
        #expect(Set(consumed.stdout.split(separator: "\n").map(String.init)) == Set(records))

        let metadata = try await CLIProcess.run(kcat, ["-b", "127.0.0.1:\(port)", "-L"])
        #expect(metadata.stdout.contains("topic \"cli-events\" with 3 partitions"))
        #expect(metadata.stdout.contains("topic \"other\" with 1 partitions"))
        #expect(metadata.stdout.contains("2 brokers"))

        #expect(try await broker.stop(signal: signal) == 0)
    }

    @Test func aPortInUseExitsOneWithAClearMessage() async throws {
        let cluster = try KafkaEmbeddedCluster()
        let occupied = try cluster.listen(port: 0)
        defer { occupied.close() }
        let outcome = try await CLIProcess.run(try CLIProcess.plantstream(), ["broker", "--port", "\(occupied.port)"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("port \(occupied.port) on 127.0.0.1 is already in use"))
    }

    @Test(arguments: [
        (["broker", "--topic", "bad name:2"], "expected NAME:PARTITIONS"),
        (["broker", "--topic", "events:0"], "PARTITIONS must be a number from 1 to 10000"),
        (["broker", "--brokers", "0"], "--brokers must be 1…64"),
        (["broker", "--port", "70000"], "--port must be 0…65535"),
    ])
    func invalidArgumentsAreRejectedBeforeStarting(arguments: [String], message: String) async throws {
        let outcome = try await CLIProcess.run(try CLIProcess.plantstream(), arguments)
        // Usage errors exit 2 (see PlantStreamCommand).
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }
}
