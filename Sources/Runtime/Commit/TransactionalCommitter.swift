import KafkaClient
import Logging

/// `exactly_once`: consume–transform–produce in Kafka transactions (KIP-447). Every commit interval the tasks'
/// changelogs are flushed and their commit points (offsets with checkpoints as metadata) are sent to the open
/// transaction, which is committed — outputs, dead letters, exceptions, table rows, changelog records and input
/// offsets become visible together — and the next one begins.
///
/// Retriable errors are retried; an abort-required error aborts the transaction and rebuilds every task from
/// its committed state (the tasks' memory holds effects of the aborted records); a fatal error (fenced) stops
/// the processor.
final class TransactionalCommitter: Committer {
    private let offsets: any OffsetCommitting
    private let producer: any CommitProducing
    private let tracker: DeliveryTracker
    private let logger: Logger
    /// Retriable transaction errors are retried this many times.
    private let attempts = 5
    /// Failed asynchronous (confirming) commits seen so far.
    private var seenFailures: Int
    private(set) var commits = 0

    /// Creates the committer.
    ///
    /// - Parameters:
    ///   - offsets: The group consumer (group metadata for the transactional offset commit).
    ///   - producer: The transactional producer (`initTransactions` done).
    ///   - tracker: The delivery tracker (tells whether the open transaction holds records).
    ///   - logger: Where aborts and retries go.
    init(offsets: any OffsetCommitting, producer: any CommitProducing, tracker: DeliveryTracker, logger: Logger) {
        self.offsets = offsets
        self.producer = producer
        self.tracker = tracker
        self.logger = logger
        seenFailures = offsets.failedCommitCount
    }

    func start() throws(RuntimeError) {
        try begin()
    }

    func poll(_ owner: any PartitionOwner) throws(RuntimeError) {
        // A confirming commit failed: confirm every owned partition's committed point again.
        let failures = offsets.failedCommitCount
        guard failures != seenFailures else { return }
        seenFailures = failures
        confirm(
            owner.committable.filter { $0.committed.offset >= 0 }.map { $0.committed.offset(for: $0.key) },
            synchronously: false)
    }

    func commit(_ owner: any PartitionOwner) throws(RuntimeError) {
        try commitTransaction(owner, beginNext: true, waitForConfirmation: false)
    }

    func beforeRevoke(_ owner: any PartitionOwner) throws(RuntimeError) {
        try commitTransaction(owner, beginNext: true, waitForConfirmation: true)
    }

    func lost(_ partitions: [KafkaTopicPartition], owner: any PartitionOwner) throws(RuntimeError) {
        // The open transaction may hold records of the lost partitions: abort it and start the others again
        // from their committed state.
        try abortAndRebuild(owner)
        try begin()
    }

    func finish(_ owner: any PartitionOwner) throws(RuntimeError) {
        try commitTransaction(owner, beginNext: false, waitForConfirmation: true)
    }

    func rewind(_ owner: any PartitionOwner) throws(RuntimeError) {
        try abortAndRebuild(owner)
        try begin()
    }

    func abandon() {
        do { try producer.abortTransaction(timeout: .seconds(10)) } catch {
            logger.debug("abort after a failure: \(error.message)")
        }
    }

    private func begin() throws(RuntimeError) {
        do {
            try producer.beginTransaction()
        } catch {
            throw RuntimeError(.kafka, "begin transaction: \(error.message)")
        }
    }

    /// Flushes the changelogs, adds the changed points to the transaction and commits it.
    private func commitTransaction(
        _ owner: any PartitionOwner, beginNext: Bool, waitForConfirmation: Bool
    ) throws(RuntimeError) {
        var changed: [(partition: any CommittablePartition, point: CommitPoint)] = []
        for partition in owner.committable {
            let point = CommitPoint(offset: partition.position, checkpoint: partition.flushState())
            if point.offset >= 0, point != partition.committed { changed.append((partition, point)) }
        }
        guard tracker.currentHasRecords || !changed.isEmpty else {
            if !beginNext { abortEmpty() }
            return
        }
        logger.debug("checkpoint flushed; committing the transaction", metadata: ["partitions": "\(changed.count)"])
        let list = changed.map { $0.point.offset(for: $0.partition.key) }
        do {
            if !changed.isEmpty {
                let metadata = try offsets.groupMetadata()
                try retrying { () throws(KafkaError) in
                    try producer.sendOffsetsToTransaction(list, groupMetadata: metadata, timeout: .seconds(30))
                }
            }
            try retrying { () throws(KafkaError) in try producer.commitTransaction(timeout: .seconds(60)) }
        } catch {
            if error.transactionErrorKind == .abortRequired {
                logger.warning("transaction aborted: \(error.message); rewinding to the last committed state")
                try abortAndRebuild(owner)
                if beginNext { try begin() }
                return
            }
            throw RuntimeError(.kafka, "commit transaction: \(error.message)")
        }
        for entry in changed { entry.partition.committed = entry.point }
        tracker.seal([])
        _ = tracker.takeCompleted()
        commits += 1
        confirm(list, synchronously: waitForConfirmation)
        if beginNext { try begin() }
    }

    /// Commits the offsets a committed transaction carried once more, with a plain offset commit.
    ///
    /// On a real cluster the transaction already committed them and this repeats the same offsets and
    /// checkpoints (even one arriving late and moving an offset back is safe: each offset travels with the
    /// checkpoint of its own state). It makes a cluster that drops transactional offset commits — the embedded
    /// broker (librdkafka 2.0.2's mock discards TxnOffsetCommit) — resume where a real one would.
    private func confirm(_ list: [KafkaTopicPartitionOffset], synchronously: Bool) {
        guard !list.isEmpty else { return }
        do {
            try offsets.commit(list, synchronously: synchronously)
        } catch {
            logger.debug("confirming committed offsets: \(error.message)")
        }
    }

    private func abortEmpty() {
        do { try producer.abortTransaction(timeout: .seconds(10)) } catch {
            logger.debug("abort of the empty final transaction: \(error.message)")
        }
    }

    private func retrying(_ body: () throws(KafkaError) -> Void) throws(KafkaError) {
        var attempt = 0
        while true {
            do {
                try body()
                return
            } catch  where error.transactionErrorKind == .retriable && attempt < attempts {
                attempt += 1
                logger.warning("retrying: \(error.message)")
            }
        }
    }

    /// Aborts the open transaction and rebuilds every task from its committed state.
    private func abortAndRebuild(_ owner: any PartitionOwner) throws(RuntimeError) {
        do {
            try producer.abortTransaction(timeout: .seconds(30))
        } catch {
            throw RuntimeError(.kafka, "abort transaction: \(error.message)")
        }
        tracker.discardAll()
        try owner.rebuildAll()
    }
}
