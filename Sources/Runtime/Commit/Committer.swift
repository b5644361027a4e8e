import KafkaClient

/// The commit protocol of the processing loop: when the positions the tasks reached are committed, and what
/// makes a commit safe.
///
/// Every implementation keeps one invariant: an input offset is committed only together with the checkpoint
/// of the state the records before it built, and only once everything those records caused (outputs, dead
/// letters, exceptions, table rows, changelog records) is durable — so a restart resumes at the committed
/// offset with exactly the state that belongs to it.
///
/// Lifecycle (on the processing thread): ``start()`` once, then per loop turn ``poll(_:)`` and every commit
/// interval ``commit(_:)``; ``beforeRevoke(_:)`` inside the revoke callback, ``lost(_:owner:)`` when partitions
/// were lost, ``finish(_:)`` at a clean stop and ``abandon()`` after a failure.
protocol Committer: AnyObject {
    /// Prepares the first commit (exactly-once: begins the first transaction).
    func start() throws(RuntimeError)
    /// Called after every poll: commits what became safe since (at-least-once: acknowledged generations).
    func poll(_ owner: any PartitionOwner) throws(RuntimeError)
    /// Every commit interval: flushes the tasks' changelogs and commits (or prepares to commit) their points.
    func commit(_ owner: any PartitionOwner) throws(RuntimeError)
    /// Before partitions are revoked: makes everything durable and commits every owned partition, so the next
    /// owner starts exactly where this one stopped.
    func beforeRevoke(_ owner: any PartitionOwner) throws(RuntimeError)
    /// Partitions were lost (the group moved on without this instance): they are never committed again.
    func lost(_ partitions: [KafkaTopicPartition], owner: any PartitionOwner) throws(RuntimeError)
    /// A clean stop: as ``beforeRevoke(_:)``, without starting anything new.
    func finish(_ owner: any PartitionOwner) throws(RuntimeError)
    /// After the broker refused records the engine will now write differently (`OUTPUT_REFUSED` dead letters):
    /// forgets everything written since the last commit (exactly-once: aborts the transaction) and rebuilds the
    /// tasks from the committed state, so those records are processed again.
    func rewind(_ owner: any PartitionOwner) throws(RuntimeError)
    /// After a failure: commits nothing more (exactly-once: aborts the open transaction).
    func abandon()
    /// Commits made so far.
    var commits: Int { get }
}
