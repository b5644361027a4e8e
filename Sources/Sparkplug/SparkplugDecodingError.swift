/// A Sparkplug B payload or topic that cannot be read: what is wrong and where.
public struct SparkplugDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte offset in the payload (`-1` for topics).
    public var offset: Int
    /// What is wrong.
    public var message: String

    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { offset >= 0 ? "byte \(offset): \(message)" : message }
}
