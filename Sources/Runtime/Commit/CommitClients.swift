import KafkaClient

/// The group consumer's offset API as the committers use it.
protocol OffsetCommitting: AnyObject {
    /// Commits offsets (with metadata); asynchronously unless `synchronously`.
    func commit(_ offsets: [KafkaTopicPartitionOffset], synchronously: Bool) throws(KafkaError)
    /// The consumer group metadata for a transactional offset commit.
    func groupMetadata() throws(KafkaError) -> KafkaConsumerGroupMetadata
    /// Asynchronous commits that failed so far.
    var failedCommitCount: Int { get }
}

/// The producer as the committers use it.
protocol CommitProducing: AnyObject {
    /// Waits until every sent record is acknowledged or failed.
    func flush(timeout: Duration) throws(KafkaError)
    /// Transactions (exactly-once only).
    func beginTransaction() throws(KafkaError)
    func sendOffsetsToTransaction(
        _ offsets: [KafkaTopicPartitionOffset], groupMetadata: KafkaConsumerGroupMetadata, timeout: Duration
    ) throws(KafkaError)
    func commitTransaction(timeout: Duration) throws(KafkaError)
    func abortTransaction(timeout: Duration) throws(KafkaError)
}

extension KafkaConsumer: OffsetCommitting {
    func commit(_ offsets: [KafkaTopicPartitionOffset], synchronously: Bool) throws(KafkaError) {
        if synchronously { try commit(offsets) } else { try commitAsync(offsets) }
    }
}

extension KafkaProducer: CommitProducing {}
