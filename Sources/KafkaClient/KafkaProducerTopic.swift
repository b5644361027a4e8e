import CRdKafka

/// A resolved topic handle for producing without a name lookup per message.
///
/// Obtain one with ``KafkaProducer/topic(_:)``; it keeps its producer's handle alive.
public final class KafkaProducerTopic: Sendable {
    /// The topic name.
    public let name: String
    // rd_kafka_topic_t handles are reference counted and thread-safe; this one is created by
    // rd_kafka_topic_new and destroyed in deinit, before the owning rd_kafka_t (kept by `client`).
    nonisolated(unsafe) let handle: OpaquePointer
    let client: RDKafkaClient

    init(name: String, client: RDKafkaClient) throws(KafkaError) {
        guard let handle = rd_kafka_topic_new(client.handle, name, nil) else {
            throw RDKafkaClient.error(rd_kafka_last_error(), operation: "cannot create topic handle '\(name)'")
        }
        self.name = name
        self.handle = handle
        self.client = client
    }

    deinit {
        rd_kafka_topic_destroy(handle)
    }
}
