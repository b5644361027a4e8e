/// One record the engine writes, lent to a ``Sink`` for the duration of `send`.
///
/// - Important: `key`, `value` and `headers` point into engine-owned, reused buffers: copy them (the
///   Kafka producer does with `RD_KAFKA_MSG_F_COPY`) before `send` returns.
package struct OutgoingRecord {
    /// Where the record goes.
    package var destination: Destination
    /// An explicit partition (changelogs: the input partition); `nil` = partition by key.
    package var partition: Int32?
    /// The key; `nil` for a null key.
    package var key: UnsafeRawBufferPointer?
    /// The value; `nil` for a tombstone (changelog deletes).
    package var value: UnsafeRawBufferPointer?
    /// Headers to attach.
    package var headers: UnsafeBufferPointer<RecordHeader>
    /// Record timestamp (ms): event-time derived, so replays are identical.
    package var timestamp: Int64
}
