import KafkaClient

/// An owned input partition as a ``Committer`` sees it: how far processing got, what is committed, and its
/// task's state to flush.
protocol CommittablePartition: AnyObject {
    /// The input partition.
    var key: KafkaTopicPartition { get }
    /// The next offset to process (−1 when unknown: nothing processed and nothing committed).
    var position: Int64 { get }
    /// The last point committed (or sent in a committed transaction).
    var committed: CommitPoint { get set }
    /// Writes the task's changed state to its changelogs and returns the checkpoint of the state now there.
    func flushState() -> UInt64
}

/// Whoever owns the partitions: the committers flush, commit and (after an aborted transaction) rebuild them.
protocol PartitionOwner: AnyObject {
    /// The owned partitions in a fixed order (topic, partition).
    var committable: [any CommittablePartition] { get }
    /// The owned partition with this key, if owned.
    func committable(_ key: KafkaTopicPartition) -> (any CommittablePartition)?
    /// Drops every task and creates it again from the committed state, moving the consumer back to the
    /// committed offsets (after an aborted transaction the tasks' memory holds effects of aborted records).
    func rebuildAll() throws(RuntimeError)
}
