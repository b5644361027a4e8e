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

    /// Restores every task's stores from their changelogs and finishes the restore.
    ///
    /// - Parameter tasks: Newly created tasks.
    /// - Returns: The number of changelog records applied.
    /// - Throws: ``RuntimeError/Code/restore`` when a changelog cannot be read or a record is corrupt.
    func restore(_ tasks: [PartitionTask]) throws(RuntimeError) -> Int {
        var owners: [KafkaTopicPartition: PartitionTask] = [:]
        for task in tasks {
            for topic in task.changelogTopics {
                owners[KafkaTopicPartition(topic: topic, partition: task.partition)] = task
            }
        }
        guard !owners.isEmpty else { return 0 }
        do {
            let targets = try CatchUpReader.targets(
                consumer: consumer, partitions: Array(owners.keys), timeout: .seconds(10))
            var count = 0
            if !targets.isEmpty {
                try consumer.assign(
                    targets.keys.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.beginning) })
                defer { try? consumer.assign([]) }
                count = try CatchUpReader.read(consumer: consumer, targets: targets, timeout: timeout) { record in
                    guard let task = owners[record.topicPartition], let key = record.key else { return }
                    try task.restore(topic: record.topic, key: key, value: record.value)
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
