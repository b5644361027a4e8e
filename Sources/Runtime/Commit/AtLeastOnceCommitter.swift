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
    /// A commit could not be started or failed: the owned partitions' points are committed again.
    private var recommitPending = false
    /// When an offset commit was last issued.
    private var lastIssued = ContinuousClock.now
    /// While nothing new is committed, the points are committed again this often.
    private let idleRecommitInterval: Duration
    private(set) var commits = 0

    /// Creates the committer.
    ///
    /// - Parameters:
    ///   - offsets: The group consumer.
    ///   - producer: The producer every output goes through.
    ///   - tracker: The delivery tracker the producer's reports feed.
    ///   - flushTimeout: The longest wait for outstanding deliveries on revoke and stop.
    ///   - idleRecommitInterval: While nothing new is committed, the owned partitions' points are committed
    ///     again this often (a failure librdkafka never reports, a coordinator that lost a commit): the group
    ///     never stays behind for long.
    ///   - logger: Where commit failures go.
    init(
        offsets: any OffsetCommitting, producer: any CommitProducing, tracker: DeliveryTracker,
        flushTimeout: Duration, idleRecommitInterval: Duration = .seconds(5), logger: Logger
    ) {
        self.idleRecommitInterval = idleRecommitInterval
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
        // The points count as committed once asked for; a failure (reported now or later) commits them again.
        // Nothing is lost meanwhile: the next owner would reprocess records whose outputs carry the same
        // idempotency keys and content.
        for entry in changed { entry.partition.committed = entry.point }
        do {
            try offsets.commit(changed.map { $0.point.offset(for: $0.partition.key) }, synchronously: false)
            commits += 1
            lastIssued = .now
        } catch {
            logger.warning("offset commit failed: \(error.message)")
            recommitPending = true
        }
    }

    func commit(_ owner: any PartitionOwner) throws(RuntimeError) {
        _ = seal(owner)
        if ContinuousClock.now - lastIssued >= idleRecommitInterval { recommitPending = true }
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

    func rewind(_ owner: any PartitionOwner) throws(RuntimeError) {
        // What is in flight settles first (its failures count for nothing now); the group is then pinned at the
        // last safe points, after any asynchronous commit still on its way, and the tasks restart from there.
        do {
            try producer.flush(timeout: flushTimeout)
        } catch {
            throw RuntimeError(.delivery, "outputs not acknowledged in time: \(error.message)")
        }
        tracker.discardAll()
        lastSealed = []
        let points = owner.committable.filter { $0.committed.offset >= 0 }.map { $0.committed.offset(for: $0.key) }
        if !points.isEmpty {
            do {
                try offsets.commit(points, synchronously: true)
            } catch {
                throw RuntimeError(.kafka, "offset commit before rewinding: \(error.message)")
            }
        }
        try owner.rebuildAll()
    }

    func abandon() {}

    /// A commit failed (a rebalance was in progress, the coordinator moved) or nothing was committed for a
    /// while: commits every owned partition's last point again, so the group does not stay behind when nothing
    /// new comes.
    private func recommitAfterFailure(_ owner: any PartitionOwner) {
        let failures = offsets.failedCommitCount
        if failures != seenFailures {
            seenFailures = failures
            recommitPending = true
        }
        guard recommitPending else { return }
        let points = owner.committable.filter { $0.committed.offset >= 0 }.map { $0.committed.offset(for: $0.key) }
        recommitPending = false
        lastIssued = .now
        guard !points.isEmpty else { return }
        do { try offsets.commit(points, synchronously: false) } catch {
            // Tried again after the idle interval, not on every poll.
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
