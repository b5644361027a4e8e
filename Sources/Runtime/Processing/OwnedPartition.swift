import Engine
import KafkaClient

/// An assigned input partition: its task, how far processing got and what is committed.
final class OwnedPartition: CommittablePartition {
    let key: KafkaTopicPartition
    let task: PartitionTask
    /// The next offset to process (after the last processed record); −1 when not known yet.
    var position: Int64
    var committed: CommitPoint

    init(key: KafkaTopicPartition, task: PartitionTask, committed: CommitPoint) {
        self.key = key
        self.task = task
        position = committed.offset
        self.committed = committed
    }

    func flushState() -> UInt64 { task.flush() }
}
