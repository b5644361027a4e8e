import Engine
import KafkaClient
import Logging
import Topology

/// Creates, restores and removes the tasks of the partitions this instance owns (Kafka Streams'
/// `TaskManager`).
///
/// A task is created when its partition is assigned: the group's committed offset and its checkpoint are
/// read first, then the task's stores are restored from their changelogs up to that checkpoint (never ahead
/// of the committed offset), and processing resumes at the committed offset.
///
/// - Important: Confined to the processing thread.
final class TaskManager: PartitionOwner {
    private let engine: Engine
    private let sink: any Sink
    private let consumer: KafkaConsumer
    private let restorer: ChangelogRestorer
    private let logger: Logger

    private var partitions: [KafkaTopicPartition: OwnedPartition] = [:]
    /// `partitions` by (interned topic index << 32 | partition); cleared whenever tasks are created or removed.
    private var byIndex: [Int64: OwnedPartition] = [:]
    /// The owned partitions ordered by (topic, partition).
    private(set) var owned: [OwnedPartition] = []
    /// Counters of removed tasks.
    private(set) var retired = TaskMetrics()
    /// Changelog records applied by restores so far.
    private(set) var restoredRecords = 0

    /// Creates the manager.
    ///
    /// - Parameters:
    ///   - engine: The engine that makes the tasks.
    ///   - sink: Where the tasks write.
    ///   - consumer: The group consumer (committed offsets, seeks).
    ///   - restorer: Reads changelogs.
    ///   - logger: Where restores are reported.
    init(engine: Engine, sink: any Sink, consumer: KafkaConsumer, restorer: ChangelogRestorer, logger: Logger) {
        self.engine = engine
        self.sink = sink
        self.consumer = consumer
        self.restorer = restorer
        self.logger = logger
    }

    var committable: [any CommittablePartition] { owned }

    func committable(_ key: KafkaTopicPartition) -> (any CommittablePartition)? { partitions[key] }

    /// The owned partition with this key.
    subscript(key: KafkaTopicPartition) -> OwnedPartition? { partitions[key] }

    /// The owned partition of a record, by the consumer's interned topic index (a small cache keyed by
    /// integers: no string per record).
    @inline(__always)
    func partition(topicIndex: Int, partition: Int32, _ batch: KafkaRecordBatch) -> OwnedPartition? {
        let key = Int64(topicIndex) << 32 | Int64(UInt32(bitPattern: partition))
        if let owned = byIndex[key] { return owned }
        guard let owned = partitions[KafkaTopicPartition(topic: batch.topic(ofIndex: topicIndex), partition: partition)]
        else { return nil }
        byIndex[key] = owned
        return owned
    }

    /// Creates and restores the tasks of newly owned partitions; with `seek`, moves the consumer back to the
    /// committed offsets (after an aborted transaction).
    ///
    /// - Throws: ``RuntimeError`` when the committed offsets or the changelogs cannot be read.
    func create(_ keys: [KafkaTopicPartition], seek: Bool) throws(RuntimeError) {
        let keys = keys.filter { partitions[$0] == nil }
        guard !keys.isEmpty else { return }
        var created: [PartitionTask] = []
        do {
            // The committed offsets first: they say which checkpoint of the changelogs to restore.
            var committed: [KafkaTopicPartition: KafkaTopicPartitionOffset] = [:]
            for entry in try consumer.committed(keys, timeout: .seconds(30)) { committed[entry.topicPartition] = entry }
            var limits: [CommittedCheckpoint] = []
            for key in keys {
                created.append(try engine.makeTask(topic: key.topic, partition: key.partition, sink: sink))
                let entry = committed[key]
                limits.append(CommittedCheckpoint(offset: entry?.offset ?? -1, metadata: entry?.metadata))
            }
            restoredRecords += try restorer.restore(created, upTo: limits)
            for (index, key) in keys.enumerated() {
                let offset = max(committed[key]?.offset ?? -1, -1)
                let point = CommitPoint(offset: offset, checkpoint: limits[index].checkpoint)
                let state = OwnedPartition(key: key, task: created[index], committed: point)
                partitions[key] = state
                owned.append(state)
            }
            byIndex.removeAll(keepingCapacity: true)
            owned.sort { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            if seek {
                try consumer.seek(
                    keys.map { key in
                        let offset = partitions[key]!.committed.offset
                        return KafkaTopicPartitionOffset(key, offset: offset >= 0 ? offset : KafkaOffset.beginning)
                    },
                    timeout: .seconds(10))
            }
        } catch let error as RuntimeError {
            for task in created
            where partitions[KafkaTopicPartition(topic: task.topic, partition: task.partition)] == nil {
                task.close()
            }
            throw error
        } catch let error as EngineError {
            for task in created { task.close() }
            throw RuntimeError(.engine, error.description)
        } catch let error as KafkaError {
            for task in created
            where partitions[KafkaTopicPartition(topic: task.topic, partition: task.partition)] == nil {
                task.close()
            }
            throw RuntimeError(.kafka, "assigning \(Self.describe(keys)): \(error.message)")
        } catch {
            throw RuntimeError(.kafka, "\(error)")
        }
    }

    /// Closes the tasks of partitions that go (their state stays in the changelogs).
    func remove(_ keys: [KafkaTopicPartition]) {
        byIndex.removeAll(keepingCapacity: true)
        for key in keys {
            guard let state = partitions.removeValue(forKey: key) else { continue }
            var metrics = state.task.metrics
            metrics.parked = 0
            metrics.sparkplugRebirthsNeeded = 0
            metrics.sparkplugParked = 0
            retired.add(metrics)
            state.task.close()
        }
        let removed = Set(keys)
        owned.removeAll { removed.contains($0.key) }
    }

    func rebuildAll() throws(RuntimeError) {
        let keys = owned.map(\.key)
        remove(keys)
        try create(keys, seek: true)
    }

    /// `topic[partition]` list for logs.
    static func describe(_ keys: [KafkaTopicPartition]) -> String {
        keys.map(\.description).sorted().joined(separator: ",")
    }
}
