/// A borrowed record header to produce: name and value bytes owned by the caller, valid only during the
/// `send` that lends them (librdkafka copies them).
public struct KafkaHeaderView {
    /// The header name (UTF-8, no terminating NUL).
    public var name: UnsafeRawBufferPointer
    /// The header value; `nil` for a null value.
    public var value: UnsafeRawBufferPointer?

    /// Creates a header view.
    public init(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) {
        self.name = name
        self.value = value
    }
}
