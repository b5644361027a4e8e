/// An owned record header.
public struct KafkaHeader: Sendable, Hashable {
    /// The header name.
    public var name: String
    /// The header value; `nil` for a null value.
    public var value: [UInt8]?

    /// Creates a header with a byte value.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// Creates a header with a UTF-8 string value.
    public init(name: String, string: String) {
        self.name = name
        self.value = Array(string.utf8)
    }

    /// The value decoded as UTF-8, if present.
    public var stringValue: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}
