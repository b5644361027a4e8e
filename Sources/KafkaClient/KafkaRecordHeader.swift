/// One borrowed header.
public struct KafkaRecordHeader {
    /// The name's UTF-8 bytes.
    public let name: UnsafeRawBufferPointer
    /// The value bytes, or `nil` for a null value.
    public let value: UnsafeRawBufferPointer?

    /// The name as a `String` (allocates).
    public var nameString: String { String(decoding: name, as: UTF8.self) }
    /// The value decoded as UTF-8 (allocates), or `nil`.
    public var stringValue: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}
