import Foundation
import JSON
import KafkaClient
import Runtime
import Simulator
import Testing
import Topology

/// A processor stopped with SIGTERM halfway through a simulated stream and restarted resumes its windows from
/// the restored state: the union of its outputs equals an uninterrupted run's.
extension RuntimeProcessTests {
    @Suite struct RestartTests {
        static let region = "eu-central"

        @Test func sigtermHalfwayAndRestartGiveTheUninterruptedOutputs() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("restart")
            let uninterrupted = try FixtureTopology(application: "restart-u", prefix: "u.", directory: directory)
            let restarted = try FixtureTopology(application: "restart-r", prefix: "r.", directory: directory)
            let partitions = try await TestTopics.create(
                for: [uninterrupted, restarted], region: Self.region, cluster: cluster)

            // A deterministic stream of about two plant hours with duplicates, out-of-order, late and invalid
            // events; no quality holds, so no output depends on the order in which partitions are processed.
            let topology = try TopologyLoader(environment: [:]).load(contentsOf: uninterrupted.path)
            let scenario = try PlantScenario.load(topology: topology, directory: directory, region: Self.region)
            var simulator = try PlantSimulator(
                scenario: scenario,
                configuration: SimulatorConfiguration(
                    seed: 42, holdsPerPlantPerDay: 0,
                    faults: FaultConfiguration(
                        duplicateShare: 0.05, outOfOrderMaxDelayMs: 120_000, lateShare: 0.01, invalidShare: 0.002)))
            let stream = TestKafka.outgoing(simulator.records(count: 10_000))
            let half = stream.count / 2
            let inputs = partitions.filter { topology.sources.map(\.topic).contains($0.key) }

            // First half, then SIGTERM once a third of it is committed (possibly while the rest is processed).
            try await TestKafka.produce(Array(stream[..<half]), cluster: cluster)
            let first = try ProcessorProcess(
                arguments: ProcessorProcess.arguments(
                    topology: restarted.path, region: Self.region, bootstrap: cluster.bootstrapServers))
            let deadline = ContinuousClock.now + .seconds(40)
            while try await TestKafka.committedTotal(
                group: "restart-r-\(Self.region)", topics: inputs, cluster: cluster)
                < Int64(half / 3)
            {
                try #require(first.exitStatus == nil, "the processor exited early: \(first.standardError)")
                try #require(ContinuousClock.now < deadline, "nothing committed in time: \(first.standardError)")
                try await Task.sleep(for: .milliseconds(50))
            }
            first.terminate()
            let stopped = try await first.waitForExit(seconds: 30)
            #expect(stopped == 0, "SIGTERM: \(first.standardError)")

            // Second half; the restarted processor and the uninterrupted one run side by side.
            try await TestKafka.produce(Array(stream[half...]), cluster: cluster)
            async let resumed = ProcessorProcess.runToIdle(
                topology: restarted.path, region: Self.region, bootstrap: cluster.bootstrapServers)
            async let whole = ProcessorProcess.runToIdle(
                topology: uninterrupted.path, region: Self.region, bootstrap: cluster.bootstrapServers)
            let (resumedOutcome, wholeOutcome) = try await (resumed, whole)
            #expect(resumedOutcome.status == 0, "restart: \(resumedOutcome.stderr)")
            #expect(wholeOutcome.status == 0, "uninterrupted: \(wholeOutcome.stderr)")
            #expect(resumedOutcome.stderr.contains("restored state"), "the restart restored nothing")

            for name in ["erp.txn.v1", "erp.txn.exception.v1", "mfg.oee.v1", "mfg.dlq.v1"] {
                let expected = try await TestKafka.readAll([uninterrupted.topic(name)], cluster: cluster)
                let actual = try await TestKafka.readAll([restarted.topic(name)], cluster: cluster)
                if name == "erp.txn.v1" { #expect(expected.count > 100, "too few transactions to mean anything") }
                let expectedSet = Set(expected.map(Self.content))
                #expect(expectedSet.count == expected.count, "\(name): the uninterrupted run repeated a record")
                // At-least-once may repeat a record, but only with the same idempotency key and the same content.
                var byKey: [String: Set<String>] = [:]
                for record in actual { byKey[Self.identity(record), default: []].insert(Self.content(record)) }
                let conflicting = byKey.filter { $0.value.count > 1 }
                #expect(
                    conflicting.isEmpty,
                    "\(name): one idempotency key with different content: \(conflicting.keys.sorted())"
                )
                let actualSet = Set(actual.map(Self.content))
                #expect(
                    actualSet == expectedSet,
                    "\(name): missing \(expectedSet.subtracting(actualSet).count), extra \(actualSet.subtracting(expectedSet).count)"
                )
            }
        }

        /// The record's idempotency key (ERP, exceptions, analytics), or for dead letters its source position.
        static func identity(_ record: ReadRecord) -> String {
            if let value = record.value, let json = try? JSONValue(parsing: value),
                case .string(let key)? = json["idempotencyKey"]
            {
                return key
            }
            return
                "\(record.header("ps_source_topic") ?? "")/\(record.header("ps_source_partition") ?? "")/\(record.header("ps_source_offset") ?? "")/\(record.header("ps_pipeline") ?? "")"
        }

        /// Key, value and reason headers.
        static func content(_ record: ReadRecord) -> String {
            let headers = record.headers.filter { $0.name.hasPrefix("ps_") }.map {
                "\($0.name)=\($0.stringValue ?? "")"
            }
            .sorted()
            return "\(record.keyString)\u{1}\(record.valueString)\u{1}\(headers.joined(separator: ","))"
        }
    }
}
