/// One consumed record, borrowed from the runtime's buffers.
///
/// The topic and partition are those of the ``PartitionTask`` it is handed to.
///
/// - Important: `key`, `value` and `headers` are valid only during the `process` call; the engine
///   copies what must outlive it (window aggregates, parked postings).
package struct InputRecord {
    /// Offset in the partition.
    package var offset: Int64
    /// Kafka record timestamp (ms); the engine uses event time from the payload instead.
    package var timestamp: Int64
    /// The record key; `nil` for a null key.
    package var key: UnsafeRawBufferPointer?
    /// The record value; `nil` for a tombstone.
    package var value: UnsafeRawBufferPointer?
    /// The record headers.
    package var headers: UnsafeBufferPointer<RecordHeader>

    /// Creates a record view.
    @inlinable
    package init(
        offset: Int64,
        timestamp: Int64,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: UnsafeBufferPointer<RecordHeader> = UnsafeBufferPointer(start: nil, count: 0)
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The value of the first header called `name`, or `nil`.
    @inlinable
    package func header(_ name: StaticString) -> UnsafeRawBufferPointer? {
        for header in headers where header.hasName(name) { return header.value }
        return nil
    }

    /// The value of the first header whose name is these bytes, or `nil`.
    @inlinable
    package func header(named name: [UInt8]) -> UnsafeRawBufferPointer? {
        for header in headers where header.name.elementsEqual(name) { return header.value }
        return nil
    }
}
