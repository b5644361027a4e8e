/// A partition's low watermark (log start offset) and high watermark (next offset to be written).
public struct KafkaWatermarks: Sendable, Hashable {
    /// The first available offset.
    public var low: Int64
    /// The offset the next record will get.
    public var high: Int64

    /// Creates watermarks.
    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }

    /// The number of records currently retained.
    public var count: Int64 { high - low }
}
