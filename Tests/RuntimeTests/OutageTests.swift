import Foundation
import KafkaClient
import Simulator
import Testing
import Topology

extension RuntimeProcessTests {
    /// `plantstream run --exit-when-idle` and a cluster that goes away: the processor never calls itself caught up
    /// while outputs wait for the cluster, says when the cluster went, and gives up with exit 1 — it does not exit
    /// 0 with the broker gone.
    @Suite struct OutageTests {
        static let region = "eu-central"

        @Test func aClusterThatStaysAwayEndsTheRunWithExitOne() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("outage")
            let fixture = try FixtureTopology(application: "outage", prefix: "o.", directory: directory)
            _ = try await TestTopics.create(for: [fixture], region: Self.region, cluster: cluster)
            let topology = try TopologyLoader(environment: [:]).load(contentsOf: fixture.path)
            let scenario = try PlantScenario.load(topology: topology, directory: directory, region: Self.region)
            var simulator = try PlantSimulator(
                scenario: scenario, configuration: SimulatorConfiguration(seed: 3, holdsPerPlantPerDay: 0))
            let stream = TestKafka.outgoing(simulator.records(count: 3000))
            try await TestKafka.produce(stream, cluster: cluster)
            let process = try ProcessorProcess(
                arguments: ProcessorProcess.arguments(
                    topology: fixture.path, region: Self.region, bootstrap: cluster.bootstrapServers)
                    + ["--exit-when-idle", "2s", "--unreachable-timeout", "8s", "--log-level", "info"])
            // Once processing started, the cluster goes away for good.
            let deadline = ContinuousClock.now + .seconds(60)
            while !process.standardError.contains("partitions assigned") {
                try #require(ContinuousClock.now < deadline, "no assignment: \(process.standardError)")
                try #require(process.exitStatus == nil, "exited: \(process.standardError)")
                try await Task.sleep(for: .milliseconds(20))
            }
            try cluster.setBrokerDown(1)
            let status = try await process.waitForExit(seconds: 90)
            let log = process.standardError
            #expect(status == 1, "\(log)")
            #expect(!log.contains("caught up and idle"), "claimed to be idle with the cluster gone: \(log)")
            #expect(log.contains("cluster unreachable"), "\(log)")
            #expect(log.contains("the cluster has been unreachable for"), "\(log)")
        }
    }
}
