import Foundation
import KafkaClient
import Logging
import Operations
import Runtime
import ServiceLifecycle
import Simulator
import Topology

/// `plantstream demo`: an embedded broker with the topology's topics, the simulator for one region and the
/// processor (the same code path as `plantstream run`), in one process, with a live summary.
///
/// Services, in start order (shut down in reverse on Ctrl-C): broker, processor, simulator, status.
public enum Demo {
    /// Runs the demo until Ctrl-C/SIGTERM or the configured duration.
    ///
    /// - Parameters:
    ///   - configuration: The demo settings.
    ///   - logger: Logger for the services.
    ///   - output: Where the banner and status lines go (standard output).
    /// - Throws: ``RuntimeError`` when the topology or reference data are wrong or a service fails.
    public static func run(
        _ configuration: DemoConfiguration, logger: Logger, output: @escaping @Sendable (String) -> Void
    ) async throws {
        let topologyPath = configuration.topologyPath
        let sketch = try RuntimePlan.load(
            RuntimeConfiguration(
                topologyPath: topologyPath,
                region: configuration.region ?? (try firstRegion(topologyPath, configuration)),
                bootstrapServers: "127.0.0.1:0", instanceID: "demo", environment: configuration.environment))
        let directory = (topologyPath as NSString).deletingLastPathComponent
        let scenario: PlantScenario
        let simulator: PlantSimulator
        do {
            scenario = try PlantScenario.load(
                topology: sketch.topology, directory: directory.isEmpty ? "." : directory, region: sketch.region.name)
            simulator = try PlantSimulator(
                scenario: scenario,
                configuration: SimulatorConfiguration(seed: configuration.seed, faults: configuration.faults))
        } catch {
            throw RuntimeError(.invalidConfiguration, "simulator: \(error.message)")
        }
        var topics = try sketch.topicRequirements()
        for topic in simulator.topics where !topics.contains(where: { $0.name == topic }) {
            topics.append(TopicRequirement(name: topic, partitions: 12, role: .source, compacted: false))
        }
        let broker: EmbeddedBrokerService
        do {
            broker = try EmbeddedBrokerService(topics: topics, port: configuration.port, logger: logger)
        } catch {
            throw RuntimeError(.kafka, "embedded broker: \(error.message)")
        }
        let plan = sketch.replacingBootstrapServers(broker.bootstrapServers, extra: KafkaEmbeddedCluster.clientDefaults)
            .updatingConfiguration { $0.logInterval = nil }
        let processor = ProcessorService(plan: plan, logger: logger)
        let load = SimulatorService(
            simulator: simulator, configuration: broker.cluster.configuration(), speed: configuration.speed)
        let status = DemoStatusService(
            metrics: processor.metrics, simulator: load, interval: configuration.statusInterval,
            duration: configuration.duration, speed: configuration.speed, output: output)

        output(
            """
            PlantStream demo — region \(plan.region.name) (plants \(scenario.plantIDs.joined(separator: ", "))), \
            \(scenario.lineCount) lines, \(scenario.machineCount) machines, simulated time ×\(Self.number(configuration.speed))
            Embedded Kafka broker: \(broker.advertisedAddress)   (watch: kcat -b \(broker.advertisedAddress) -C -t erp.txn.v1 -o beginning)
            Topics: \(topics.filter { $0.role != .changelog }.map(\.name).joined(separator: ", ")) (+ \(topics.filter { $0.role == .changelog }.count) changelogs)
            Consumer group \(plan.applicationID), guarantee \(plan.guarantee.rawValue). Ctrl-C stops everything cleanly.
            """)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: broker),
            .init(service: processor, successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: load),
            .init(service: status, successTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let port = configuration.httpPort {
            output("Operations: http://127.0.0.1:\(port)/metrics, /health/live, /health/ready")
            services.append(
                .init(
                    service: OperationsService(
                        configuration: .init(host: "127.0.0.1", port: port), metrics: processor.metrics,
                        logger: logger)))
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(90)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }

    private static func firstRegion(_ path: String, _ configuration: DemoConfiguration) throws -> String {
        // The region is needed to load the plan: read the topology once for its first region name.
        let lint = TopologyLoader(environment: configuration.environment).lint(contentsOf: path)
        guard let name = lint.topology?.regions.first?.name else {
            throw RuntimeError(
                .invalidTopology, "\(path): no regions (or the file has errors; run plantstream check)",
                findings: lint.errors.map(\.description))
        }
        return name
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
