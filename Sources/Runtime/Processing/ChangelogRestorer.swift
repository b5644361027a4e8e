import Engine
import KafkaClient
import Logging

/// Restores partition tasks from their state changelogs before their first record: reads each changelog
/// partition (same partition number as the input) from the beginning to its high watermark with a consumer
/// outside any group, and applies every record to the task.
final class ChangelogRestorer {
    private let consumer: KafkaConsumer
    private let logger: Logger
    private let timeout: Duration

    /// Creates the restore consumer.
    ///
    /// - Parameters:
    ///   - configuration: Client settings of the region; `group.id` is set here (never joined).
    ///   - applicationID: `<application>-<region>`.
    ///   - logger: Where progress goes.
    init(configuration: KafkaConfiguration, applicationID: String, logger: Logger, timeout: Duration = .seconds(60))
        throws(KafkaError)
    {
        var settings = configuration
        settings.groupID = "\(applicationID)-restore"
        settings["enable.partition.eof"] = "false"
        settings["fetch.wait.max.ms"] = settings["fetch.wait.max.ms"] ?? "10"
        consumer = try KafkaConsumer(configuration: settings, logger: logger, maxBatchSize: 4096)
        self.logger = logger
        self.timeout = timeout
    }

    /// Restores every task's stores from their changelogs, up to the checkpoint committed with its partition's
    /// offset, and finishes the restore.
    ///
    /// - Parameters:
    ///   - tasks: Newly created tasks.
    ///   - limits: Per task, the checkpoint committed with its input offset.
    /// - Returns: The number of changelog records read.
    /// - Throws: ``RuntimeError/Code/restore`` when a changelog cannot be read or a record is corrupt.
    func restore(_ tasks: [PartitionTask], upTo limits: [CommittedCheckpoint]) throws(RuntimeError) -> Int {
        var owners: [KafkaTopicPartition: PartitionTask] = [:]
        for (task, limit) in zip(tasks, limits) {
            task.beginRestore(upTo: limit)
            for topic in task.changelogTopics {
                owners[KafkaTopicPartition(topic: topic, partition: task.partition)] = task
            }
        }
        guard !owners.isEmpty else { return 0 }
        do {
            logger.info(
                "restoring state",
                metadata: ["partitions": "\(tasks.map { "\($0.topic)[\($0.partition)]" }.joined(separator: ","))"])
            let targets = try CatchUpReader.targets(
                consumer: consumer, partitions: Array(owners.keys), timeout: .seconds(10))
            var count = 0
            if !targets.isEmpty {
                try consumer.assign(
                    targets.keys.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.beginning) })
                defer { try? consumer.assign([]) }
                count = try CatchUpReader.read(consumer: consumer, targets: targets, timeout: timeout) { record in
                    guard let task = owners[record.topicPartition], let key = record.key else { return }
                    let checkpoint = record.headers.last(named: ChangelogFormat.checkpointHeader)?.value.flatMap {
                        ChangelogFormat.checkpoint(parsing: $0)
                    }
                    try task.restore(topic: record.topic, key: key, value: record.value, checkpoint: checkpoint)
                }
            }
            for task in tasks { task.restoreCompleted() }
            if count > 0 {
                logger.notice(
                    "restored state",
                    metadata: [
                        "records": "\(count)",
                        "partitions": "\(tasks.map { "\($0.topic)[\($0.partition)]" }.joined(separator: ","))",
                    ])
            }
            return count
        } catch let error as RuntimeError {
            throw RuntimeError(.restore, "restoring state: \(error.message)")
        } catch {
            throw RuntimeError(.restore, "restoring state: \(error)")
        }
    }

    /// Closes the consumer.
    func close() {
        try? consumer.close()
    }
}
