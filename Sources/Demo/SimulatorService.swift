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

/// Sends simulated plant events to a sink (Kafka, a JSON-lines file, nowhere) on its own thread, paced by
/// simulated time (the demo's load) or by a rate (`plantstream simulate`), until a limit, the end of the
/// generator, or graceful shutdown; then flushes the sink. `demo` and `simulate` both run it.
public final class SimulatorService: Service {
    /// When records are due.
    public enum Pacing: Sendable, Hashable {
        /// At the pace of simulated time × `speed` (1 = real time).
        case simulatedTime(speed: Double)
        /// This many records per second of wall time.
        case rate(Double)
        /// As fast as the sink takes them.
        case unpaced
    }

    /// When to stop (besides graceful shutdown and the end of the generator).
    public struct Limits: Sendable, Hashable {
        /// Records to send.
        public var records: Int?
        /// Wall time to send for.
        public var wallTime: Duration?

        /// Creates limits; `nil` is no limit.
        public init(records: Int? = nil, wallTime: Duration? = nil) {
            self.records = records
            self.wallTime = wallTime
        }
    }

    /// What has been sent.
    public struct Progress: Sendable, Hashable {
        /// Records sent.
        public var records = 0
        /// The simulated time of the last record sent (epoch ms).
        public var simulatedTime: Int64 = 0
        /// Invalid records (injected faults) sent.
        public var invalid = 0
        /// Wall time since the first record was due.
        public var elapsed = Duration.zero
        /// The generator's statistics (types, faults, topics), as of the last publication.
        public var statistics: SimulatorStatistics?
        /// The sink's summary once finished (e.g. `delivered 1000, failed 0`).
        public var sinkSummary: String?
    }

    private let simulator: PlantSimulator
    private let pacing: Pacing
    private let limits: Limits
    private let makeSink: @Sendable () throws(SimulatorSinkError) -> any SimulatedRecordSink
    private let stop = StopSignal()
    private let progressState = Mutex(Progress())

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - simulator: The generator (owned copy).
    ///   - pacing: When records are due.
    ///   - limits: When to stop.
    ///   - makeSink: Creates the sink, on the service's thread (which alone uses it).
    public init(
        simulator: PlantSimulator, pacing: Pacing, limits: Limits = Limits(),
        makeSink: @escaping @Sendable () throws(SimulatorSinkError) -> any SimulatedRecordSink
    ) {
        self.simulator = simulator
        self.pacing = pacing
        self.limits = limits
        self.makeSink = makeSink
    }

    /// The demo's load: records to Kafka when due in simulated time × `speed`, stamped with simulated time.
    public convenience init(simulator: PlantSimulator, configuration: KafkaConfiguration, speed: Double) {
        self.init(simulator: simulator, pacing: .simulatedTime(speed: max(speed, 0.001))) {
            () throws(SimulatorSinkError) in
            do {
                return try KafkaRecordSink(
                    configuration: KafkaConfiguration([
                        "linger.ms": "5", "client.id": "plantstream-demo-simulator",
                    ]).merging(configuration),
                    simulatedTimestamps: true, closeTimeout: .seconds(10))
            } catch {
                throw SimulatorSinkError("\(error)")
            }
        }
    }

    /// What has been sent so far (published about every 50 ms and at the end).
    public var progress: Progress { progressState.withLock { $0 } }

    /// Asks the service to stop after the current record (as graceful shutdown does).
    public func requestStop() { stop.set() }

    /// Sends records until a limit, the end of the generator or graceful shutdown, then flushes the sink.
    /// - Throws: ``SimulatorSinkError`` when the sink cannot be created or records could not be delivered.
    public func run() async throws {
        let thread = KafkaThread(name: "ps-simulator")
        defer { thread.shutdown() }
        let stop = self.stop
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await thread.run { try self.send() }
            } onGracefulShutdown: {
                stop.set()
            }
        } onCancel: {
            stop.set()
        }
    }

    private func send() throws(SimulatorSinkError) {
        var simulator = self.simulator
        let startMs = simulator.startMs
        var sink = try makeSink()
        let start = ContinuousClock.now
        var sent = Progress()
        var nextPublication = start
        var failure: SimulatorSinkError?
        while !stop.isSet {
            if let limit = limits.records, sent.records >= limit { break }
            // Unpaced runs read the clock every 1024 records.
            if pacing != .unpaced || sent.records & 1023 == 0 {
                let now = ContinuousClock.now
                if let wallTime = limits.wallTime, now - start >= wallTime { break }
                if now >= nextPublication {
                    sink.serve()
                    publish(&sent, simulator, elapsed: now - start)
                    nextPublication = now + .milliseconds(50)
                }
            }
            do {
                let generated: Bool? = try simulator.withNextRecord { (record) throws(SimulatorSinkError) in
                    guard wait(until: due(record, sent: sent.records, startMs: startMs), from: start, &sink)
                    else { return false }
                    try sink.send(record)
                    sent.records += 1
                    sent.simulatedTime = record.timestampMs
                    if record.fault?.isInvalid == true { sent.invalid += 1 }
                    return true
                }
                guard generated == true else { break }
            } catch {
                failure = error
                break
            }
        }
        publish(&sent, simulator, elapsed: .now - start)
        do {
            sent.sinkSummary = try sink.finish()
        } catch {
            failure = failure ?? error
        }
        let final = sent
        progressState.withLock { $0 = final }
        if let failure { throw failure }
    }

    private func publish(_ sent: inout Progress, _ simulator: PlantSimulator, elapsed: Duration) {
        sent.elapsed = elapsed
        sent.statistics = simulator.statistics
        let snapshot = sent
        progressState.withLock { $0 = snapshot }
    }

    /// When `record` is due, as wall time since the start (`nil`: now).
    private func due(_ record: SimulatedRecordView, sent: Int, startMs: Int64) -> Duration? {
        switch pacing {
        case .unpaced: nil
        case .rate(let perSecond): .seconds(Double(sent) / perSecond)
        case .simulatedTime(let speed): .seconds(Double(record.timestampMs - startMs) / speed / 1000)
        }
    }

    /// Waits until `due`, serving the sink and checking for stop now and then; `false` when stopped.
    private func wait(until due: Duration?, from start: ContinuousClock.Instant, _ sink: inout any SimulatedRecordSink)
        -> Bool
    {
        guard let due else { return !stop.isSet }
        while !stop.isSet {
            let wait = due - (ContinuousClock.now - start)
            if wait <= .zero { return true }
            sink.idle(for: min(wait, .milliseconds(50)))
        }
        return false
    }

    /// Sleeps the calling thread.
    static func pause(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        _ = nanosleep(&request, nil)
    }
}
