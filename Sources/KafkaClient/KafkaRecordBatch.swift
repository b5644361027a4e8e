import CRdKafka

/// The records returned by one poll, in fetch order (ordered within each partition).
///
/// - Important: A borrowed view: it and every ``KafkaRecord`` from it are valid only inside the
///   poll body that received them; the messages are destroyed when the body returns.
public struct KafkaRecordBatch: RandomAccessCollection {
    let messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    unowned(unsafe) let names: RDKafkaTopicNameCache
    /// Consumer errors reported by librdkafka during the poll (e.g. an unknown topic, a broker
    /// transport error); they are also logged. Empty almost always.
    public let errors: [KafkaError]
    public let endIndex: Int

    init(
        messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>,
        count: Int,
        names: RDKafkaTopicNameCache,
        errors: [KafkaError]
    ) {
        self.messages = messages
        self.endIndex = count
        self.names = names
        self.errors = errors
    }

    public var startIndex: Int { 0 }

    /// The record at `index`.
    @inline(__always)
    public subscript(index: Int) -> KafkaRecord {
        KafkaRecord(message: messages[index]!, names: names)
    }

    /// The topic name of an interned topic index (``KafkaRecord/topicIndex``).
    ///
    /// - Parameter index: A `topicIndex` of a record of this consumer.
    /// - Returns: The topic name (cached; no allocation).
    public func topic(ofIndex index: Int) -> String { names.name(at: index) }
}
