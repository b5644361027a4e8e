/// Batches of owned records as an `AsyncSequence`, polled on a dedicated thread.
///
/// Made by ``KafkaConsumer/batches(maxRecords:pollTimeout:onRebalance:)``. Iteration ends when the
/// task is cancelled; errors from polling are thrown.
public struct KafkaConsumerBatches: AsyncSequence, Sendable {
    public typealias Element = [KafkaMessage]

    let consumer: KafkaConsumer
    let maxRecords: Int
    let pollTimeout: Duration
    let onRebalance: (@Sendable (KafkaRebalance) -> Void)?

    /// Owns the poll thread of one iterator.
    final class PollThread: Sendable {
        let thread = KafkaThread(name: "ps-consumer-poll")
        deinit { thread.shutdown() }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(batches: self, poller: PollThread())
    }

    /// The iterator; each `next()` polls on the iterator's thread until records arrive.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let batches: KafkaConsumerBatches
        let poller: PollThread

        public mutating func next() async throws -> [KafkaMessage]? {
            let batches = self.batches
            while !Task.isCancelled {
                let messages = try await poller.thread.run {
                    try batches.consumer.pollMessages(maxRecords: batches.maxRecords, timeout: batches.pollTimeout) {
                        event in batches.onRebalance?(event)
                    }
                }
                if !messages.isEmpty { return messages }
            }
            return nil
        }
    }
}
