import Foundation
import KafkaClient
import Runtime
import Simulator
import Testing
import Topology

/// `guarantee: exactly_once`: outputs, dead letters, exceptions and changelog records are written in Kafka
/// transactions that also carry the input offsets.
///
/// On the embedded broker (librdkafka 2.0.2's mock) aborted records stay visible and the offsets sent to a
/// transaction are discarded (see the Kafka client's transaction tests), so what is checked is what the ERP
/// needs: the same transactions as an at-least-once run, and never one idempotency key with two contents.
extension RuntimeProcessTests {
    @Suite struct ExactlyOnceTests {
        static let region = "eu-central"

        @Test func transactionalRunWritesTheSameTransactionsAsAtLeastOnce() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("eos")
            let reference = try FixtureTopology(application: "eos-alos", prefix: "a.", directory: directory)
            let transactional = try FixtureTopology(application: "eos-txn", prefix: "t.", directory: directory)
            _ = try await TestTopics.create(for: [reference, transactional], region: Self.region, cluster: cluster)
            let topology = try TopologyLoader(environment: [:]).load(contentsOf: reference.path)
            let scenario = try PlantScenario.load(topology: topology, directory: directory, region: Self.region)
            var simulator = try PlantSimulator(
                scenario: scenario,
                configuration: SimulatorConfiguration(
                    seed: 9, holdsPerPlantPerDay: 0,
                    faults: FaultConfiguration(duplicateShare: 0.05, lateShare: 0.01, invalidShare: 0.002)))
            try await TestKafka.produce(
                TestKafka.outgoing(simulator.records(count: 6000)), cluster: cluster)

            async let plain = ProcessorProcess.runToIdle(
                topology: reference.path, region: Self.region, bootstrap: cluster.bootstrapServers)
            async let exactlyOnce = ProcessorProcess.runToIdle(
                topology: transactional.path, region: Self.region, bootstrap: cluster.bootstrapServers,
                environment: ["PLANTSTREAM_GUARANTEE": "exactly_once"])
            let (plainOutcome, transactionalOutcome) = try await (plain, exactlyOnce)
            #expect(plainOutcome.status == 0, "\(plainOutcome.stderr)")
            #expect(transactionalOutcome.status == 0, "\(transactionalOutcome.stderr)")
            #expect(transactionalOutcome.stderr.contains("exactly_once"))

            for name in ["erp.txn.v1", "erp.txn.exception.v1", "mfg.oee.v1", "mfg.dlq.v1"] {
                let expected = try await TestKafka.readAll([reference.topic(name)], cluster: cluster)
                let actual = try await TestKafka.readAll([transactional.topic(name)], cluster: cluster)
                if name == "erp.txn.v1" { #expect(expected.count > 50) }
                var byKey: [String: Set<String>] = [:]
                for record in actual {
                    byKey[RuntimeProcessTests.RestartTests.identity(record), default: []].insert(
                        RuntimeProcessTests.RestartTests.content(record))
                }
                #expect(byKey.allSatisfy { $0.value.count == 1 }, "\(name): an idempotency key with two contents")
                #expect(
                    Set(actual.map(RuntimeProcessTests.RestartTests.content))
                        == Set(expected.map(RuntimeProcessTests.RestartTests.content)), "\(name)")
            }
        }
    }
}
