/// A snapshot of cluster metadata: brokers, topics and partitions.
public struct KafkaClusterMetadata: Sendable, Hashable {
    /// A broker.
    public struct Broker: Sendable, Hashable {
        /// The broker id.
        public var id: Int32
        /// The advertised host.
        public var host: String
        /// The advertised port.
        public var port: Int
    }

    /// A partition.
    public struct Partition: Sendable, Hashable {
        /// The partition number.
        public var id: Int32
        /// The leader's broker id (-1 when none).
        public var leader: Int32
        /// Replica broker ids.
        public var replicas: [Int32]
        /// In-sync replica broker ids.
        public var inSyncReplicas: [Int32]
        /// The partition's error, if the broker reported one.
        public var error: KafkaResponseError?
    }

    /// A topic.
    public struct Topic: Sendable, Hashable {
        /// The topic name.
        public var name: String
        /// The partitions, ordered by id.
        public var partitions: [Partition]
        /// The topic's error (e.g. unknown topic), if any.
        public var error: KafkaResponseError?
    }

    /// The brokers.
    public var brokers: [Broker]
    /// The topics, sorted by name.
    public var topics: [Topic]

    /// The topic with the given name.
    public func topic(named name: String) -> Topic? { topics.first { $0.name == name } }
}
