import KafkaClient
import Logging
import ServiceLifecycle

/// The processor as a `Service`: runs a ``StreamProcessor`` on its own thread (never on the cooperative
/// pool) and stops it on graceful shutdown — it finishes the current batch, flushes, commits, leaves the
/// group and flushes the producer before ``run()`` returns.
///
/// With `--exit-when-idle`, ``run()`` returns by itself once the input is processed; configure the service
/// with `successTerminationBehavior: .gracefullyShutdownGroup` so that the other services stop too.
public final class ProcessorService: Service {
    /// Statistics the processing thread publishes.
    public let metrics: RuntimeMetrics
    private let plan: RuntimePlan
    private let logger: Logger
    private let stop = StopSignal()

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - plan: The loaded plan.
    ///   - metrics: Where statistics go.
    ///   - logger: The runtime's logger.
    public init(plan: RuntimePlan, metrics: RuntimeMetrics = RuntimeMetrics(), logger: Logger) {
        self.plan = plan
        self.metrics = metrics
        self.logger = logger
    }

    /// Processes until graceful shutdown, cancellation or (with `--exit-when-idle`) the end of the input.
    ///
    /// - Throws: ``RuntimeError`` when start-up or processing fails.
    public func run() async throws {
        let thread = KafkaThread(name: "ps-stream")
        defer { thread.shutdown() }
        let plan = self.plan
        let metrics = self.metrics
        let logger = self.logger
        let stop = self.stop
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await thread.run {
                    let processor = try StreamProcessor(plan: plan, metrics: metrics, stop: stop, logger: logger)
                    try processor.run()
                }
            } onGracefulShutdown: {
                stop.set()
            }
        } onCancel: {
            stop.set()
        }
    }

    /// Asks the processor to stop after its current batch (as a graceful shutdown does).
    public func requestStop() {
        stop.set()
    }
}

extension ProcessorService {
    /// Runs the processor of `plan` in a `ServiceGroup` that shuts down gracefully on SIGINT/SIGTERM
    /// (the `plantstream run` command). Returns after a graceful shutdown or, with `exitWhenIdle`, once the
    /// input is processed.
    ///
    /// - Parameters:
    ///   - plan: The loaded plan.
    ///   - metrics: Where statistics go.
    ///   - logger: The runtime's logger.
    /// - Throws: ``RuntimeError`` when start-up or processing fails.
    public static func runUntilStopped(
        plan: RuntimePlan, metrics: RuntimeMetrics = RuntimeMetrics(), services: [any Service] = [], logger: Logger
    ) async throws {
        let processor = ProcessorService(plan: plan, metrics: metrics, logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: processor, successTerminationBehavior: .gracefullyShutdownGroup)]
                + services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        configuration.maximumGracefulShutdownDuration = plan.configuration.flushTimeout + .seconds(30)
        try await ServiceGroup(configuration: configuration).run()
    }
}

extension ProcessorService {
    /// Runs a processor on the calling thread until `stop` is set, `stopAfterRecords` is reached or (with
    /// `exitWhenIdle`) the input is processed — for benchmarks and tools that own their thread.
    ///
    /// - Important: Blocks; never call it from the cooperative thread pool.
    /// - Parameters:
    ///   - plan: The loaded plan.
    ///   - metrics: Where statistics go.
    ///   - stop: Set to stop after the current batch.
    ///   - logger: The runtime's logger.
    /// - Throws: ``RuntimeError`` when start-up or processing fails.
    public static func runBlocking(plan: RuntimePlan, metrics: RuntimeMetrics, stop: StopSignal, logger: Logger)
        throws(RuntimeError)
    {
        let processor = try StreamProcessor(plan: plan, metrics: metrics, stop: stop, logger: logger)
        try processor.run()
    }
}
