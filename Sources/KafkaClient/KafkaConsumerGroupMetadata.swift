import CRdKafka

/// A consumer's group metadata (group id, generation, member id), for
/// ``KafkaProducer/sendOffsetsToTransaction(_:groupMetadata:timeout:)``.
public final class KafkaConsumerGroupMetadata: Sendable {
    // Safe: the rd_kafka_consumer_group_metadata_t is immutable after creation; it is owned by this
    // object and destroyed in deinit.
    nonisolated(unsafe) let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// Metadata naming only a group (no generation or member), as librdkafka's
    /// `rd_kafka_consumer_group_metadata_new` makes it: for producers that commit offsets of a group they do
    /// not consume in, and for tests.
    ///
    /// - Parameter groupID: The consumer group.
    public convenience init(groupID: String) {
        // Returns a new object owned by the caller (destroyed in deinit).
        self.init(handle: rd_kafka_consumer_group_metadata_new(groupID)!)
    }

    deinit {
        rd_kafka_consumer_group_metadata_destroy(handle)
    }
}
