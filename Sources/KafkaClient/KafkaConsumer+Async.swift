/// The async surface, built on the blocking one.
extension KafkaConsumer {
    /// Batches of owned copies, polled on a dedicated thread (not the cooperative pool).
    ///
    /// - Parameters:
    ///   - maxRecords: The largest batch.
    ///   - pollTimeout: How long one poll waits; cancellation is noticed between polls.
    ///   - onRebalance: Observes rebalances (called on the poll thread before they take effect).
    /// - Returns: An async sequence of batches.
    public func batches(
        maxRecords: Int = 1024,
        pollTimeout: Duration = .milliseconds(100),
        onRebalance: (@Sendable (KafkaRebalance) -> Void)? = nil
    ) -> KafkaConsumerBatches {
        KafkaConsumerBatches(consumer: self, maxRecords: maxRecords, pollTimeout: pollTimeout, onRebalance: onRebalance)
    }
}
