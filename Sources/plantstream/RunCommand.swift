import ArgumentParser
import Foundation
import Logging
import Operations
import Runtime
import ServiceLifecycle
import Topology

/// `plantstream run`: processes one region — consumes its sources, runs the pipelines, writes ERP
/// transactions, dead letters, exceptions and state changelogs.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Process one region: plant events in, ERP-ready transactions out.",
        discussion: """
            Lints the topology first and refuses to start on errors (printed as file:line:column). Joins the \
            consumer group <application>-<region> on the region's source topics, loads the global tables from \
            their compacted topics, restores each assigned partition's state from its changelog before its \
            first record, and commits input offsets only after every output of those records is acknowledged \
            (at_least_once) or inside a Kafka transaction (exactly_once). SIGINT/SIGTERM finish the current \
            batch, commit, leave the group and exit 0. See docs/runtime.md.
            """
    )

    @OptionGroup var regionOptions: RegionOptions

    @Option(
        help: ArgumentHelp("This instance's id in logs and client ids (default: <hostname>-<pid>).", valueName: "ID"))
    var instanceId: String?

    @Option(
        help: ArgumentHelp(
            "Exit 0 once every assigned partition is caught up and idle for this long (e.g. 3s).", valueName: "DUR"))
    var exitWhenIdle: String?

    @Option(
        help: ArgumentHelp(
            "With --exit-when-idle: give up (exit 1) once the cluster has been unreachable this long (default 2m).",
            valueName: "DUR"))
    var unreachableTimeout: String?

    @Option(
        name: .customShort("X"),
        help: ArgumentHelp(
            "A librdkafka property for every client (repeatable), e.g. -X fetch.wait.max.ms=10.",
            valueName: "KEY=VALUE"))
    var properties: [String] = []

    @Option(
        help: ArgumentHelp(
            "Serve /metrics (Prometheus), /health/live and /health/ready on this port (default: off; 0: any free "
                + "port, logged).",
            valueName: "PORT"))
    var httpPort: Int?

    @Option(help: ArgumentHelp("The address the HTTP endpoint binds.", valueName: "HOST"))
    var httpHost = "0.0.0.0"

    @Option(
        help: ArgumentHelp(
            "/health/ready answers 503 while the consumer lag (records, all assigned partitions) exceeds this.",
            valueName: "N"))
    var readyMaxLag = 10_000

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try regionOptions.requiredRegion()
        if let exitWhenIdle, DurationValue(parsing: exitWhenIdle) == nil {
            throw ValidationError("--exit-when-idle \(exitWhenIdle): expected a duration such as 3s, 500ms or 2m")
        }
        if let unreachableTimeout, (DurationValue(parsing: unreachableTimeout)?.milliseconds ?? 0) <= 0 {
            throw ValidationError(
                "--unreachable-timeout \(unreachableTimeout): expected a positive duration such as 30s or 2m")
        }
        if let httpPort, !(0...65535).contains(httpPort) {
            throw ValidationError("--http-port must be 0…65535, not \(httpPort)")
        }
        for property in properties where !property.contains("=") || property.hasPrefix("=") {
            throw ValidationError("-X \(property): expected KEY=VALUE")
        }
    }

    func run() async throws {
        logging.bootstrap(default: .info)
        let logger = Logger(label: "plantstream.run")
        var configuration = RuntimeConfiguration(
            topologyPath: regionOptions.topology, region: try regionOptions.requiredRegion(),
            bootstrapServers: regionOptions.bootstrapServers,
            exitWhenIdle: exitWhenIdle.flatMap(DurationValue.init(parsing:)).map { .milliseconds($0.milliseconds) },
            kafkaProperties: Self.properties(properties))
        if let instanceId { configuration.instanceID = instanceId }
        if let timeout = unreachableTimeout.flatMap(DurationValue.init(parsing:)) {
            configuration.unreachableTimeout = .milliseconds(timeout.milliseconds)
        }
        let plan: RuntimePlan
        do {
            plan = try RuntimePlan.load(configuration)
        } catch {
            for finding in error.findings { Self.printError(finding) }
            Self.printError("run: \(error.message)")
            throw ExitCode(1)
        }
        for warning in plan.warnings { Self.printError(warning) }
        do {
            let metrics = RuntimeMetrics()
            var services: [any Service] = []
            if let httpPort {
                services.append(
                    OperationsService(
                        configuration: .init(host: httpHost, port: httpPort, readyMaxLag: readyMaxLag),
                        metrics: metrics, logger: logger))
            }
            try await ProcessorService.runUntilStopped(
                plan: plan, metrics: metrics, services: services, logger: logger)
        } catch {
            Self.printError("run: \(error)")
            throw ExitCode(1)
        }
    }

    /// `KEY=VALUE` items as a dictionary.
    static func properties(_ items: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "=") else { continue }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
