import KafkaClient
import Logging
import Synchronization

/// Sends planned replays through an idempotent producer and waits for every acknowledgement.
///
/// Blocking: call from a dedicated thread (``KafkaClient/KafkaThread``), never from the cooperative pool.
public struct DeadLetterReplayer: Sendable {
    /// The outcome of one replayed record.
    public struct Result: Sendable, Hashable {
        /// What was sent.
        public var replay: DeadLetterReplay
        /// The partition it went to (or was meant for).
        public var partition: Int32
        /// Its offset, when acknowledged.
        public var offset: Int64?
        /// Why it was not delivered, when it was not.
        public var error: String?

        /// Whether the broker acknowledged the record.
        public var isDelivered: Bool { error == nil && offset != nil }
    }

    /// Client settings of the region.
    public let kafka: KafkaConfiguration
    /// The longest wait for metadata and for all acknowledgements.
    public let timeout: Duration
    private let logger: Logger

    /// Creates a replayer.
    ///
    /// - Parameters:
    ///   - kafka: Client settings of the region (``RuntimePlan/kafka``).
    ///   - timeout: The longest wait for metadata, and for the acknowledgements of the whole replay.
    ///   - logger: Receives librdkafka's log lines.
    public init(kafka: KafkaConfiguration, timeout: Duration = .seconds(30), logger: Logger) {
        self.kafka = kafka
        self.timeout = timeout
        self.logger = logger
    }

    /// The partition counts of the topics, checking that they exist.
    ///
    /// - Parameter topics: The target topics.
    /// - Throws: ``RuntimeError/Code/kafka`` when the cluster cannot be reached, ``RuntimeError/Code/missingTopic``
    ///   when a topic does not exist.
    public func partitionCounts(of topics: Set<String>) throws(RuntimeError) -> [String: Int] {
        let metadata: KafkaClusterMetadata
        do {
            let admin = try KafkaAdmin(configuration: KafkaPropertyScope.forProducer(kafka), logger: logger)
            metadata = try admin.metadata(timeout: timeout)
        } catch {
            throw RuntimeError(
                .kafka,
                "cannot read cluster metadata from \(kafka.bootstrapServers ?? "?") (broker unreachable?): "
                    + error.message)
        }
        var counts: [String: Int] = [:]
        for topic in topics.sorted() {
            guard let described = metadata.topic(named: topic), described.error == nil, !described.partitions.isEmpty
            else {
                throw RuntimeError(
                    .missingTopic,
                    "topic '\(topic)' does not exist on \(kafka.bootstrapServers ?? "?"); nothing was replayed")
            }
            counts[topic] = described.partitions.count
        }
        return counts
    }

    /// Sends the records in order and waits until each is acknowledged or failed.
    ///
    /// The producer is idempotent (`enable.idempotence=true`, so `acks=all` and no duplicates or reordering from
    /// its own retries); a record that fails (refused locally, e.g. too large, or by the broker) is reported in
    /// its result, and the others are still sent.
    ///
    /// - Parameter replays: The records (``DeadLetterReplay/plan(_:toTopic:partitionCounts:)``).
    /// - Returns: One result per record, in order; a record not acknowledged within ``timeout`` has an error that
    ///   says it may or may not have been written.
    /// - Throws: ``RuntimeError/Code/kafka`` when the producer cannot be created.
    public func send(_ replays: [DeadLetterReplay]) throws(RuntimeError) -> [Result] {
        guard !replays.isEmpty else { return [] }
        let reports = Mutex<[UInt64: KafkaDeliveryReport]>([:])
        var settings = KafkaPropertyScope.forProducer(kafka)
        // Replays are few: send at once. Idempotence cannot be switched off here.
        settings["linger.ms"] = settings["linger.ms"] ?? "5"
        settings["enable.idempotence"] = "true"
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(configuration: settings, logger: logger) { report in
                reports.withLock { $0[report.token] = report }
            }
        } catch {
            throw RuntimeError(.kafka, "cannot create the replay producer: \(error.message)")
        }
        var results: [Result] = []
        for (index, replay) in replays.enumerated() {
            results.append(Result(replay: replay, partition: replay.partition ?? -1, offset: nil, error: nil))
            do {
                let topic = try producer.topic(replay.topic)
                try Self.withBytes(replay.key) { key throws(KafkaError) in
                    try Self.withBytes(replay.value) { value throws(KafkaError) in
                        try producer.send(
                            to: topic, partition: replay.partition, key: key, value: value,
                            headers: replay.headers.isEmpty ? .none : .list(replay.headers),
                            timestamp: replay.timestamp, token: UInt64(index))
                    }
                }
            } catch {
                results[index].error = error.message
            }
        }
        // A timeout is no reason to forget what was acknowledged: every record gets its outcome, and the ones
        // without a delivery report are named as possibly written.
        var unacknowledged: String?
        do {
            try producer.close(timeout: timeout)
        } catch {
            unacknowledged =
                "not acknowledged within \(timeout) (\(error.message)): it may or may not have been written; "
                + "look for its ps_replayed_from header in the target topic before replaying it again"
        }
        let delivered = reports.withLock { $0 }
        for index in results.indices where results[index].error == nil {
            guard let report = delivered[UInt64(index)] else {
                results[index].error = unacknowledged ?? "no delivery report"
                continue
            }
            results[index].partition = report.partition
            if let error = report.error {
                results[index].error = "\(error.name): \(error.explanation)"
            } else {
                results[index].offset = report.offset
            }
        }
        return results
    }

    private static func withBytes(
        _ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws(KafkaError) -> Void
    ) throws(KafkaError) {
        guard let bytes else { return try body(nil) }
        var failure: KafkaError?
        bytes.withUnsafeBytes { buffer in
            do throws(KafkaError) {
                try body(buffer)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}
