import Engine
import Foundation
import KafkaClient
import Logging
import Schemas
import Topology

/// Everything `run` checks and loads before it touches Kafka: the linted topology, the region, the schema
/// registry, the reference data and the Kafka client settings with secrets resolved.
///
/// Loading fails with a precise ``RuntimeError`` (lint findings as `file:line:column: error: message`, a
/// missing secret, an unreadable reference file), so a misconfigured processor never starts.
public struct RuntimePlan: Sendable {
    /// The linted topology.
    public let topology: Topology
    /// The region to run.
    public let region: Region
    /// The schema registry (compiled).
    public let registry: SchemaRegistry
    /// Rows of the file-backed tables.
    package let referenceData: ReferenceData
    /// Client settings shared by every client of the region (bootstrap, region `kafka:`, `-X`).
    public let kafka: KafkaConfiguration
    /// `<application>-<region>`: the consumer group, transactional-id and changelog prefix.
    public let applicationID: String
    /// Lint warnings (printed, not fatal).
    public let warnings: [String]
    /// The settings the plan was made from.
    public let configuration: RuntimeConfiguration

    /// Lints and loads.
    ///
    /// - Parameter configuration: The run settings.
    /// - Throws: ``RuntimeError`` with code ``RuntimeError/Code/invalidTopology`` (and every finding),
    ///   ``RuntimeError/Code/unresolvedSecret`` or ``RuntimeError/Code/invalidConfiguration``.
    public static func load(_ configuration: RuntimeConfiguration) throws(RuntimeError) -> RuntimePlan {
        let path = configuration.topologyPath
        let directory = (path as NSString).deletingLastPathComponent
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") || directory.isEmpty
                ? relative : (directory as NSString).appendingPathComponent(relative)
        }
        // The schema folder is named in the topology: read it once without schema checks.
        let firstPass = TopologyLoader(environment: configuration.environment, knownSchemaIDs: nil).lint(
            contentsOf: path)
        guard let sketch = firstPass.topology, firstPass.errors.isEmpty else {
            throw Self.lintError(path: path, findings: firstPass.findings)
        }
        let schemasPath = resolve(sketch.schemasDirectory)
        let registry: SchemaRegistry
        do {
            registry = try SchemaRegistry.load(directory: schemasPath)
        } catch {
            throw RuntimeError(.invalidConfiguration, "schemas in \(schemasPath): \(error)")
        }
        var ids = Set<String>()
        for subject in registry.subjects where subject.definition.kind != .definitions {
            for version in subject.versions { ids.insert(version.id.description) }
        }
        let lint = TopologyLoader(
            environment: configuration.environment, knownSchemaIDs: ids, recordShapes: registry.fieldShapes
        ).lint(contentsOf: path)
        guard let topology = lint.topology, lint.errors.isEmpty else {
            throw Self.lintError(path: path, findings: lint.findings)
        }
        let region: Region
        do {
            region = try topology.requireRegion(configuration.region)
        } catch {
            throw RuntimeError(.invalidConfiguration, error.message)
        }
        let referenceData: ReferenceData
        do {
            referenceData = try ReferenceData.load(topology: topology, directory: resolve(topology.referenceDirectory))
        } catch {
            throw RuntimeError(.invalidConfiguration, error.description)
        }
        let kafka = try Self.kafkaConfiguration(region: region, configuration: configuration)
        return RuntimePlan(
            topology: topology, region: region, registry: registry, referenceData: referenceData, kafka: kafka,
            applicationID: "\(topology.application)-\(region.name)",
            warnings: lint.warnings.map(\.description), configuration: configuration)
    }

    /// The processing guarantee of the topology.
    public var guarantee: ProcessingGuarantee { topology.defaults.guarantee }

    /// How often offsets (and changelogs) are committed.
    public var commitInterval: Duration {
        configuration.commitInterval ?? .milliseconds(max(1, topology.defaults.commitInterval.milliseconds))
    }

    /// The producer's `message.max.bytes` (the region's `kafka:` settings or `-X`, else librdkafka's default):
    /// the largest record the engine writes before replacing it by a `RECORD_TOO_LARGE` dead letter.
    public var maxRecordBytes: Int {
        kafka["message.max.bytes"].flatMap { Int($0) } ?? Engine.defaultMaxRecordBytes
    }

    /// Builds a fresh engine for the region (call on the thread that will use it).
    ///
    /// - Parameters:
    ///   - clock: The wall clock.
    ///   - logger: Where engine warnings go.
    /// - Throws: ``RuntimeError/Code/engine`` with the engine's message.
    package func makeEngine(clock: EngineClock = SystemClock(), logger: Logger) throws(RuntimeError) -> Engine {
        do {
            return try Engine(
                topology: topology, region: region.name, schemas: RegistryCatalog(registry),
                referenceData: referenceData,
                clock: clock, maxRecordBytes: maxRecordBytes, logger: logger)
        } catch {
            throw RuntimeError(.engine, error.description)
        }
    }

    /// Every topic the region reads or writes, with the partition counts the topology declares (changelogs
    /// take their source's count).
    ///
    /// - Throws: ``RuntimeError/Code/engine`` when the engine cannot be built.
    public func topicRequirements() throws(RuntimeError) -> [TopicRequirement] {
        let engine = try makeEngine(logger: Logger(label: "plantstream.runtime.plan"))
        return TopicRequirement.all(topology: topology, engine: engine)
    }

    private static func lintError(path: String, findings: [TopologyFinding]) -> RuntimeError {
        let errors = findings.filter { $0.severity == .error }.count
        return RuntimeError(
            .invalidTopology,
            "\(path): \(max(errors, 1)) error\(errors == 1 ? "" : "s"); fix them and start again (plantstream check)",
            findings: findings.map(\.description))
    }

    private static func kafkaConfiguration(region: Region, configuration: RuntimeConfiguration)
        throws(RuntimeError) -> KafkaConfiguration
    {
        var kafka = KafkaConfiguration()
        for (key, value) in region.kafka.sorted(by: { $0.key < $1.key }) {
            // Resolve now so that a missing secret stops start-up with its name; the client reads it again
            // itself, so the value never sits in a configuration that could be printed.
            do {
                _ = try value.resolve(key: key, environment: configuration.environment)
            } catch {
                throw RuntimeError(.unresolvedSecret, "region \(region.name): \(error.message)")
            }
            switch value {
            case .literal(let text): kafka[key] = text
            case .environment(let name): kafka.setSecret(key, from: .environment(name))
            case .file(let path): kafka.setSecret(key, from: .file(path))
            }
        }
        kafka.bootstrapServers = configuration.bootstrapServers ?? region.bootstrapServers
        for (key, value) in configuration.kafkaProperties { kafka[key] = value }
        guard let servers = kafka.bootstrapServers, !servers.isEmpty else {
            throw RuntimeError(
                .invalidConfiguration, "region \(region.name) has no bootstrapServers; give --bootstrap-servers H:P")
        }
        return kafka
    }
}

extension RuntimePlan {
    /// The same plan pointing at other bootstrap servers (the demo's in-process broker).
    ///
    /// - Parameters:
    ///   - servers: `host:port,...`.
    ///   - extra: librdkafka properties to add (e.g. ``KafkaClient/KafkaEmbeddedCluster/clientDefaults``).
    /// - Returns: The changed plan.
    public func replacingBootstrapServers(_ servers: String, extra: [String: String] = [:]) -> RuntimePlan {
        var kafka = self.kafka
        kafka.bootstrapServers = servers
        for (key, value) in extra { kafka[key] = value }
        var configuration = self.configuration
        configuration.bootstrapServers = servers
        return RuntimePlan(
            topology: topology, region: region, registry: registry, referenceData: referenceData, kafka: kafka,
            applicationID: applicationID, warnings: warnings, configuration: configuration)
    }

    /// The same plan with other run settings (bootstrap servers and Kafka properties are not re-read).
    ///
    /// - Parameter body: Changes the settings.
    /// - Returns: The changed plan.
    public func updatingConfiguration(_ body: (inout RuntimeConfiguration) -> Void) -> RuntimePlan {
        var configuration = self.configuration
        body(&configuration)
        return RuntimePlan(
            topology: topology, region: region, registry: registry, referenceData: referenceData, kafka: kafka,
            applicationID: applicationID, warnings: warnings, configuration: configuration)
    }
}
