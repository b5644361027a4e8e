/// One record the engine writes, lent to a ``Sink`` for the duration of `send`.
///
/// - Important: `key`, `value` and `headers` point into engine-owned, reused buffers: copy them (the
///   Kafka producer does with `RD_KAFKA_MSG_F_COPY`) before `send` returns.
public struct OutgoingRecord {
    /// Where the record goes.
    public var destination: Destination
    /// An explicit partition (changelogs: the input partition); `nil` = partition by key.
    public var partition: Int32?
    /// The key; `nil` for a null key.
    public var key: UnsafeRawBufferPointer?
    /// The value; `nil` for a tombstone (changelog deletes).
    public var value: UnsafeRawBufferPointer?
    /// Headers to attach.
    public var headers: UnsafeBufferPointer<RecordHeader>
    /// Record timestamp (ms): event-time derived, so replays are identical.
    public var timestamp: Int64
}
