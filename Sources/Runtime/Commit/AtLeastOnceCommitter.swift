import KafkaClient
import Logging

/// `at_least_once`: offsets are committed (with their checkpoints) once every record written before them is
/// acknowledged; a crash makes the next owner reprocess from the last commit, writing repeats of records with
/// the same idempotency keys and the same content.
///
/// Each ``commit(_:)`` flushes every task and *seals* the current delivery generation with the commit points
/// reached (see ``DeliveryTracker``); ``poll(_:)`` commits, asynchronously, the points of the newest generation
/// whose records (and all older ones) are acknowledged. Revokes and stops wait for every delivery and commit
/// synchronously.
final class AtLeastOnceCommitter: Committer {
    private let offsets: any OffsetCommitting
    private let producer: any CommitProducing
    private let tracker: DeliveryTracker
    private let flushTimeout: Duration
    private let logger: Logger
    /// The points of the last sealed generation (nothing new to seal while they hold).
    private var lastSealed: [PartitionCommitPoint] = []
    /// Failed asynchronous commits seen so far.
    private var seenFailures: Int
    private(set) var commits = 0

    /// Creates the committer.
    ///
    /// - Parameters:
    ///   - offsets: The group consumer.
    ///   - producer: The producer every output goes through.
    ///   - tracker: The delivery tracker the producer's reports feed.
    ///   - flushTimeout: The longest wait for outstanding deliveries on revoke and stop.
    ///   - logger: Where commit failures go.
    init(
        offsets: any OffsetCommitting, producer: any CommitProducing, tracker: DeliveryTracker,
        flushTimeout: Duration, logger: Logger
    ) {
        self.offsets = offsets
        self.producer = producer
        self.tracker = tracker
        self.flushTimeout = flushTimeout
        self.logger = logger
        seenFailures = offsets.failedCommitCount
    }

    func start() throws(RuntimeError) {}

    func poll(_ owner: any PartitionOwner) throws(RuntimeError) {
        recommitAfterFailure(owner)
        guard let completed = tracker.takeCompleted() else { return }
        var changed: [(partition: any CommittablePartition, point: CommitPoint)] = []
        for entry in completed {
            // Never for a partition no longer owned, never backwards, never the same point twice.
            guard let partition = owner.committable(entry.partition), entry.point.offset >= 0,
                entry.point.offset >= partition.committed.offset, entry.point != partition.committed
            else { continue }
            changed.append((partition, entry.point))
        }
        guard !changed.isEmpty else { return }
        do {
            try offsets.commit(changed.map { $0.point.offset(for: $0.partition.key) }, synchronously: false)
            for entry in changed { entry.partition.committed = entry.point }
            commits += 1
        } catch {
            // Nothing is lost: a later commit covers these partitions (the next owner would reprocess records whose
            // outputs carry the same idempotency keys and content).
            logger.warning("offset commit failed: \(error.message)")
        }
    }

    func commit(_ owner: any PartitionOwner) throws(RuntimeError) {
        _ = seal(owner)
        try poll(owner)
    }

    func beforeRevoke(_ owner: any PartitionOwner) throws(RuntimeError) {
        let points = seal(owner)
        do {
            try producer.flush(timeout: flushTimeout)
        } catch {
            throw RuntimeError(.delivery, "outputs not acknowledged in time: \(error.message)")
        }
        if let report = tracker.failure {
            throw RuntimeError(
                .delivery,
                "an output could not be delivered (\(report.error?.explanation ?? "unknown error")); offsets after "
                    + "it were not committed")
        }
        // Everything sent is acknowledged: every owned partition's point is safe (also those an earlier
        // asynchronous commit may have missed).
        _ = tracker.takeCompleted()
        guard !points.isEmpty else { return }
        do {
            try offsets.commit(points.map { $0.point.offset(for: $0.partition) }, synchronously: true)
            for entry in points { owner.committable(entry.partition)?.committed = entry.point }
            commits += 1
        } catch {
            logger.warning("offset commit failed: \(error.message)")
        }
    }

    func lost(_ partitions: [KafkaTopicPartition], owner: any PartitionOwner) throws(RuntimeError) {
        tracker.forget(Set(partitions))
        lastSealed.removeAll { partitions.contains($0.partition) }
    }

    func finish(_ owner: any PartitionOwner) throws(RuntimeError) {
        try beforeRevoke(owner)
    }

    func abandon() {}

    /// An asynchronous commit failed (a rebalance was in progress, the coordinator moved): commits every owned
    /// partition's last point again, so the group does not stay behind when nothing new comes.
    private func recommitAfterFailure(_ owner: any PartitionOwner) {
        let failures = offsets.failedCommitCount
        guard failures != seenFailures else { return }
        seenFailures = failures
        let points = owner.committable.filter { $0.committed.offset >= 0 }.map { $0.committed.offset(for: $0.key) }
        guard !points.isEmpty else { return }
        do { try offsets.commit(points, synchronously: false) } catch {
            logger.warning("offset commit failed: \(error.message)")
        }
    }

    /// Flushes every task and seals the current generation with the points reached, unless nothing changed.
    ///
    /// - Returns: The points reached (partitions with a known position).
    private func seal(_ owner: any PartitionOwner) -> [PartitionCommitPoint] {
        var points: [PartitionCommitPoint] = []
        for partition in owner.committable {
            let checkpoint = partition.flushState()
            guard partition.position >= 0 else { continue }
            points.append(
                PartitionCommitPoint(
                    partition: partition.key, point: CommitPoint(offset: partition.position, checkpoint: checkpoint)))
        }
        if tracker.currentHasRecords || points != lastSealed {
            logger.debug("checkpoint sealed", metadata: ["generation": "\(tracker.current)"])
            tracker.seal(points)
            lastSealed = points
        }
        return points
    }
}
