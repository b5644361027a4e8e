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

    deinit {
        rd_kafka_consumer_group_metadata_destroy(handle)
    }
}
