import Engine
import KafkaClient
import Logging

/// Feeds the engine's topic-backed global tables: reads every partition of their compacted topics to the
/// high watermark before processing starts (bootstrap), then applies new records between batches.
///
/// Uses its own consumer outside any group (every instance loads the whole table). Rows this process wrote
/// itself (header `ps_origin` = this run's id) are skipped after the bootstrap: the runtime applied them when
/// it wrote them.
final class GlobalTableFeed {
    private let consumer: KafkaConsumer
    private let logger: Logger
    private let origin: [UInt8]
    private let topics: [String]
    /// Records applied so far.
    private(set) var applied = 0

    /// Creates the feed's consumer.
    ///
    /// - Parameters:
    ///   - configuration: Client settings of the region; `group.id` is set here (never joined).
    ///   - applicationID: `<application>-<region>`.
    ///   - topics: The table topics.
    ///   - origin: This process's run id.
    ///   - logger: Where progress goes.
    init(configuration: KafkaConfiguration, applicationID: String, topics: [String], origin: String, logger: Logger)
        throws(KafkaError)
    {
        var settings = configuration
        settings.groupID = "\(applicationID)-tables"
        settings["fetch.wait.max.ms"] = settings["fetch.wait.max.ms"] ?? "100"
        consumer = try KafkaConsumer(configuration: settings, logger: logger, maxBatchSize: 4096)
        self.logger = logger
        self.origin = Array(origin.utf8)
        self.topics = topics
    }

    /// Assigns every partition of the table topics and applies everything up to the high watermarks.
    ///
    /// - Parameters:
    ///   - engine: The engine whose tables to fill.
    ///   - partitions: Partition count per table topic.
    ///   - timeout: The longest wait without progress.
    /// - Throws: ``RuntimeError`` when a topic cannot be read.
    func bootstrap(engine: Engine, partitions: [String: Int], timeout: Duration) throws(RuntimeError) {
        var all: [KafkaTopicPartition] = []
        for topic in topics {
            for partition in 0..<Int32(partitions[topic] ?? 1) {
                all.append(KafkaTopicPartition(topic: topic, partition: partition))
            }
        }
        guard !all.isEmpty else { return }
        do {
            let targets = try CatchUpReader.targets(consumer: consumer, partitions: all, timeout: .seconds(10))
            try consumer.assign(all.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.beginning) })
            let count = try CatchUpReader.read(consumer: consumer, targets: targets, timeout: timeout) { record in
                if engine.applyTableRecord(topic: record.topic, key: record.key, value: record.value) { applied += 1 }
            }
            logger.info(
                "global tables loaded", metadata: ["topics": "\(topics.joined(separator: ","))", "records": "\(count)"])
        } catch let error as RuntimeError {
            throw RuntimeError(error.code, "loading global tables: \(error.message)")
        } catch {
            throw RuntimeError(.kafka, "loading global tables: \(error)")
        }
    }

    /// Applies the records that arrived since the last call (never waits).
    ///
    /// - Parameter engine: The engine whose tables to update.
    /// - Returns: The number of records applied.
    @discardableResult
    func poll(engine: Engine) throws -> Int {
        try consumer.poll(maxRecords: 1024, timeout: .zero) { batch -> Int in
            var count = 0
            for record in batch {
                if let header = record.headers.last(named: RuntimeHeaders.origin), let value = header.value,
                    value.elementsEqual(origin)
                {
                    continue
                }
                if engine.applyTableRecord(topic: record.topic, key: record.key, value: record.value) { count += 1 }
            }
            applied += count
            return count
        }
    }

    /// Closes the consumer.
    func close() {
        try? consumer.close()
    }
}
