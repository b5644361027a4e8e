import CRdKafka

/// Transactions (exactly-once, EOS v2). Require `transactional.id` in the configuration.
///
/// Every error carries ``KafkaError/transactionErrorKind``: `.retriable` — call the same method
/// again; `.abortRequired` — call ``KafkaProducer/abortTransaction(timeout:)`` and start over from
/// the last committed offsets; `.fatal` — close this producer and create a new one.
extension KafkaProducer {
    /// Registers the `transactional.id` with the coordinator and fences older instances.
    ///
    /// - Parameter timeout: The longest wait.
    public func initTransactions(timeout: Duration) throws(KafkaError) {
        try check(rd_kafka_init_transactions(client.handle, timeout.kafkaMilliseconds), "init transactions")
    }

    /// Starts a transaction; messages sent until commit or abort belong to it.
    public func beginTransaction() throws(KafkaError) {
        try check(rd_kafka_begin_transaction(client.handle), "begin transaction")
    }

    /// Adds consumer offsets to the current transaction; they become the group's committed position
    /// only if the transaction commits.
    ///
    /// - Parameters:
    ///   - offsets: Next offsets to consume per partition (last processed + 1).
    ///   - groupMetadata: The consumer's group metadata (``KafkaConsumer/groupMetadata()``); with it
    ///     the coordinator fences zombie instances (KIP-447).
    ///   - timeout: The longest wait.
    public func sendOffsetsToTransaction(
        _ offsets: [KafkaTopicPartitionOffset],
        groupMetadata: KafkaConsumerGroupMetadata,
        timeout: Duration
    ) throws(KafkaError) {
        let error = RDKafkaTopicPartitionList.with(offsets) { list in
            // The list and metadata stay owned by the caller.
            rd_kafka_send_offsets_to_transaction(
                client.handle,
                list,
                groupMetadata.handle,
                timeout.kafkaMilliseconds
            )
        }
        try check(error, "send offsets to transaction")
    }

    /// Flushes the transaction's messages (serving delivery reports on this thread) and commits it.
    ///
    /// - Parameter timeout: The longest wait.
    public func commitTransaction(timeout: Duration) throws(KafkaError) {
        try check(rd_kafka_commit_transaction(client.handle, timeout.kafkaMilliseconds), "commit transaction")
    }

    /// Aborts the current transaction; its messages and offsets are discarded.
    ///
    /// - Parameter timeout: The longest wait.
    public func abortTransaction(timeout: Duration) throws(KafkaError) {
        try check(rd_kafka_abort_transaction(client.handle, timeout.kafkaMilliseconds), "abort transaction")
    }

    private func check(_ error: OpaquePointer?, _ operation: String) throws(KafkaError) {
        guard let error else { return }
        var failure = RDKafkaClient.consume(error, operation: operation)
        if failure.code == .client { failure.code = .transaction }
        if failure.transactionErrorKind == nil && failure.code == .timedOut {
            failure.transactionErrorKind = .retriable
        }
        throw failure
    }
}
