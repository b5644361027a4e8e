import Foundation
import KafkaClient
import Logging
import Runtime
import Synchronization

/// `plantstream bench e2e`: the raw pipe (the ceiling), job A (validate + route 1:1 of `machine.cycle`) and
/// job B (60 s tumbling windows per plant/line/work center summing good and scrap counts) over the same
/// number of events through the embedded broker, each measured in a fresh process.
///
/// Every run starts a fresh embedded cluster and preloads the input (not timed): synthetic `machine.cycle/v2`
/// events of `partitions` × 4 machines, one (plant, line, work center) per partition, so that the input fits
/// the broker's 5 MiB per partition. The pipe copies records of the same size. Timing runs from the first
/// batch to the moment every output is acknowledged and the input offsets are committed; CPU seconds are the
/// whole process's (processor, librdkafka and the in-process broker).
public struct E2EBenchmark: Sendable {
    /// The jobs.
    public enum Job: String, Sendable, CaseIterable {
        /// The raw librdkafka pipe.
        case pipe
        /// Job A: validate + route 1:1.
        case route
        /// Job B: 60 s tumbling windows.
        case window

        var workspaceJob: BenchWorkspace.Job {
            switch self {
            case .pipe: .pipe
            case .route: .route
            case .window: .window
            }
        }
    }

    /// What to run.
    public struct Configuration: Sendable {
        /// Input events per run.
        public var events = 1_000_000
        /// Partitions of the input and output topics (one plant/line/work center each).
        public var partitions = 128
        /// Largest batch per poll.
        public var maxBatch = 4096
        /// The repository (for `schemas/`).
        public var repository = "."

        /// The defaults.
        public init() {}

        /// Checks that the input fits the embedded broker's retention.
        ///
        /// - Throws: ``BenchmarksError`` explaining what to change.
        public func validate() throws(BenchmarksError) {
            guard events > 0, partitions > 0, maxBatch > 0 else {
                throw BenchmarksError(.invalidConfiguration, "events, partitions and batch must be positive")
            }
            // ~430 bytes of record plus ~70 of overhead in the log per event.
            let perPartition = (events + partitions - 1) / partitions * 500
            guard perPartition <= PipeBenchmark.Configuration.retainedBytesPerPartition * 9 / 10 else {
                throw BenchmarksError(
                    .invalidConfiguration,
                    "\(events) events over \(partitions) partitions need about \(perPartition / 1024) KiB per "
                        + "partition; the embedded broker keeps 5 MiB: use more partitions")
            }
        }
    }

    /// The configuration.
    public var configuration: Configuration
    private let logger: Logger

    /// Creates the benchmark.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The mean key + value size of the synthetic events (the pipe copies records of this size).
    public func meanRecordSize() -> Int {
        var stream = CycleStream(partitions: configuration.partitions, startMs: Self.startMs)
        let sample = min(configuration.events, 10_000)
        var bytes = 0
        for index in 0..<sample { bytes += stream.withEvent(index) { $1.count + $2.count } }
        return bytes / max(sample, 1)
    }

    static let startMs: Int64 = 1_776_153_600_000  // 2026-04-14T08:00:00Z

    /// Consumer settings of every job (the pipe's, plus the runtime's prefetch defaults for the pipe).
    static let consumerProperties = [
        "fetch.wait.max.ms": "10", "fetch.max.bytes": "52428800", "max.partition.fetch.bytes": "1048576",
        "queued.min.messages": "1000000", "queued.max.messages.kbytes": "262144",
    ]

    /// Runs one job once in this process (blocking; call on a dedicated thread).
    ///
    /// - Parameter job: The job.
    /// - Returns: The measurement.
    /// - Throws: ``BenchmarksError`` or a Kafka/runtime error.
    public func measure(_ job: Job) throws -> BenchmarkMeasurement {
        try configuration.validate()
        switch job {
        case .pipe:
            var settings = PipeBenchmark.Configuration()
            settings.records = configuration.events
            settings.partitions = configuration.partitions
            settings.recordSize = meanRecordSize()
            settings.runs = 1
            settings.maxBatch = configuration.maxBatch
            settings.partitionEvenly = true
            settings.passes = 1
            // The runtime acknowledges outputs asynchronously (a commit waits for its generation, never a
            // batch for its acks), so the comparable ceiling is the pipe without a per-batch wait.
            settings.deliveryWait = .end
            settings.consumerProperties = Self.consumerProperties

            return try PipeBenchmark(configuration: settings, logger: logger).runOnce()
        case .route, .window:
            return try measureJob(job)
        }
    }

    private func measureJob(_ job: Job) throws -> BenchmarkMeasurement {
        let settings = configuration
        let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: logger)
        let application = "bench-\(job.rawValue)"
        let workspace = try BenchWorkspace(
            job: job.workspaceJob, repository: settings.repository, partitions: settings.partitions,
            application: application)
        defer { workspace.remove() }
        var runtime = RuntimeConfiguration(
            topologyPath: workspace.topologyPath, region: "bench", bootstrapServers: cluster.bootstrapServers,
            instanceID: "bench",
            kafkaProperties: KafkaEmbeddedCluster.clientDefaults.merging(Self.consumerProperties) { $1 },
            environment: [:])
        runtime.maxBatch = settings.maxBatch

        runtime.logInterval = nil
        runtime.stopAfterRecords = settings.events
        let plan = try RuntimePlan.load(runtime)
        for topic in try plan.topicRequirements() {
            try cluster.createTopic(topic.name, partitions: topic.partitions)
        }
        // On its own thread so that profiles of the processing thread (ps-bench-e2e) show processing only.
        let loader = KafkaThread(name: "ps-bench-load")
        defer { loader.shutdown() }
        let bytes = try Self.blocking(on: loader) { try preload(cluster) }

        let marks = Marks()
        let timed = plan.updatingConfiguration {
            $0.hooks = RuntimeHooks(
                firstRecords: { marks.start() },
                drained: { marks.end() })
        }
        let metrics = RuntimeMetrics()
        let stop = StopSignal()
        try ProcessorService.runBlocking(plan: timed, metrics: metrics, stop: stop, logger: logger)
        let statistics = metrics.snapshot
        guard statistics.eventsIn == settings.events else {
            throw BenchmarksError(.failed, "processed \(statistics.eventsIn) of \(settings.events) events")
        }
        guard statistics.deadLetters == 0 else {
            throw BenchmarksError(.failed, "\(statistics.deadLetters) dead letters: \(statistics.deadLettersByCode)")
        }
        let written = statistics.outputsByTopic[BenchWorkspace.outputTopic] ?? 0
        if job == .route, written != settings.events {
            throw BenchmarksError(.failed, "routed \(written) of \(settings.events) events")
        }
        if job == .window, written == 0 {
            throw BenchmarksError(.failed, "no window results")
        }
        guard let (start, end) = marks.interval else { throw BenchmarksError(.failed, "no timing marks") }
        return BenchmarkMeasurement(
            records: settings.events, bytes: bytes, seconds: end.seconds - start.seconds,
            cpuSeconds: end.usage.cpuSeconds - start.usage.cpuSeconds, peakResidentBytes: end.usage.peakResidentBytes)
    }

    /// Runs `body` on `thread` and waits for it (the caller is a dedicated thread, never the cooperative pool).
    private static func blocking<T: Sendable>(on thread: KafkaThread, _ body: @escaping @Sendable () throws -> T) throws
        -> T
    {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        thread.execute {
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }

    /// Writes the input events (not timed); returns their key + value bytes.
    private func preload(_ cluster: KafkaEmbeddedCluster) throws -> Int {
        let producer = try KafkaProducer(
            configuration: cluster.configuration([
                "batch.size": "65536", "linger.ms": "5", "queue.buffering.max.messages": "500000",
            ]),  // (includes the embedded broker's client defaults)
            logger: logger)
        let topic = try producer.topic(BenchWorkspace.inputTopic)
        var stream = CycleStream(partitions: configuration.partitions, startMs: Self.startMs)
        var bytes = 0
        var failure: (any Error)?
        // Partition by partition (each in event-time order), so that the producer fills whole batches.
        for index in stream.indexesByPartition(count: configuration.events) {
            stream.withEvent(index) { partition, key, value in
                bytes += key.count + value.count
                do {
                    try producer.send(to: topic, partition: partition, key: key, value: value, timestamp: Self.startMs)
                } catch {
                    failure = failure ?? error
                }
            }
            if let failure { throw failure }
        }
        try producer.close(timeout: .seconds(300))
        return bytes
    }
}

/// The start and end instants of a timed run, set from the processing thread.
final class Marks: Sendable {
    struct Mark: Sendable {
        var seconds: Double
        var usage: ResourceUsage
    }

    private let state = Mutex<(start: Mark?, end: Mark?)>((nil, nil))

    func start() {
        let mark = Self.now()
        state.withLock { $0.start = $0.start ?? mark }
    }

    func end() {
        let mark = Self.now()
        state.withLock { $0.end = mark }
    }

    var interval: (Mark, Mark)? {
        state.withLock { state in
            guard let start = state.start, let end = state.end else { return nil }
            return (start, end)
        }
    }

    private static func now() -> Mark {
        Mark(seconds: ProcessInfo.processInfo.systemUptime, usage: ResourceUsage.now())
    }
}
