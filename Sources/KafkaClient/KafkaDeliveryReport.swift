/// The outcome of one produced message, correlated by the caller's token.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The token passed to ``KafkaProducer/send(to:partition:key:value:headers:timestamp:token:)``.
    public var token: UInt64
    /// The partition the message went to (or was meant for, on failure).
    public var partition: Int32
    /// The offset assigned by the broker; negative when unknown or on failure.
    public var offset: Int64
    /// The delivery error; `nil` on success.
    public var error: KafkaResponseError?
    /// The topic, on failure only (no allocation per acknowledged record).
    public var failedTopic: String?

    /// Creates a report.
    public init(
        token: UInt64, partition: Int32, offset: Int64, error: KafkaResponseError?, failedTopic: String? = nil
    ) {
        self.token = token
        self.partition = partition
        self.offset = offset
        self.error = error
        self.failedTopic = failedTopic
    }

    /// Whether the message was acknowledged by the broker.
    public var isSuccess: Bool { error == nil }
}
