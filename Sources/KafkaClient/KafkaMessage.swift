/// An owned copy of a consumed record, for code that keeps records beyond their batch (and for
/// the async API).
public struct KafkaMessage: Sendable, Hashable {
    /// The topic name.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The offset.
    public var offset: Int64
    /// Milliseconds since the epoch, if available.
    public var timestamp: Int64?
    /// The key, or `nil` for a null key.
    public var key: [UInt8]?
    /// The value, or `nil` for a null value.
    public var value: [UInt8]?
    /// The headers in order.
    public var headers: [KafkaHeader]

    /// Creates a message.
    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        timestamp: Int64? = nil,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [KafkaHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// Copies a borrowed record.
    public init(_ record: KafkaRecord) {
        self.init(
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            timestamp: record.timestamp,
            key: record.key.map { Array($0) },
            value: record.value.map { Array($0) },
            headers: record.headers.owned
        )
    }

    /// The value decoded as UTF-8.
    public var valueString: String? { value.map { String(decoding: $0, as: UTF8.self) } }
    /// The key decoded as UTF-8.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
}
