import KafkaClient
import Logging

/// The raw librdkafka pipe on the embedded cluster: consume → produce unchanged (key, value,
/// headers), the ceiling every PlantStream throughput figure is compared with.
///
/// Each run starts a fresh embedded cluster, preloads the input topic (not timed), then copies it
/// to an output topic the way the runtime processes batches: poll a batch, produce every record,
/// wait until the batch's outputs are acknowledged, store the batch's offsets, commit every
/// 100 ms. The input is copied `passes` times (reassigned from the beginning after each pass) so
/// that the timed window is long enough to be stable; the output may exceed the mock's retention,
/// which only drops old output batches. Timing starts at the first non-empty batch.
public struct PipeBenchmark: Sendable {
    /// When the copy loop waits for delivery reports.
    public enum DeliveryWait: String, Sendable, CaseIterable {
        /// After every batch, before storing its offsets (at-least-once, as the runtime does).
        case batch
        /// Only once at the end (no per-batch acknowledgement: an upper bound, not a safe pipe).
        case end
    }

    /// What to run.
    public struct Configuration: Sendable {
        /// Records preloaded per run.
        public var records = 100_000
        /// Times the preloaded input is copied per run.
        public var passes = 5
        /// Partitions of the input and output topics.
        public var partitions = 8
        /// Key + value bytes per record.
        public var recordSize = 280
        /// Timed runs (the median is reported).
        public var runs = 5
        /// Largest batch per poll.
        public var maxBatch = 2000
        /// Producer `batch.size` in bytes (64 KiB suits the mock's one-batch-per-fetch behaviour).
        public var producerBatchBytes = 65_536
        /// Producer `linger.ms`.
        public var lingerMilliseconds = 1
        /// When to wait for delivery reports.
        public var deliveryWait = DeliveryWait.batch
        /// Preload the records in contiguous blocks, one per partition (record `i` into partition
        /// `i × partitions / records`), and copy each record to its input partition (instead of
        /// partitioning by key): an even spread whatever the keys, in full batches, so large runs fit the
        /// embedded broker's retention (`bench e2e` uses it).
        public var partitionEvenly = false
        /// The records to copy (`nil`: synthetic records of `recordSize` bytes). With an input, set
        /// `partitionEvenly` so that each record is copied to its input partition.
        public var input: BenchInput?
        /// Extra librdkafka properties for the copy loop's producer (override the defaults).
        public var producerProperties: [String: String] = [:]
        /// Extra librdkafka properties for the copy loop's consumer (override the defaults).
        public var consumerProperties: [String: String] = [:]

        /// The defaults.
        public init() {}

        /// The embedded broker keeps at most 5 MiB of batches per partition; the preload must fit.
        public static let retainedBytesPerPartition = 5 * 1_048_576

        /// Checks that a run fits the embedded broker's retention.
        ///
        /// - Throws: ``BenchmarksError`` explaining what to change.
        public func validate() throws(BenchmarksError) {
            guard records > 0, partitions > 0, runs > 0, maxBatch > 0, passes > 0 else {
                throw BenchmarksError(
                    .invalidConfiguration,
                    "records, partitions, passes, runs and batch must be positive"
                )
            }
            guard recordSize >= 32 else {
                throw BenchmarksError(.invalidConfiguration, "record size must be at least 32 bytes")
            }
            // ~70 bytes of record and batch overhead per record in the log, with headroom.
            let perPartition = (records + partitions - 1) / partitions * (recordSize + 70)
            guard perPartition <= Self.retainedBytesPerPartition * 9 / 10 else {
                throw BenchmarksError(
                    .invalidConfiguration,
                    "\(records) records of \(recordSize) bytes over \(partitions) partitions need about "
                        + "\(perPartition / 1024) KiB per partition; the embedded broker keeps 5 MiB per "
                        + "partition (older data is dropped): use more partitions or fewer records"
                )
            }
        }
    }

    /// The configuration.
    public var configuration: Configuration
    private let logger: Logger

    /// Creates the benchmark.
    public init(configuration: Configuration, logger: Logger = Logger(label: "plantstream.bench.pipe")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs every timed run, one after another, on the calling thread (blocking).
    ///
    /// - Parameter progress: Called after each run with its index and measurement.
    /// - Returns: The measurements in run order.
    public func run(progress: (Int, BenchmarkMeasurement) -> Void = { _, _ in }) throws -> [BenchmarkMeasurement] {
        try configuration.validate()
        var results: [BenchmarkMeasurement] = []
        for index in 0..<configuration.runs {
            let measurement = try runOnce()
            results.append(measurement)
            progress(index, measurement)
        }
        return results
    }

    /// One run on a fresh cluster.
    public func runOnce() throws -> BenchmarkMeasurement {
        let settings = configuration
        let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: logger)
        try cluster.createTopic("pipe-in", partitions: settings.partitions)
        try cluster.createTopic("pipe-out", partitions: settings.partitions)
        let producerConfiguration = cluster.configuration([
            "batch.size": "\(settings.producerBatchBytes)",
            "linger.ms": "\(settings.lingerMilliseconds)",
            "queue.buffering.max.messages": "200000",
            "socket.nagle.disable": "true",
        ])
        let bytes = try preload(cluster, producerConfiguration)

        let producer = try KafkaProducer(
            configuration: producerConfiguration.merging(KafkaConfiguration(settings.producerProperties)),
            logger: logger
        )
        let output = try producer.topic("pipe-out")
        let consumer = try KafkaConsumer(
            configuration: cluster.configuration([
                "group.id": "pipe",
                "fetch.wait.max.ms": "10",
                "fetch.max.bytes": "52428800",
                "max.partition.fetch.bytes": "1048576",
                "queued.min.messages": "100000",
                "socket.nagle.disable": "true",
            ]).merging(KafkaConfiguration(settings.consumerProperties)),
            logger: logger,
            maxBatchSize: settings.maxBatch
        )
        let fromBeginning = (0..<Int32(settings.partitions)).map {
            KafkaTopicPartitionOffset(topic: "pipe-in", partition: $0, offset: KafkaOffset.beginning)
        }
        try consumer.assign(fromBeginning)

        let total = settings.records * settings.passes
        var copied = 0
        var passesDone = 0
        var started: ContinuousClock.Instant?
        var usageAtStart = ResourceUsage.now()
        var lastCommit = ContinuousClock.now
        let idleLimit = ContinuousClock.now + .seconds(60)
        while copied < total {
            guard started != nil || ContinuousClock.now < idleLimit else {
                throw BenchmarksError(.failed, "no records arrived within 60 s")
            }
            try consumer.poll(maxRecords: settings.maxBatch, timeout: .milliseconds(100)) { batch in
                guard !batch.isEmpty else { return }
                if started == nil {
                    started = .now
                    usageAtStart = ResourceUsage.now()
                }
                for record in batch {
                    try producer.send(
                        to: output,
                        partition: settings.partitionEvenly ? record.partition : nil,
                        key: record.key,
                        value: record.value,
                        headers: .copy(record.headers),
                        timestamp: record.timestamp
                    )
                }
                if settings.deliveryWait == .batch {
                    while producer.inFlightCount > 0 { producer.poll(timeout: .milliseconds(10)) }
                }
                try consumer.storeOffsets(for: batch)
                copied += batch.count
            }
            producer.poll()
            if copied < total && copied == settings.records * (passesDone + 1) {
                // A pass is complete: read the input again from the beginning.
                passesDone += 1
                try consumer.commit()
                try consumer.assign(fromBeginning)
            }
            if ContinuousClock.now - lastCommit >= .milliseconds(100) {
                consumer.commitAsync()
                lastCommit = .now
            }
        }
        try producer.flush(timeout: .seconds(60))
        try consumer.commit()
        let elapsed = ContinuousClock.now - (started ?? .now)
        let usage = ResourceUsage.now()
        // High watermarks count every appended record, also those the mock's retention dropped.
        let written = try (0..<Int32(settings.partitions)).reduce(0) { sum, partition in
            sum + Int(try consumer.watermarks(topic: "pipe-out", partition: partition, timeout: .seconds(10)).high)
        }
        try consumer.close()
        guard written == total else {
            throw BenchmarksError(.failed, "the output topic received \(written) records, expected \(total)")
        }
        var measurement = BenchmarkMeasurement(
            records: copied,
            bytes: bytes * settings.passes,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            cpuSeconds: usage.cpuSeconds - usageAtStart.cpuSeconds,
            peakResidentBytes: usage.peakResidentBytes
        )
        measurement.embeddedBrokerCPUSeconds = usage.embeddedBrokerCPUSeconds - usageAtStart.embeddedBrokerCPUSeconds
        return measurement
    }

    /// Writes the input records; returns their key + value bytes.
    private func preload(_ cluster: KafkaEmbeddedCluster, _ producerConfiguration: KafkaConfiguration) throws -> Int {
        let settings = configuration
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let input = try producer.topic("pipe-in")
        if let records = settings.input {
            return try records.preload(
                count: settings.records, partitions: settings.partitions, into: input, of: producer)
        }
        var key = [UInt8]()
        var value = [UInt8]()
        var bytes = 0
        for index in 0..<settings.records {
            Self.fill(&key, &value, index: index, size: settings.recordSize)
            bytes += key.count + value.count
            let partition = settings.partitionEvenly ? Int32(index * settings.partitions / settings.records) : nil
            try key.withUnsafeBytes { keyBytes in
                try value.withUnsafeBytes { valueBytes in
                    try producer.send(to: input, partition: partition, key: keyBytes, value: valueBytes)
                }
            }
        }
        try producer.flush(timeout: .seconds(120))
        return bytes
    }

    /// A plant-floor-like record: key `plant-P|line-L`, a JSON value padded to `size` bytes in all.
    static func fill(_ key: inout [UInt8], _ value: inout [UInt8], index: Int, size: Int) {
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: "plant-\(index % 7)|line-\(index % 41)".utf8)
        value.removeAll(keepingCapacity: true)
        value.append(
            contentsOf:
                "{\"eventId\":\"evt-\(index)\",\"type\":\"machine.cycle/v2\",\"plantId\":\"plant-\(index % 7)\",\"equipmentId\":\"line-\(index % 41)\",\"ts\":\(1_700_000_000_000 + index),\"pad\":\""
                .utf8
        )
        let closing = 2
        while key.count + value.count + closing < size { value.append(UInt8(ascii: "x")) }
        value.append(contentsOf: "\"}".utf8)
    }
}
