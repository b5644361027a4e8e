import JSON
import Logging
import Schemas
import Topology

/// The processing engine of one region: built once from a topology, it compiles every pipeline and
/// creates a ``PartitionTask`` per assigned (source topic, partition).
///
/// ```swift
/// let engine = try Engine(topology: topology, region: "eu-central", schemas: registry,
///                         referenceData: try ReferenceData.load(topology: topology, directory: "reference"))
/// let task = try engine.makeTask(topic: "mfg.production.v1", partition: 3, sink: producerSink)
/// for record in changelogRecords { try task.restore(topic: record.topic, key: record.key, value: record.value) }
/// task.process(batch)        // per poll
/// task.flush()               // before each commit: changelog records of changed state
/// ```
///
/// - Important: An engine, its global tables and its tasks belong to one processing thread. Run one
///   engine per processing thread; feed compacted table-topic records written by others to each through
///   ``applyTableRecord(topic:key:value:)`` (rows its own pipelines write are applied by the engine itself,
///   after the record that wrote them). The engine never imports the Kafka client.
package final class Engine {
    /// The topology the engine runs.
    package let topology: Topology
    /// The region it runs.
    package let region: Region
    /// `<application>-<region>`: the consumer group and changelog topic prefix.
    package let applicationID: String
    /// Every topic the engine writes: topology outputs, then state changelogs.
    package private(set) var destinations: [Destination] = []
    let clock: EngineClock
    let logger: Logger
    let catalog: SchemaCatalog
    let services: EngineServices
    /// Validator of `erp.exception` (newest version), when the catalogue has it, and that version.
    let exceptionValidator: CompiledSchema?
    let exceptionSchemaVersion: Int
    /// The largest record (key, value, headers and overhead) the engine writes; a larger one becomes a
    /// `RECORD_TOO_LARGE` dead letter (the runtime sets the producer's `message.max.bytes`).
    package let maxRecordBytes: Int
    /// Rows written to table outputs, applied after the record that wrote them.
    let tableFeedback = TableFeedback()
    /// Profiles the steps of the tasks created from now on (`bench e2e`); `nil`: not profiled.
    package var stepProfiler: StepProfiler?
    /// Topics the broker refuses records for; their records become `OUTPUT_REFUSED` dead letters.
    package private(set) lazy var outputRefusals = OutputRefusals(destinationCount: destinations.count)
    private(set) var sourcePlans: [String: SourcePlan] = [:]
    private var tablesByTopic: [String: GlobalTable] = [:]
    private var tasks: [PartitionTask] = []
    private var changelogsBySource: [String: [String]] = [:]

    /// Builds the engine: loads tables, compiles expressions, validators and step plans.
    ///
    /// - Parameters:
    ///   - topology: The parsed topology.
    ///   - region: The region to run (`regions[].name`).
    ///   - schemas: The schema registry.
    ///   - referenceData: Rows of the file-backed tables.
    ///   - clock: The wall clock (idle timeouts).
    ///   - customSteps: Factories of user steps (`Step.Kind.custom`).
    ///   - maxRecordBytes: The largest record the producer accepts (librdkafka's `message.max.bytes`).
    ///   - logger: Where configuration warnings go.
    /// - Throws: ``EngineError`` for anything the topology, schemas or reference data get wrong.
    package init(
        topology: Topology,
        region: String,
        schemas: SchemaCatalog,
        referenceData: ReferenceData,
        clock: EngineClock = SystemClock(),
        customSteps: StepRegistry = StepRegistry(),
        maxRecordBytes: Int = Engine.defaultMaxRecordBytes,
        logger: Logger = Logger(label: "plantstream.engine")
    ) throws(EngineError) {
        guard let found = topology.region(named: region) else {
            throw EngineError(
                .unknownRegion,
                "unknown region \(region); the topology defines \(topology.regions.map(\.name).joined(separator: ", "))"
            )
        }
        self.topology = topology
        self.region = found
        applicationID = "\(topology.application)-\(region)"
        self.clock = clock
        self.logger = logger
        self.maxRecordBytes = maxRecordBytes
        catalog = schemas
        exceptionSchemaVersion = schemas.latestVersion(ofType: "erp.exception") ?? 1
        exceptionValidator = schemas.latestVersion(ofType: "erp.exception").flatMap {
            schemas.validator(forSchemaID: "erp.exception/v\($0)")
        }
        for output in topology.outputs {
            let kind: Destination.Kind =
                switch output.kind {
                case .records: .records
                case .deadLetter: .deadLetter
                case .exceptions: .exceptions
                case .table: .table
                }
            destinations.append(
                Destination(index: destinations.count, name: output.name, topic: output.topic, kind: kind))
        }
        var tables: [String: GlobalTable] = [:]
        for definition in topology.tables {
            let table = GlobalTable(definition)
            for (number, row) in (referenceData.rows[definition.name] ?? []).enumerated() {
                try table.add(
                    row: row, at: "\(referenceData.files[definition.name] ?? definition.name) row \(number + 1)")
            }
            tables[definition.name] = table
            if let topic = table.topic { tablesByTopic[topic] = table }
        }
        services = try EngineServices(topology: topology, tables: tables)
        let compiler = PipelineCompiler(engine: self, customSteps: customSteps)
        for source in topology.sources {
            let pipelines = topology.pipelines(reading: source.name)
            guard !pipelines.isEmpty else { continue }
            guard sourcePlans[source.topic] == nil else {
                throw EngineError(.invalidStep, "two sources read topic \(source.topic)", at: source.location)
            }
            sourcePlans[source.topic] = try compiler.compile(source: source, pipelines: pipelines)
            changelogsBySource[source.topic] = compiler.changelogTopics
        }
    }

    /// Adds a changelog destination (during compilation).
    func addChangelog(store: String) -> Destination {
        let destination = Destination(
            index: destinations.count, name: store, topic: "\(applicationID)-\(store)-changelog", kind: .changelog)
        destinations.append(destination)
        return destination
    }

    /// The destination of a topology output.
    func destination(output name: String) -> Destination? {
        destinations.first { $0.name == name && $0.kind != .changelog }
    }

    /// The source topics the engine processes (those read by at least one pipeline).
    package var sourceTopics: [String] { sourcePlans.keys.sorted() }

    /// The compacted topics feeding global tables.
    package var tableTopics: [String] { tablesByTopic.keys.sorted() }

    /// Changelog topics of the tasks of a source topic (same partition count as the source).
    package func changelogTopics(forSourceTopic topic: String) -> [String] { changelogsBySource[topic] ?? [] }

    /// A global table by name (tests, status).
    package func table(named name: String) -> GlobalTable? { services.tables[name] }

    /// Creates the task of one assigned partition.
    /// - Throws: ``EngineError/Code/unknownSource`` when no pipeline reads `topic`.
    package func makeTask(topic: String, partition: Int32, sink: any Sink) throws(EngineError) -> PartitionTask {
        guard let plan = sourcePlans[topic] else {
            throw EngineError(.unknownSource, "no pipeline reads topic \(topic)")
        }
        let task = PartitionTask(engine: self, plan: plan, partition: partition, sink: sink)
        tasks.append(task)
        return task
    }

    func unregister(_ task: PartitionTask) {
        tasks.removeAll { $0 === task }
    }

    /// librdkafka's default `message.max.bytes`.
    package static let defaultMaxRecordBytes = 1_000_000

    /// Applies a record of a compacted table topic (a JSON row, or `nil` to delete the key) and lets
    /// every live task's holds react (release or cancel parked postings); rows those releases write are applied
    /// too, in order.
    ///
    /// - Returns: `false` when the topic feeds no table or the value is not a JSON object.
    @discardableResult
    package func applyTableRecord(topic: String, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?) -> Bool {
        let applied = apply(topic: topic, key: key, value: value)
        applyTableFeedback()
        return applied
    }

    private func apply(topic: String, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?) -> Bool {
        guard let table = tablesByTopic[topic], let key else { return false }
        guard table.apply(key: key, value: value) else { return false }
        if table === services.calendar.table {
            do { try services.calendar.refresh() } catch {
                logger.warning("plant calendar update rejected: \(error)")
            }
        }
        for task in tasks { task.tableChanged(table, key: key) }
        return true
    }

    /// Applies the rows the engine's own pipelines wrote to table outputs (called after each record and each
    /// wall-clock advance; releases a row triggers may write more rows, applied in turn).
    func applyTableFeedback() {
        while !tableFeedback.isEmpty {
            for row in tableFeedback.take() {
                row.key.withUnsafeBytes { key in
                    if let value = row.value {
                        value.withUnsafeBytes { _ = apply(topic: row.topic, key: key, value: $0) }
                    } else {
                        _ = apply(topic: row.topic, key: key, value: nil)
                    }
                }
            }
        }
    }

    /// Applies a table record given as bytes (tests, tools).
    @discardableResult
    package func applyTableRecord(topic: String, key: [UInt8], value: [UInt8]?) -> Bool {
        key.withUnsafeBytes { keyBytes in
            guard let value else { return applyTableRecord(topic: topic, key: keyBytes, value: nil) }
            return value.withUnsafeBytes { applyTableRecord(topic: topic, key: keyBytes, value: $0) }
        }
    }
}
