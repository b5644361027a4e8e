import KafkaClient
import Logging
import Topology

/// The dead-letter topics of one region, read without a consumer group: each partition is assigned and read from
/// its beginning (or the requested offsets) to the high watermark it had when the read started.
///
/// Every method blocks: call from a dedicated thread (``KafkaClient/KafkaThread``), never from the cooperative
/// pool. Nothing is committed and no group is joined, so reading never disturbs the processors.
public struct DeadLetterQueue: Sendable {
    /// The dead-letter topics read.
    public let topics: [String]
    /// Client settings of the region (bootstrap servers, the region's `kafka:` settings and secrets, `-X`).
    public let kafka: KafkaConfiguration
    /// `<application>-<region>`: the reader's `group.id` is `<applicationID>-dlq` (never joined).
    public let applicationID: String
    /// The longest wait for metadata, and the longest time a read may make no progress.
    public let timeout: Duration
    /// How often a long read reports progress.
    public let progressInterval: Duration
    private let logger: Logger

    /// Creates a reader of a region's dead-letter topics.
    ///
    /// - Parameters:
    ///   - plan: The loaded region (``RuntimePlan/load(_:)``).
    ///   - topic: One dead-letter topic to read instead of all of the region's (``topics(of:)``).
    ///   - timeout: The longest wait for metadata, and for progress while reading.
    ///   - progressInterval: How often a long read calls its progress handler.
    ///   - logger: Receives librdkafka's log lines.
    public init(
        plan: RuntimePlan, topic: String? = nil, timeout: Duration = .seconds(15),
        progressInterval: Duration = .seconds(1), logger: Logger
    ) {
        topics = topic.map { [$0] } ?? Self.topics(of: plan.topology)
        kafka = plan.kafka
        applicationID = plan.applicationID
        self.timeout = timeout
        self.progressInterval = progressInterval
        self.logger = logger
    }

    /// The dead-letter topics of a topology: the outputs of kind `dead_letter` and those named by a pipeline's
    /// `deadLetter`, sorted, without repeats (every region runs every pipeline).
    public static func topics(of topology: Topology) -> [String] {
        var names = Set(topology.outputs.filter { $0.kind == .deadLetter }.map(\.topic))
        for pipeline in topology.pipelines {
            if let output = topology.output(named: pipeline.deadLetter) { names.insert(output.topic) }
        }
        return names.sorted()
    }

    /// The bootstrap servers, for messages.
    public var bootstrapServers: String { kafka.bootstrapServers ?? "?" }

    /// The watermarks of every partition of the dead-letter topics.
    ///
    /// - Throws: ``RuntimeError/Code/kafka`` when the cluster cannot be reached, ``RuntimeError/Code/missingTopic``
    ///   when a dead-letter topic does not exist.
    public func watermarks() throws(RuntimeError) -> [KafkaTopicPartition: KafkaWatermarks] {
        let admin: KafkaAdmin
        let metadata: KafkaClusterMetadata
        do {
            admin = try KafkaAdmin(configuration: KafkaPropertyScope.forProducer(kafka), logger: logger)
            metadata = try admin.metadata(timeout: timeout)
        } catch {
            throw RuntimeError(
                .kafka, "cannot read cluster metadata from \(bootstrapServers) (broker unreachable?): \(error.message)")
        }
        var result: [KafkaTopicPartition: KafkaWatermarks] = [:]
        for topic in topics {
            guard let described = metadata.topic(named: topic), described.error == nil, !described.partitions.isEmpty
            else {
                throw RuntimeError(
                    .missingTopic,
                    "dead-letter topic '\(topic)' does not exist on \(bootstrapServers) (wrong cluster or region? "
                        + "plantstream run creates it where the cluster allows)")
            }
            for partition in described.partitions {
                do {
                    result[KafkaTopicPartition(topic: topic, partition: partition.id)] = try admin.watermarks(
                        topic: topic, partition: partition.id, timeout: timeout)
                } catch {
                    throw RuntimeError(.kafka, "watermarks of \(topic)[\(partition.id)]: \(error.message)")
                }
            }
        }
        return result
    }

    /// Reads the dead-letter topics partition by partition, in offset order, and hands each dead letter that
    /// matches `filter` to `body`.
    ///
    /// Only the requested offsets are read when the filter names offsets; otherwise every partition from its log
    /// start to the high watermark it had when the read started (records that arrive later are not read).
    ///
    /// - Parameters:
    ///   - filter: Which dead letters to hand over.
    ///   - progress: Called at most once per ``progressInterval``, on this thread, once a read takes longer.
    ///   - body: Called with each matching dead letter, on this thread.
    /// - Returns: Counts, and the requested offsets that do not exist.
    /// - Throws: ``RuntimeError`` (unreachable cluster, missing topic, no progress for ``timeout``), or what
    ///   `body` throws.
    @discardableResult
    public func read(
        filter: DeadLetterFilter = .all,
        progress: ((DeadLetterReadProgress) -> Void)? = nil,
        _ body: (DeadLetter) throws -> Void
    ) throws -> DeadLetterReadSummary {
        let marks = try watermarks()
        var summary = DeadLetterReadSummary(topics: topics)
        let ranges = Self.ranges(filter: filter, watermarks: marks, unavailable: &summary.unavailable)
        let total = ranges.reduce(Int64(0)) { $0 + ($1.end - $1.start) }
        guard total > 0 else { return summary }

        var settings = KafkaPropertyScope.forConsumer(kafka)
        settings.groupID = "\(applicationID)-dlq"
        settings["enable.partition.eof"] = "false"
        settings["enable.auto.commit"] = "false"
        settings["auto.offset.reset"] = "earliest"
        // Dead letters of aborted transactions are not dead letters (the processor writes them again).
        settings["isolation.level"] = settings["isolation.level"] ?? "read_committed"
        settings["fetch.wait.max.ms"] = settings["fetch.wait.max.ms"] ?? "100"
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(configuration: settings, logger: logger, maxBatchSize: 4096)
        } catch {
            throw RuntimeError(.kafka, "cannot create the dead-letter reader: \(error.message)")
        }
        defer { try? consumer.close() }
        let started = ContinuousClock.now
        var lastReport = started
        for range in ranges {
            try consumer.assign([KafkaTopicPartitionOffset(range.partition, offset: range.start)])
            _ = try CatchUpReader.read(
                consumer: consumer, targets: [range.partition: range.end], timeout: timeout
            ) { record in
                // Records of an earlier assignment, or past the requested range, are not part of this read.
                guard record.partition == range.partition.partition, record.topic == range.partition.topic,
                    record.offset >= range.start, record.offset < range.end
                else { return }
                summary.read += 1
                let letter = DeadLetter(record)
                if filter.matches(letter) {
                    summary.count(letter)
                    try body(letter)
                }
                if let progress, summary.read % 256 == 0 {
                    let now = ContinuousClock.now
                    if now - lastReport >= progressInterval {
                        lastReport = now
                        progress(
                            DeadLetterReadProgress(
                                topic: range.partition.topic, partition: range.partition.partition,
                                read: summary.read, total: total))
                    }
                }
            }
        }
        return summary
    }

    /// One stretch of a partition to read: offsets `start..<end`.
    struct ReadRange {
        var partition: KafkaTopicPartition
        var start: Int64
        var end: Int64
    }

    /// The stretches to read, in topic, partition and offset order.
    static func ranges(
        filter: DeadLetterFilter, watermarks: [KafkaTopicPartition: KafkaWatermarks], unavailable: inout [String]
    ) -> [ReadRange] {
        let partitions = watermarks.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        guard let requested = filter.offsets else {
            return partitions.compactMap { partition in
                let marks = watermarks[partition]!
                return marks.high > marks.low ? ReadRange(partition: partition, start: marks.low, end: marks.high) : nil
            }
        }
        var result: [ReadRange] = []
        for range in requested {
            let matching = partitions.filter { candidate in
                candidate.partition == range.partition && (range.topic.map { $0 == candidate.topic } ?? true)
            }
            let known = Set(partitions.map(\.topic))
            if let topic = range.topic, !known.contains(topic) {
                unavailable.append(
                    "\(range): '\(topic)' is not a dead-letter topic read here (\(known.sorted().joined(separator: ", ")))"
                )
            } else if matching.isEmpty {
                let topics = range.topic.map { [$0] } ?? known.sorted()
                unavailable.append("\(range): \(topics.joined(separator: ", ")) has no partition \(range.partition)")
            }
            for partition in matching {
                let marks = watermarks[partition]!
                let start = max(range.offsets.lowerBound, marks.low)
                // `upperBound` may be Int64.max (bad input): compare before adding one.
                let end = range.offsets.upperBound < marks.high ? range.offsets.upperBound + 1 : marks.high
                if start >= end || range.offsets.lowerBound < marks.low || range.offsets.upperBound >= marks.high {
                    let held = marks.high > marks.low ? "offsets \(marks.low)-\(marks.high - 1)" : "no records"
                    unavailable.append(
                        "\(partition.topic)/\(partition.partition)/\(Self.span(range.offsets)): "
                            + "not (all) in the topic: partition \(partition.partition) holds \(held)")
                }
                if start < end { result.append(ReadRange(partition: partition, start: start, end: end)) }
            }
        }
        // Overlapping requests are read once.
        result.sort {
            ($0.partition.topic, $0.partition.partition, $0.start) < (
                $1.partition.topic, $1.partition.partition, $1.start
            )
        }
        var merged: [ReadRange] = []
        for range in result {
            if let last = merged.last, last.partition == range.partition, range.start <= last.end {
                merged[merged.count - 1].end = max(last.end, range.end)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    private static func span(_ offsets: ClosedRange<Int64>) -> String {
        // Not `offsets.count`: it traps for ranges longer than Int.max.
        offsets.lowerBound == offsets.upperBound
            ? "\(offsets.lowerBound)" : "\(offsets.lowerBound)-\(offsets.upperBound)"
    }
}
