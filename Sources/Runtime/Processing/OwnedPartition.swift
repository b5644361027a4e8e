import Engine
import KafkaClient

/// An assigned input partition: its task, how far processing got and what is committed.
final class OwnedPartition: CommittablePartition {
    let key: KafkaTopicPartition
    let task: PartitionTask
    /// Whether pipelines of this source write table rows (records are then processed one at a time so that
    /// each row is applied before the next record, as in the test driver).
    let writesTables: Bool
    /// The next offset to process (after the last processed record); −1 when not known yet.
    var position: Int64
    var committed: CommitPoint

    init(key: KafkaTopicPartition, task: PartitionTask, writesTables: Bool, committed: CommitPoint) {
        self.key = key
        self.task = task
        self.writesTables = writesTables
        position = committed.offset
        self.committed = committed
    }

    func flushState() -> UInt64 { task.flush() }
}
