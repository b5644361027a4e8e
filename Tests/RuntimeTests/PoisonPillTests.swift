import Foundation
import KafkaClient
import Simulator
import Testing
import Topology

extension RuntimeProcessTests {
    /// Input no producer would ever refuse in the engine's place: a schema-invalid event just under `maxBytes`, a
    /// 1.2 MB one over it and a 10 MiB binary payload. Each becomes a dead letter the producer accepts (the large
    /// ones cut, with their size and digest) and the processor goes on with the next records.
    @Suite struct PoisonPillTests {
        static let region = "eu-central"

        static func partition(of key: [UInt8]) -> Int32 {
            KafkaPartitioner.partition(forKey: key, partitionCount: 12)
        }

        @Test func hugeRecordsAreDeadLetteredAndProcessingGoesOn() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("poison")
            let fixture = try FixtureTopology(application: "poison", prefix: "p.", directory: directory)
            _ = try await TestTopics.create(for: [fixture], region: Self.region, cluster: cluster)
            let topology = try TopologyLoader(environment: [:]).load(contentsOf: fixture.path)
            let scenario = try PlantScenario.load(topology: topology, directory: directory, region: Self.region)
            var simulator = try PlantSimulator(
                scenario: scenario, configuration: SimulatorConfiguration(seed: 9, holdsPerPlantPerDay: 0))
            let stream = TestKafka.outgoing(simulator.records(count: 1200))
            let invalid: (Int) -> [UInt8] = { size in
                let head = #"{"type":"operation.reported","schemaVersion":1,"padding":""#
                return Array((head + String(repeating: "x", count: size - head.utf8.count - 2) + "\"}").utf8)
            }
            // The 10 MiB record goes to a partition nothing else uses: appending a batch over the embedded broker's
            // 5 MiB per partition to a partition that holds records drops them all, itself included (a limit of
            // librdkafka 2.0.2's mock, not of Kafka).
            let used = Set(
                stream.filter { $0.topic == "mfg.production.v1" }.map { Self.partition(of: $0.key) }
                    + [Self.partition(of: Array("POISON|under-max-bytes".utf8))]
                    + [Self.partition(of: Array("POISON|over-max-bytes".utf8))])
            let bigKey = try #require(
                (0..<1000).map { "POISON|ten-mebibytes-\($0)" }.first {
                    !used.contains(Self.partition(of: Array($0.utf8)))
                },
                "every production partition is in use")
            let pills: [(key: String, value: [UInt8])] = [
                ("POISON|under-max-bytes", invalid(880_000)),
                ("POISON|over-max-bytes", invalid(1_200_000)),
                (bigKey, [UInt8](repeating: 0xA5, count: 10 << 20)),
            ]

            try await TestKafka.produce(Array(stream[..<600]), cluster: cluster)
            let process = try ProcessorProcess(
                arguments: ProcessorProcess.arguments(
                    topology: fixture.path, region: Self.region, bootstrap: cluster.bootstrapServers)
                    + ["--exit-when-idle", "6s", "--log-level", "info"])
            func send(_ pill: (key: String, value: [UInt8])) async throws {
                try await TestKafka.produce(
                    [TestKafka.Outgoing(topic: "mfg.production.v1", key: Array(pill.key.utf8), value: pill.value)],
                    cluster: cluster, producerProperties: ["message.max.bytes": "20000000"])
            }
            try await send(pills[0])
            try await send(pills[1])
            try await TestKafka.produce(Array(stream[600...]), cluster: cluster)
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                let poisoned = try await TestKafka.readAll([fixture.topic("mfg.dlq.v1")], cluster: cluster).filter {
                    $0.keyString.hasPrefix("POISON|")
                }
                let behind = try await TestKafka.partitionsBehind(
                    group: "poison-\(Self.region)", topics: ["mfg.production.v1": 12], cluster: cluster)
                if poisoned.count == 2 && behind.isEmpty { break }
                try #require(ContinuousClock.now < deadline, "the first two were not dead-lettered: \(behind)")
                try #require(process.exitStatus == nil, "\(process.standardError)")
                try await Task.sleep(for: .milliseconds(100))
            }
            try await send(pills[2])
            let status = try await process.waitForExit(seconds: 120)
            #expect(status == 0, "\(process.standardError)")
            #expect(!process.standardError.contains("processing stopped"))

            let letters = try await TestKafka.readAll([fixture.topic("mfg.dlq.v1")], cluster: cluster)
            func letter(_ key: String) -> ReadRecord? { letters.first { $0.keyString == key } }
            let under = try #require(letter("POISON|under-max-bytes"), "\(letters.map(\.keyString))")
            #expect(under.header("ps_error_code") == "SCHEMA_VIOLATION")
            #expect(under.value == pills[0].value, "a dead letter that fits keeps every byte")
            for (pill, code) in [(pills[1], "RECORD_TOO_LARGE"), (pills[2], "RECORD_TOO_LARGE")] {
                let cut = try #require(letter(pill.key))
                #expect(cut.header("ps_error_code") == "RECORD_TOO_LARGE")
                #expect(cut.header("ps_original_size") == String(pill.value.count))
                #expect(cut.header("ps_original_topic") == fixture.topic("mfg.dlq.v1"))
                #expect(cut.header("ps_source_topic") == "mfg.production.v1")
                #expect(cut.header("ps_original_sha256")?.count == 64)
                let kept = try #require(cut.value)
                #expect(kept.count > 900_000 && kept.count < 1_000_000, "\(kept.count)")
                #expect(Array(pill.value.prefix(kept.count)) == kept)
                #expect(cut.header("ps_original_error_code") == code, "over validate's maxBytes")
            }
            // Every record was processed — the pills and the records after them — and committed.
            #expect(
                process.standardError.contains("eventsIn=\(stream.count + pills.count)"), "\(process.standardError)")
            #expect(process.standardError.contains("caught up and idle"))
            let behind = try await TestKafka.partitionsBehind(
                group: "poison-\(Self.region)", topics: ["mfg.production.v1": 12], cluster: cluster)
            #expect(behind.isEmpty, "\(behind)")
        }
    }
}
