import KafkaClient
import Logging
import Runtime
import ServiceLifecycle
import Simulator
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends simulated plant events to Kafka at the pace of simulated time × `speed` (the demo's load), on its own
/// thread. Stops on graceful shutdown after flushing what it sent.
public final class SimulatorService: Service {
    /// What has been sent.
    public struct Progress: Sendable, Hashable {
        /// Records sent.
        public var records = 0
        /// The simulated time of the last record sent (epoch ms).
        public var simulatedTime: Int64 = 0
        /// Invalid records (injected faults) sent.
        public var invalid = 0
    }

    private let simulator: PlantSimulator
    private let configuration: KafkaConfiguration
    private let speed: Double
    private let logger: Logger
    private let stop = StopSignal()
    private let progressState = ProgressBox()

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - simulator: The generator (owned copy).
    ///   - configuration: Producer settings (bootstrap servers).
    ///   - speed: Simulated seconds per wall-clock second (1 = real time).
    ///   - logger: Where problems go.
    public init(simulator: PlantSimulator, configuration: KafkaConfiguration, speed: Double, logger: Logger) {
        self.simulator = simulator
        self.configuration = configuration
        self.speed = max(speed, 0.001)
        self.logger = logger
    }

    /// What has been sent so far.
    public var progress: Progress { progressState.value.withLock { $0 } }

    /// Sends records until graceful shutdown.
    public func run() async throws {
        let thread = KafkaThread(name: "ps-simulator")
        defer { thread.shutdown() }
        let simulator = self.simulator
        let configuration = self.configuration
        let speed = self.speed
        let logger = self.logger
        let stop = self.stop
        let progress = self.progressState
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await thread.run {
                    try Self.send(
                        simulator, configuration: configuration, speed: speed, stop: stop, progress: progress,
                        logger: logger)
                }
            } onGracefulShutdown: {
                stop.set()
            }
        } onCancel: {
            stop.set()
        }
    }

    private static func send(
        _ original: PlantSimulator, configuration: KafkaConfiguration, speed: Double, stop: StopSignal,
        progress: ProgressBox, logger: Logger
    ) throws {
        var simulator = original
        let producer = try KafkaProducer(
            configuration: KafkaConfiguration([
                "linger.ms": "5", "client.id": "plantstream-demo-simulator",
            ]).merging(configuration),
            logger: logger)
        var topics: [String: KafkaProducerTopic] = [:]
        let wallStart = ContinuousClock.now
        let simulatedStart = simulator.startMs
        var sent = Progress()
        while !stop.isSet {
            try simulator.withNextRecord { (record) throws in
                // Wait until the record is due in scaled wall time, checking for stop now and then.
                let due = Double(record.timestampMs - simulatedStart) / speed / 1000
                while !stop.isSet {
                    let elapsed = ContinuousClock.now - wallStart
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    let wait = due - seconds
                    if wait <= 0 { break }
                    producer.poll()
                    pause(min(wait, 0.05))
                }
                guard !stop.isSet else { return }
                try producer.send(record, topics: &topics, timestamp: record.timestampMs)
                sent.records += 1
                sent.simulatedTime = record.timestampMs
                if record.fault?.isInvalid == true { sent.invalid += 1 }
            }
            producer.poll()
            let snapshot = sent
            progress.value.withLock { $0 = snapshot }
        }
        let snapshot = sent
        progress.value.withLock { $0 = snapshot }
        try producer.close(timeout: .seconds(10))
    }

    /// Shares the progress with readers.
    final class ProgressBox: Sendable {
        let value = Mutex(Progress())
    }

    private static func pause(_ seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        _ = nanosleep(&request, nil)
    }
}
