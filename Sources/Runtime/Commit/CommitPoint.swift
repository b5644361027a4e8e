import Engine
import KafkaClient

/// What is committed for one input partition: the next offset to process and the checkpoint of the task's
/// state at that offset (written as the commit's metadata, see ``Engine/CommittedCheckpoint``).
struct CommitPoint: Hashable, Sendable, CustomStringConvertible {
    /// The next offset to process (−1: nothing processed and nothing committed).
    var offset: Int64
    /// The checkpoint whose changelog records hold the state reached at `offset`.
    var checkpoint: UInt64

    /// No commit.
    static let none = CommitPoint(offset: -1, checkpoint: 0)

    /// The point as an offset to commit, with the checkpoint as metadata.
    func offset(for partition: KafkaTopicPartition) -> KafkaTopicPartitionOffset {
        KafkaTopicPartitionOffset(partition, offset: offset, metadata: CommittedCheckpoint.metadata(checkpoint))
    }

    var description: String { "\(offset)#\(checkpoint)" }
}

/// A commit point of one partition.
struct PartitionCommitPoint: Hashable, Sendable {
    var partition: KafkaTopicPartition
    var point: CommitPoint
}
