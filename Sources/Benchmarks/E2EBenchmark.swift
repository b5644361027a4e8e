import Engine
import Foundation
import KafkaClient
import Logging
import Runtime
import Synchronization
import Topology

/// `plantstream bench e2e`: the raw pipe (the ceiling) and a processing job over the same records through the
/// embedded broker, each measured in a fresh process. The jobs are a shipped workload's job A (validate + route
/// 1:1) and job B (60 s tumbling windows per plant/line/work center summing good and scrap counts), or any
/// topology's pipelines on the records of a workload or a file.
///
/// Every run starts a fresh embedded cluster and preloads the input (not timed): a workload's synthetic events,
/// spread over the partitions so that the input fits the broker's 5 MiB per partition, or a file's records. The
/// pipe copies the same records. Timing runs from the first batch to the moment every output is acknowledged
/// and the input offsets are committed; CPU seconds are the whole process's (processor, librdkafka and the
/// in-process broker), and the processing thread's alone.
public struct E2EBenchmark: Sendable {
    /// The jobs.
    public enum Job: String, Sendable, CaseIterable {
        /// The raw librdkafka pipe.
        case pipe
        /// Job A of the workload: validate + route 1:1.
        case route
        /// Job B of the workload: 60 s tumbling windows.
        case window
        /// The pipelines of a given topology.
        case topology
    }

    /// A user's topology to measure instead of a workload's jobs.
    public struct TopologyTarget: Sendable {
        /// The topology file.
        public var path: String
        /// The region to run.
        public var region: String
        /// The source whose topic receives the input (`nil`: the topology's only source).
        public var source: String?

        /// Creates a target.
        public init(path: String, region: String, source: String? = nil) {
            self.path = path
            self.region = region
            self.source = source
        }
    }

    /// What to run.
    public struct Configuration: Sendable {
        /// Input events per run (a records file: its records, repeated or cut to this count).
        public var events = 1_000_000
        /// Partitions of a workload's input and output topics.
        public var partitions = 128
        /// Largest batch per poll.
        public var maxBatch = 4096
        /// The repository (for `schemas/`).
        public var repository = "."
        /// The shape of the synthetic input.
        public var workload = BenchWorkload.catalogue
        /// A file of key/value lines to preload instead of the workload's events.
        public var recordsFile: String?
        /// A topology to run instead of the workload's jobs.
        public var topology: TopologyTarget?

        /// The defaults.
        public init() {}

        /// Checks that the input fits the embedded broker's retention.
        ///
        /// - Parameters:
        ///   - meanRecordSize: The input's mean key + value bytes.
        ///   - partitions: The input topic's partitions.
        /// - Throws: ``BenchmarksError`` explaining what to change.
        public func validate(meanRecordSize: Int = 430, partitions: Int? = nil) throws(BenchmarksError) {
            let partitions = partitions ?? self.partitions
            guard events > 0, partitions > 0, maxBatch > 0 else {
                throw BenchmarksError(.invalidConfiguration, "events, partitions and batch must be positive")
            }
            // The record plus ~70 bytes of overhead in the log per event; keyed files spread unevenly.
            let skew = recordsFile == nil ? 1.0 : 1.3
            let perPartition = Int(Double((events + partitions - 1) / partitions * (meanRecordSize + 70)) * skew)
            guard perPartition <= PipeBenchmark.Configuration.retainedBytesPerPartition * 9 / 10 else {
                throw BenchmarksError(
                    .invalidConfiguration,
                    "\(events) events over \(partitions) partitions need about \(perPartition / 1024) KiB per "
                        + "partition; the embedded broker keeps 5 MiB: use more partitions or fewer events")
            }
        }
    }

    /// The configuration.
    public var configuration: Configuration
    /// The records every job preloads.
    public let input: BenchInput
    private let logger: Logger

    /// Creates the benchmark (reads the records file, if any).
    ///
    /// - Throws: ``BenchmarksError`` when the records file cannot be read.
    public init(configuration: Configuration, logger: Logger) throws(BenchmarksError) {
        self.configuration = configuration
        self.logger = logger
        input =
            try configuration.recordsFile.map { path throws(BenchmarksError) in try BenchInput(recordsFile: path) }
            ?? BenchInput(workload: configuration.workload)
    }

    /// The mean key + value size of the input records.
    public func meanRecordSize() -> Int {
        input.meanRecordSize(count: configuration.events, partitions: configuration.partitions)
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
        switch job {
        case .pipe:
            var settings = PipeBenchmark.Configuration()
            settings.records = configuration.events
            settings.partitions = try inputPartitions()
            settings.recordSize = meanRecordSize()
            settings.input = input
            settings.runs = 1
            settings.maxBatch = configuration.maxBatch
            settings.partitionEvenly = true
            settings.passes = 1
            // The runtime acknowledges outputs asynchronously (a commit waits for its generation, never a
            // batch for its acks), so the comparable ceiling is the pipe without a per-batch wait.
            settings.deliveryWait = .end
            settings.consumerProperties = Self.consumerProperties
            try configuration.validate(meanRecordSize: settings.recordSize, partitions: settings.partitions)

            return try PipeBenchmark(configuration: settings, logger: logger).runOnce()
        case .route, .window, .topology:
            return try measureJob(job)
        }
    }

    /// The input topic's partitions: the topology source's, or the workload's.
    public func inputPartitions() throws -> Int {
        guard configuration.topology != nil else { return configuration.partitions }
        return try Self.loadTarget(configuration, bootstrapServers: "127.0.0.1:0").inputPartitions
    }

    /// The plan of the job and the input topic.
    private struct Target {
        var plan: RuntimePlan
        var inputTopic: String
        var inputPartitions: Int
        var workspace: BenchWorkspace?
    }

    private static func loadTarget(_ settings: Configuration, job: Job = .topology, bootstrapServers: String) throws
        -> Target
    {
        var workspace: BenchWorkspace?
        let path: String
        let region: String
        if let topology = settings.topology {
            path = topology.path
            region = topology.region
        } else {
            workspace = try BenchWorkspace(
                job: job, workload: settings.workload, repository: settings.repository,
                partitions: settings.partitions, application: "bench-\(job.rawValue)")
            path = workspace!.topologyPath
            region = "bench"
        }
        var runtime = RuntimeConfiguration(
            topologyPath: path, region: region, bootstrapServers: bootstrapServers, instanceID: "bench",
            kafkaProperties: KafkaEmbeddedCluster.clientDefaults.merging(Self.consumerProperties) { $1 },
            environment: RuntimeEnvironment.current())
        runtime.maxBatch = settings.maxBatch
        runtime.logInterval = nil
        runtime.stopAfterRecords = settings.events
        let plan: RuntimePlan
        do {
            plan = try RuntimePlan.load(runtime)
        } catch {
            workspace?.remove()
            throw error
        }
        let sources = plan.topology.sources
        let source: Source
        if let name = settings.topology?.source {
            guard let named = sources.first(where: { $0.name == name }) else {
                workspace?.remove()
                throw BenchmarksError(
                    .invalidConfiguration,
                    "\(path): no source '\(name)'; sources: \(sources.map(\.name).joined(separator: ", "))")
            }
            source = named
        } else {
            guard sources.count == 1, let only = sources.first else {
                workspace?.remove()
                throw BenchmarksError(
                    .invalidConfiguration,
                    "\(path) has \(sources.count) sources (\(sources.map(\.name).joined(separator: ", "))): "
                        + "name the one that receives the input with --source")
            }
            source = only
        }
        return Target(plan: plan, inputTopic: source.topic, inputPartitions: source.partitions, workspace: workspace)
    }

    private func measureJob(_ job: Job) throws -> BenchmarkMeasurement {
        let settings = configuration
        let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: logger)
        let target = try Self.loadTarget(settings, job: job, bootstrapServers: cluster.bootstrapServers)
        defer { target.workspace?.remove() }
        try settings.validate(meanRecordSize: meanRecordSize(), partitions: target.inputPartitions)
        let plan = target.plan
        for topic in try plan.topicRequirements() {
            try cluster.createTopic(topic.name, partitions: topic.partitions)
        }
        // On its own thread so that profiles of the processing thread (ps-bench-e2e) show processing only.
        let loader = KafkaThread(name: "ps-bench-load")
        defer { loader.shutdown() }
        let bytes = try Self.blocking(on: loader) {
            try preload(cluster, topic: target.inputTopic, partitions: target.inputPartitions)
        }

        let marks = Marks()
        let profiler = StepProfiler()
        let timed = plan.updatingConfiguration {
            $0.hooks = RuntimeHooks(
                firstRecords: { marks.start() },
                drained: { marks.end() })
            $0.hooks?.stepProfiler = profiler
        }
        let metrics = RuntimeMetrics()
        let stop = StopSignal()
        try ProcessorService.runBlocking(plan: timed, metrics: metrics, stop: stop, logger: logger)
        let statistics = metrics.snapshot
        guard statistics.eventsIn == settings.events else {
            throw BenchmarksError(.failed, "processed \(statistics.eventsIn) of \(settings.events) events")
        }
        if job != .topology {
            try checkOutputs(job, statistics)
        }
        guard let (start, end) = marks.interval else { throw BenchmarksError(.failed, "no timing marks") }
        var measurement = BenchmarkMeasurement(
            records: settings.events, bytes: bytes, seconds: end.seconds - start.seconds,
            cpuSeconds: end.usage.cpuSeconds - start.usage.cpuSeconds, peakResidentBytes: end.usage.peakResidentBytes,
            processingThreadCPUSeconds: end.threadCPUSeconds - start.threadCPUSeconds,
            deadLetters: statistics.deadLetters)
        measurement.embeddedBrokerCPUSeconds =
            end.usage.embeddedBrokerCPUSeconds - start.usage.embeddedBrokerCPUSeconds
        let sampled = Double(max(profiler.sampledRecords, 1))
        measurement.stages = profiler.figures.map {
            BenchmarkMeasurement.Stage(name: $0.stage, microsecondsPerEvent: Double($0.nanoseconds) / sampled / 1000)
        }
        return measurement
    }

    /// A workload job wrote what it should: the expected dead letters, every valid event routed, windows closed.
    private func checkOutputs(_ job: Job, _ statistics: RuntimeStatistics) throws {
        let invalid = input.invalidCount(of: configuration.events) ?? 0
        guard statistics.deadLetters == invalid else {
            throw BenchmarksError(
                .failed, "\(statistics.deadLetters) dead letters, expected \(invalid): \(statistics.deadLettersByCode)")
        }
        let written = statistics.outputsByTopic[BenchWorkspace.outputTopic] ?? 0
        let routed = input.routedCount(of: configuration.events) ?? (configuration.events - invalid)
        if job == .route, written != routed {
            throw BenchmarksError(.failed, "routed \(written) records, expected \(routed)")
        }
        if job == .window, written == 0 {
            throw BenchmarksError(.failed, "no window results")
        }
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

    /// Writes the input records (not timed); returns their key + value bytes.
    private func preload(_ cluster: KafkaEmbeddedCluster, topic name: String, partitions: Int) throws -> Int {
        let producer = try KafkaProducer(
            configuration: cluster.configuration([
                "batch.size": "65536", "linger.ms": "5", "queue.buffering.max.messages": "500000",
            ]),  // (includes the embedded broker's client defaults)
            logger: logger)
        let topic = try producer.topic(name)
        let bytes = try input.preload(count: configuration.events, partitions: partitions, into: topic, of: producer)
        try producer.close(timeout: .seconds(300))
        return bytes
    }
}

/// The start and end instants of a timed run, set from the processing thread.
final class Marks: Sendable {
    struct Mark: Sendable {
        var seconds: Double
        var usage: ResourceUsage
        /// CPU seconds of the thread that set the mark (the processing thread).
        var threadCPUSeconds: Double
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
        Mark(
            seconds: ProcessInfo.processInfo.systemUptime, usage: ResourceUsage.now(),
            threadCPUSeconds: ResourceUsage.threadCPUSeconds())
    }
}
