import KafkaClient
import Runtime

/// Creates the topics of fixture topologies on the embedded cluster (it has no CreateTopics API).
enum TestTopics {
    /// Creates every topic the fixtures need (shared inputs once).
    ///
    /// - Returns: Partition count per topic.
    static func create(for fixtures: [FixtureTopology], region: String, cluster: KafkaEmbeddedCluster) async throws
        -> [String: Int]
    {
        var counts: [String: Int] = [:]
        for fixture in fixtures {
            let requirements = try await TestKafka.onThread {
                try RuntimePlan.load(
                    RuntimeConfiguration(
                        topologyPath: fixture.path, region: region, bootstrapServers: "127.0.0.1:0",
                        environment: [:])
                ).topicRequirements()
            }
            for requirement in requirements where counts[requirement.name] == nil {
                try cluster.createTopic(requirement.name, partitions: requirement.partitions)
                counts[requirement.name] = requirement.partitions
            }
        }
        return counts
    }
}
