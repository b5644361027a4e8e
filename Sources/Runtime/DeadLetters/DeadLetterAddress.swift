/// Where a dead letter is: its dead-letter topic, partition and offset, written `topic/partition/offset`
/// (the form of the `ps_replayed_from` header and of `plantstream dlq list`).
public struct DeadLetterAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The dead-letter topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The offset.
    public var offset: Int64

    /// Creates an address.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// Parses `topic/partition/offset`.
    ///
    /// - Parameter text: The address; topic names cannot contain `/`.
    /// - Returns: `nil` when the text is not of that form.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let partition = Int32(parts[1]), partition >= 0,
            let offset = Int64(parts[2]), offset >= 0
        else { return nil }
        self.init(topic: String(parts[0]), partition: partition, offset: offset)
    }

    public var description: String { "\(topic)/\(partition)/\(offset)" }

    public static func < (lhs: DeadLetterAddress, rhs: DeadLetterAddress) -> Bool {
        (lhs.topic, lhs.partition, lhs.offset) < (rhs.topic, rhs.partition, rhs.offset)
    }
}
