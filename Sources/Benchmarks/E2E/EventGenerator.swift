import KafkaClient

/// A synthetic workload's input: events by index, each with its partition, key and value, in an order that
/// keeps every partition in event-time order.
protocol EventGenerator {
    /// The indexes `0..<count` in preload order: grouped by partition, in event-time order within each.
    func indexesByPartition(count: Int) -> [Int]

    /// Writes event `index` and hands its partition, key and value to `body`.
    mutating func withEvent<R>(
        _ index: Int, _ body: (_ partition: Int32, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> R
    ) -> R

    /// The header event `index` carries (`nil`: none).
    mutating func header(of index: Int) -> KafkaHeader?

    /// How many of the first `count` events are invalid on purpose (dead letters of a validating job).
    func invalidCount(of count: Int) -> Int

    /// How many records job A writes for the first `count` events (default: one per valid event).
    func routedCount(of count: Int) -> Int
}

extension EventGenerator {
    mutating func header(of index: Int) -> KafkaHeader? { nil }

    func routedCount(of count: Int) -> Int { count - invalidCount(of: count) }
}
