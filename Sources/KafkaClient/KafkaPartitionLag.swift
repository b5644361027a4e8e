/// A consumer group's progress on one partition.
public struct KafkaPartitionLag: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The group's committed offset (next to consume), or `nil` when it never committed.
    public var committedOffset: Int64?
    /// The partition's high watermark.
    public var highWatermark: Int64
    /// The partition's low watermark.
    public var lowWatermark: Int64

    /// Records not yet consumed by the group: high watermark − committed offset (with no commit,
    /// everything retained: high − low).
    public var lag: Int64 { highWatermark - max(committedOffset ?? lowWatermark, lowWatermark) }
}
