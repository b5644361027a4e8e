/// A topic to create with ``KafkaAdmin/createTopics(_:timeout:ignoreExisting:)``.
public struct KafkaNewTopic: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// The partition count.
    public var partitions: Int
    /// Replicas per partition; -1 for the broker default.
    public var replicationFactor: Int
    /// Topic configs, e.g. `["cleanup.policy": "compact"]`.
    public var configs: [String: String]

    /// Describes a topic to create.
    public init(name: String, partitions: Int, replicationFactor: Int = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}
