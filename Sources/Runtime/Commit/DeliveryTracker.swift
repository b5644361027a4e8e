import KafkaClient

/// Tracks which outputs are acknowledged, so that input offsets are committed only after everything
/// written because of those inputs (outputs, dead letters, exceptions, changelog records) is on the broker.
///
/// Sends are grouped in *generations*: every record the tasks write between two checkpoints carries the
/// current generation number as its delivery token. A checkpoint seals the generation with the commit points
/// reached so far (input positions and the state checkpoints flushed for them); once every record of a sealed
/// generation, and of every older one, is acknowledged, its points may be committed. Nothing is allocated per
/// record.
///
/// - Important: Confined to the processing thread. The producer serves delivery reports only inside
///   `poll`, `flush`, `close`, a `send` that waits on a full queue, or a transaction commit, and the
///   runtime calls all of these on the processing thread only (it closes the producer there too, so the
///   producer's `deinit` never flushes elsewhere).
final class DeliveryTracker: @unchecked Sendable {
    // Safe: see the type's note — every method runs on the one processing thread.
    private struct Generation {
        var id: UInt64
        var pending: Int
        var sealed: Bool
        var points: [PartitionCommitPoint]
    }

    // Unchecked exclusivity (no dynamic check per send and report): confined to the processing thread, and no
    // method calls out while it accesses `generations`.
    @exclusivity(unchecked) private var generations: [Generation] = [
        Generation(id: 1, pending: 0, sealed: false, points: [])
    ]
    /// The first failed delivery, if any.
    private(set) var failure: KafkaDeliveryReport?
    /// Records acknowledged since start.
    @exclusivity(unchecked) private(set) var acknowledged = 0
    /// Records that failed since start.
    @exclusivity(unchecked) private(set) var failed = 0

    /// The generation the next send belongs to.
    var current: UInt64 { generations[generations.count - 1].id }

    /// Records sent and not yet reported.
    var inFlight: Int { generations.reduce(0) { $0 + $1.pending } }

    /// Whether records were sent since the last seal.
    var currentHasRecords: Bool { generations[generations.count - 1].pending > 0 }

    /// Counts a send and returns its token.
    @inline(__always)
    func willSend() -> UInt64 {
        generations[generations.count - 1].pending += 1
        return generations[generations.count - 1].id
    }

    /// Takes back a send that librdkafka refused (no delivery report will come).
    func sendFailed(token: UInt64) {
        if let index = index(of: token) { generations[index].pending -= 1 }
    }

    /// A delivery report (served on the processing thread).
    func delivered(_ report: KafkaDeliveryReport) {
        guard let index = index(of: report.token) else { return }  // of a discarded (aborted) generation
        generations[index].pending -= 1
        if report.error == nil {
            acknowledged += 1
        } else {
            failed += 1
            if failure == nil { failure = report }
        }
    }

    /// Forgets every generation (after an aborted transaction: its records will never be visible, and their
    /// late reports, failed or not, count for nothing).
    func discardAll() {
        let next = generations[generations.count - 1].id + 1
        generations = [Generation(id: next, pending: 0, sealed: false, points: [])]
        failure = nil
    }

    /// Closes the current generation with the commit points reached (next offsets to consume and the
    /// checkpoints flushed for them).
    func seal(_ points: [PartitionCommitPoint]) {
        let last = generations.count - 1
        generations[last].sealed = true
        generations[last].points = points
        generations.append(Generation(id: generations[last].id + 1, pending: 0, sealed: false, points: []))
    }

    /// Removes the fully acknowledged sealed generations at the front and returns the commit points of the
    /// newest of them (they include the older ones), or `nil` when none completed. Never completes anything
    /// after a failed delivery.
    func takeCompleted() -> [PartitionCommitPoint]? {
        guard failure == nil else { return nil }
        var completed: [PartitionCommitPoint]?
        var count = 0
        while count < generations.count - 1, generations[count].sealed, generations[count].pending == 0 {
            completed = generations[count].points
            count += 1
        }
        if count > 0 { generations.removeFirst(count) }
        return completed
    }

    /// Forgets positions of partitions this instance no longer owns (lost partitions are never committed).
    func forget(_ partitions: Set<KafkaTopicPartition>) {
        for index in generations.indices {
            generations[index].points.removeAll { partitions.contains($0.partition) }
        }
    }

    private func index(of token: UInt64) -> Int? {
        let first = generations[0].id
        guard token >= first else { return nil }
        let index = Int(token - first)
        return index < generations.count ? index : nil
    }
}
