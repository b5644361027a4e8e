import CRdKafka

/// A borrowed view of one consumed record, valid while its ``KafkaRecordBatch`` is (that is, inside
/// the body of ``KafkaConsumer/poll(maxRecords:timeout:onRebalance:_:)``).
///
/// Key, value and header buffers point into librdkafka's fetch buffer: nothing is copied. Copy what
/// must outlive the batch (``KafkaMessage/init(_:)`` copies everything).
public struct KafkaRecord {
    let message: UnsafeMutablePointer<rd_kafka_message_t>
    unowned(unsafe) let names: RDKafkaTopicNameCache

    init(message: UnsafeMutablePointer<rd_kafka_message_t>, names: RDKafkaTopicNameCache) {
        self.message = message
        self.names = names
    }

    /// The topic name (a cached `String`; no allocation per record).
    public var topic: String { names.name(at: topicIndex) }

    /// The topic as a small interned index: records of one consumer have equal indexes exactly when
    /// their topics are equal (for the consumer's lifetime). Comparing indexes compares no strings; see
    /// ``KafkaRecordBatch/topic(ofIndex:)`` for the name.
    @inline(__always)
    public var topicIndex: Int { names.index(of: message.pointee.rkt) }

    /// The partition.
    public var partition: Int32 { message.pointee.partition }

    /// The offset.
    public var offset: Int64 { message.pointee.offset }

    /// The topic and partition.
    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    /// The key bytes, or `nil` for a null key.
    public var key: UnsafeRawBufferPointer? {
        guard let key = message.pointee.key else { return nil }
        return UnsafeRawBufferPointer(start: key, count: message.pointee.key_len)
    }

    /// The value bytes, or `nil` for a null value (a tombstone).
    public var value: UnsafeRawBufferPointer? {
        guard let value = message.pointee.payload else { return nil }
        return UnsafeRawBufferPointer(start: value, count: message.pointee.len)
    }

    /// The record timestamp in milliseconds since the epoch, or `nil` when not available.
    public var timestamp: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let value = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : value
    }

    /// Whether ``timestamp`` was set by the broker on append (`LogAppendTime`) rather than by the
    /// producer (`CreateTime`).
    public var isLogAppendTime: Bool {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        _ = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME
    }

    /// The headers (parsed lazily by librdkafka on first access).
    public var headers: KafkaRecordHeaders {
        var headers: OpaquePointer?
        // The headers list stays owned by the message.
        guard rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR else {
            return KafkaRecordHeaders(headers: nil)
        }
        return KafkaRecordHeaders(headers: headers)
    }
}
