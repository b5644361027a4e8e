import Hummingbird
import Logging
import Runtime
import ServiceLifecycle

/// The HTTP endpoint operators and orchestrators use, beside a processor: `/metrics` (Prometheus text
/// format), `/health/live` and `/health/ready` (Kubernetes probes).
public struct OperationsService: Service {
    /// Where it listens and when it calls a processor ready.
    public struct Configuration: Sendable {
        /// The address to bind (`0.0.0.0` for probes from outside the pod).
        public var host: String
        /// The port (0: any free port, logged).
        public var port: Int
        /// The consumer lag (records, summed over assigned partitions) above which the processor is not ready.
        public var readyMaxLag: Int

        public init(host: String = "0.0.0.0", port: Int, readyMaxLag: Int = 10_000) {
            self.host = host
            self.port = port
            self.readyMaxLag = readyMaxLag
        }
    }

    private let configuration: Configuration
    private let metrics: RuntimeMetrics
    private let exporter = StatisticsExporter()
    private let logger: Logger

    /// - Parameters:
    ///   - metrics: The processor's statistics.
    public init(configuration: Configuration, metrics: RuntimeMetrics, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        let metrics = self.metrics
        let exporter = self.exporter
        let maxLag = configuration.readyMaxLag
        router.get("metrics") { _, _ -> Response in
            let statistics = metrics.snapshot
            exporter.update(statistics, readiness: Readiness(statistics, maxLag: maxLag))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: exporter.exposition())))
        }
        router.get("health/live") { _, _ -> Response in
            Self.text(.ok, "live\n")
        }
        router.get("health/ready") { _, _ -> Response in
            let readiness = Readiness(metrics.snapshot, maxLag: maxLag)
            guard readiness.isReady else {
                return Self.text(.serviceUnavailable, "not ready: " + readiness.reasons.joined(separator: "; ") + "\n")
            }
            return Self.text(.ok, "ready\n")
        }
        let logger = self.logger
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice(
                    "operations endpoint listening: /metrics, /health/live, /health/ready",
                    metadata: ["http.port": "\(port)"])
            },
            logger: logger)
        try await application.run()
    }

    private static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
