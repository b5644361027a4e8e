/// A topic partition with an offset.
///
/// For commits and stored offsets the offset is the **next** offset to consume (last processed
/// offset + 1), as in Kafka. It may also be one of the logical offsets in ``KafkaOffset``.
public struct KafkaTopicPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// The offset, or a logical offset from ``KafkaOffset``.
    public var offset: Int64
    /// Commit metadata: stored with a committed offset and returned by ``KafkaConsumer/committed(_:timeout:)``
    /// (`nil`: none).
    public var metadata: String?

    /// Creates a topic partition offset.
    public init(topic: String, partition: Int32, offset: Int64, metadata: String? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.metadata = metadata
    }

    /// Creates a topic partition offset from a topic partition.
    public init(_ topicPartition: KafkaTopicPartition, offset: Int64, metadata: String? = nil) {
        self.init(topic: topicPartition.topic, partition: topicPartition.partition, offset: offset, metadata: metadata)
    }

    /// The topic partition without the offset.
    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    public var description: String { "\(topic)[\(partition)]@\(offset)" }
}
