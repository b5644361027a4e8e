/// A record header.
public struct SimulatedHeader: Sendable, Hashable {
    /// The header name (`ce_id`).
    public var name: String
    /// The value bytes.
    public var value: [UInt8]

    /// Creates a header.
    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    /// Creates a header with a UTF-8 text value.
    public init(name: String, text: String) {
        self.name = name
        self.value = Array(text.utf8)
    }

    /// The value as text.
    public var text: String { String(decoding: value, as: UTF8.self) }
}
