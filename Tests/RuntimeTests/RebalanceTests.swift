import Foundation
import KafkaClient
import Runtime
import Simulator
import Testing
import Topology

extension RuntimeProcessTests {
    /// A second instance joins the group halfway through a stream (cooperative rebalance: the first revokes
    /// some partitions after flushing and committing them, the second restores their state from the
    /// changelogs) and the first leaves before the end (the second takes over the rest): together they write
    /// what one uninterrupted instance writes.
    @Suite struct RebalanceTests {
        static let region = "eu-central"

        @Test func instancesJoiningAndLeavingGiveTheUninterruptedOutputs() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("rebalance")
            let single = try FixtureTopology(application: "rebalance-one", prefix: "o.", directory: directory)
            let shared = try FixtureTopology(application: "rebalance-two", prefix: "t.", directory: directory)
            let partitions = try await TestTopics.create(for: [single, shared], region: Self.region, cluster: cluster)
            let topology = try TopologyLoader(environment: [:]).load(contentsOf: single.path)
            let scenario = try PlantScenario.load(topology: topology, directory: directory, region: Self.region)
            var simulator = try PlantSimulator(
                scenario: scenario,
                configuration: SimulatorConfiguration(
                    seed: 5, holdsPerPlantPerDay: 0,
                    faults: FaultConfiguration(duplicateShare: 0.05, outOfOrderMaxDelayMs: 60_000, lateShare: 0.01)))
            let stream = TestKafka.outgoing(simulator.records(count: 9000))
            let inputs = partitions.filter { topology.sources.map(\.topic).contains($0.key) }
            let group = "rebalance-two-\(Self.region)"

            // First third: instance A alone.
            try await TestKafka.produce(Array(stream[..<3000]), cluster: cluster)
            let first = try ProcessorProcess(
                arguments: ProcessorProcess.arguments(
                    topology: shared.path, region: Self.region, bootstrap: cluster.bootstrapServers)
                    + ["--instance-id", "a", "--log-level", "info"])
            try await Self.waitForCommits(group: group, atLeast: 3000, inputs: inputs, cluster: cluster, process: first)

            // Instance B joins; once it owns partitions, the second third arrives.
            let second = try ProcessorProcess(
                arguments: ProcessorProcess.arguments(
                    topology: shared.path, region: Self.region, bootstrap: cluster.bootstrapServers)
                    + ["--instance-id", "b", "--log-level", "info", "--exit-when-idle", "10s"])
            let deadline = ContinuousClock.now + .seconds(40)
            // (A cooperative rebalance first gives the new member nothing, then the partitions A revoked.)
            // (Its first partitions may be of the foreign sources, which get no records here.)
            while !second.standardError.split(separator: "\n").contains(where: {
                $0.contains("partitions=") && $0.contains("mfg.") && !$0.contains("revoked")
            }) {
                try #require(ContinuousClock.now < deadline, "B got no partitions: \(second.standardError)")
                try #require(second.exitStatus == nil, "B exited: \(second.standardError)\nA: \(first.standardError)")
                try await Task.sleep(for: .milliseconds(50))
            }
            try await TestKafka.produce(Array(stream[3000..<6000]), cluster: cluster)
            try await Self.waitForCommits(group: group, atLeast: 6000, inputs: inputs, cluster: cluster, process: first)

            // A leaves (SIGTERM); B takes over its partitions for the last third.
            first.terminate()
            #expect(try await first.waitForExit(seconds: 30) == 0, "A: \(first.standardError)")
            try await TestKafka.produce(Array(stream[6000...]), cluster: cluster)
            async let alone = ProcessorProcess.runToIdle(
                topology: single.path, region: Self.region, bootstrap: cluster.bootstrapServers)
            let secondStatus = try await second.waitForExit(seconds: 50)
            let aloneOutcome = try await alone
            #expect(secondStatus == 0, "B: \(second.standardError)")
            #expect(aloneOutcome.status == 0, "single: \(aloneOutcome.stderr)")
            #expect(first.standardError.contains("partitions revoked"), "A never revoked: \(first.standardError)")
            #expect(second.standardError.contains("restored state"), "B restored nothing: \(second.standardError)")

            for name in ["erp.txn.v1", "erp.txn.exception.v1", "mfg.oee.v1", "mfg.dlq.v1"] {
                let expected = try await TestKafka.readAll([single.topic(name)], cluster: cluster)
                let actual = try await TestKafka.readAll([shared.topic(name)], cluster: cluster)
                if name == "erp.txn.v1" { #expect(expected.count > 50) }
                var byKey: [String: Set<String>] = [:]
                for record in actual {
                    byKey[RestartTests.identity(record), default: []].insert(RestartTests.content(record))
                }
                #expect(byKey.allSatisfy { $0.value.count == 1 }, "\(name): an idempotency key with two contents")
                let actualSet = Set(actual.map(RestartTests.content))
                let expectedSet = Set(expected.map(RestartTests.content))
                #expect(
                    actualSet == expectedSet,
                    "\(name): missing \(expectedSet.subtracting(actualSet).count), extra \(actualSet.subtracting(expectedSet).count)"
                )
            }
        }

        static func waitForCommits(
            group: String, atLeast count: Int64, inputs: [String: Int], cluster: KafkaEmbeddedCluster,
            process: ProcessorProcess
        ) async throws {
            let deadline = ContinuousClock.now + .seconds(40)
            while try await TestKafka.committedTotal(group: group, topics: inputs, cluster: cluster) < count {
                try #require(process.exitStatus == nil, "the processor exited: \(process.standardError)")
                try #require(ContinuousClock.now < deadline, "not committed in time: \(process.standardError)")
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
