import Engine
import Foundation
import JSON
import Schemas
import Topology

/// A synchronous, deterministic test driver for a topology (like Kafka Streams' `TopologyTestDriver`).
///
/// Pipe records into source topics, move the injected wall clock, and read what the engine wrote
/// per topic — outputs, dead letters, exceptions and changelog records. Records written to outputs
/// of kind `table` are applied by the engine itself after the record that wrote them, as in a
/// running processor. ``restartTask(topic:partition:)`` rebuilds a task from its compacted changelog.
///
/// ```swift
/// let driver = try TopologyTestDriver(topology: topology, schemasDirectory: "schemas")
/// try driver.pipe(topic: "mfg.production.v1", key: "DE01|1000123", value: eventJSON)
/// driver.advanceWallClock(by: 300_000)
/// let confirmations = driver.records(topic: "erp.txn.v1")
/// ```
public final class TopologyTestDriver {
    /// The engine under test.
    package let engine: Engine
    /// The injected wall clock.
    public let clock: ManualClock
    private let sink: RecordingSink
    private var tasks: [TaskKey: PartitionTask] = [:]
    private var nextOffsets: [TaskKey: Int64] = [:]

    private struct TaskKey: Hashable {
        var topic: String
        var partition: Int32
    }

    /// Creates a driver.
    ///
    /// - Parameters:
    ///   - topology: The topology under test.
    ///   - region: The region to run (default: the topology's first region).
    ///   - schemasDirectory: The `schemas/` catalogue.
    ///   - referenceDirectory: Reference files for file-backed tables (optional).
    ///   - tables: In-memory rows per table name (added to or replacing the files' rows).
    ///   - wallClock: Initial wall-clock time (ms since the epoch).
    ///   - customSteps: Custom step factories.
    ///   - maxRecordBytes: The largest record the "producer" takes (`message.max.bytes`; default 1,000,000).
    /// - Throws: ``Engine/EngineError`` when the topology, catalogue or reference data are wrong.
    public init(
        topology: Topology,
        region: String? = nil,
        schemasDirectory: String,
        referenceDirectory: String? = nil,
        tables: [String: [JSONValue]] = [:],
        wallClock: Int64 = 0,
        customSteps: StepRegistry = StepRegistry(),
        maxRecordBytes: Int? = nil
    ) throws {
        var reference = ReferenceData()
        if let referenceDirectory {
            reference = try ReferenceData.load(topology: topology, directory: referenceDirectory)
        }
        for (name, rows) in tables { reference.rows[name] = rows }
        clock = ManualClock(milliseconds: wallClock)
        sink = RecordingSink()
        engine = try Engine(
            topology: topology, region: region ?? topology.regions.first?.name ?? "",
            schemas: try Self.catalog(schemasDirectory),
            referenceData: reference, clock: clock, customSteps: customSteps,
            maxRecordBytes: maxRecordBytes ?? Engine.defaultMaxRecordBytes)
    }

    /// Creates a driver from a `topology.yaml` file; its `schemas` and `reference` folders are resolved
    /// relative to the file's folder, as `plantstream run` does.
    ///
    /// - Parameters:
    ///   - path: The topology file.
    ///   - region: The region to run (default: the first).
    ///   - environment: Values for `${VAR}` (default: none, so defaults apply).
    ///   - tables: In-memory rows per table name (replacing the files' rows).
    ///   - wallClock: Initial wall-clock time.
    ///   - customSteps: Custom step factories.
    ///   - customStepSpecs: The specs the loader parses custom steps with.
    /// - Throws: ``Topology/TopologyError`` with every lint finding, or ``Engine/EngineError``.
    public convenience init(
        topologyFile path: String,
        region: String? = nil,
        environment: [String: String] = [:],
        tables: [String: [JSONValue]] = [:],
        wallClock: Int64 = 0,
        customSteps: StepRegistry = StepRegistry(),
        customStepSpecs: [StepSpec] = []
    ) throws {
        let topology = try TopologyLoader(environment: environment, customSteps: customStepSpecs).load(
            contentsOf: path)
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        func resolve(_ relative: String) -> String { relative.hasPrefix("/") ? relative : folder + "/" + relative }
        try self.init(
            topology: topology, region: region, schemasDirectory: resolve(topology.schemasDirectory),
            referenceDirectory: resolve(topology.referenceDirectory), tables: tables, wallClock: wallClock,
            customSteps: customSteps)
    }

    /// Creates a driver from YAML text.
    /// - Throws: ``Topology/TopologyError`` with every lint finding, or ``Engine/EngineError``.
    public convenience init(
        yaml: String,
        region: String? = nil,
        schemasDirectory: String,
        referenceDirectory: String? = nil,
        environment: [String: String] = [:],
        tables: [String: [JSONValue]] = [:],
        wallClock: Int64 = 0,
        customSteps: StepRegistry = StepRegistry(),
        customStepSpecs: [StepSpec] = []
    ) throws {
        let topology = try TopologyLoader(environment: environment, customSteps: customStepSpecs).load(
            text: yaml, file: "topology.yaml")
        try self.init(
            topology: topology, region: region, schemasDirectory: schemasDirectory,
            referenceDirectory: referenceDirectory, tables: tables, wallClock: wallClock, customSteps: customSteps)
    }

    private static let catalogCache = CatalogCache()

    /// Loading and compiling the catalogue takes a while: share it between drivers of one process.
    private static func catalog(_ directory: String) throws -> SchemaCatalog {
        try catalogCache.catalog(directory)
    }

    /// The task of a partition (created on first use).
    package func task(topic: String, partition: Int32 = 0) throws -> PartitionTask {
        let key = TaskKey(topic: topic, partition: partition)
        if let task = tasks[key] { return task }
        let task = try engine.makeTask(topic: topic, partition: partition, sink: sink)
        tasks[key] = task
        return task
    }

    // MARK: Input

    /// Pipes one record into a source topic.
    ///
    /// - Parameters:
    ///   - topic: The source topic.
    ///   - key: The record key (UTF-8), or `nil`.
    ///   - value: The record value bytes, or `nil` for a tombstone.
    ///   - headers: Record headers.
    ///   - partition: The partition (default 0).
    ///   - timestamp: The Kafka timestamp (default: the wall clock).
    /// - Returns: The offset the record got.
    @discardableResult
    public func pipe(
        topic: String, key: String?, value: [UInt8]?, headers: [(String, [UInt8]?)] = [], partition: Int32 = 0,
        timestamp: Int64? = nil
    ) throws -> Int64 {
        let task = try task(topic: topic, partition: partition)
        let taskKey = TaskKey(topic: topic, partition: partition)
        let offset = nextOffsets[taskKey, default: 0]
        nextOffsets[taskKey] = offset + 1
        let keyBytes = key.map { Array($0.utf8) }
        let names = headers.map { Array($0.0.utf8) }
        let values = headers.map(\.1)
        withBorrowedHeaders(names: names, values: values) { borrowed in
            withOptional(keyBytes) { keyPointer in
                withOptional(value) { valuePointer in
                    task.process(
                        InputRecord(
                            offset: offset, timestamp: timestamp ?? clock.milliseconds, key: keyPointer,
                            value: valuePointer, headers: borrowed))
                }
            }
        }
        return offset
    }

    /// Pipes a record whose value is a string.
    @discardableResult
    public func pipe(
        topic: String, key: String?, value: String?, headers: [(String, String)] = [], partition: Int32 = 0,
        timestamp: Int64? = nil
    ) throws -> Int64 {
        try pipe(
            topic: topic, key: key, value: value.map { Array($0.utf8) },
            headers: headers.map { ($0.0, Array($0.1.utf8)) }, partition: partition, timestamp: timestamp)
    }

    /// Pipes a JSON value.
    @discardableResult
    public func pipe(topic: String, key: String?, json: JSONValue, partition: Int32 = 0) throws -> Int64 {
        var writer = JSONWriter()
        writer.value(json)
        return try pipe(topic: topic, key: key, value: writer.bytes, partition: partition)
    }

    /// Applies a record of a compacted table topic (as the runtime does when it consumes one).
    public func pipeTableRecord(topic: String, key: String, value: String?) {
        engine.applyTableRecord(topic: topic, key: Array(key.utf8), value: value.map { Array($0.utf8) })
    }

    // MARK: Time

    /// Moves the wall clock forward and lets every task react (idle windows).
    public func advanceWallClock(by milliseconds: Int64) {
        clock.milliseconds += milliseconds
        for key in tasks.keys.sorted(by: Self.order) { tasks[key]!.advance(wallClock: clock.milliseconds) }
    }

    private static func order(_ a: TaskKey, _ b: TaskKey) -> Bool {
        a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition
    }

    // MARK: Output

    /// Every record written so far, in order.
    public var allRecords: [TestRecord] { sink.records }

    /// Records written to `topic`, in order.
    public func records(topic: String) -> [TestRecord] { sink.records.filter { $0.topic == topic } }

    /// Records written to the topology output called `name`.
    public func records(output name: String) -> [TestRecord] {
        sink.records.filter { $0.name == name && $0.kind != .changelog }
    }

    /// Changelog records written so far (call ``flush()`` first), optionally of one store.
    public func changelogRecords(store: String? = nil) -> [TestRecord] {
        sink.records.filter { $0.kind == .changelog && (store == nil || $0.name == store) }
    }

    /// Forgets the output records captured so far; changelog records are kept (they are what
    /// ``restartTask(topic:partition:)`` restores from, like a compacted topic).
    public func clearRecords() { sink.records.removeAll { $0.kind != .changelog } }

    /// Flushes every task's state changes to its changelog.
    public func flush() {
        for key in tasks.keys.sorted(by: Self.order) { tasks[key]!.flush() }
    }

    /// Metrics of a task.
    public func metrics(topic: String, partition: Int32 = 0) -> TaskMetrics? {
        tasks[TaskKey(topic: topic, partition: partition)]?.metrics
    }

    /// Simulates a restart of a partition's task: flushes, closes it, creates a new task and restores
    /// it from the compacted changelog records of its stores (latest value per key).
    @discardableResult
    package func restartTask(topic: String, partition: Int32 = 0) throws -> PartitionTask {
        let key = TaskKey(topic: topic, partition: partition)
        if let old = tasks[key] {
            old.flush()
            old.close()
        }
        tasks[key] = nil
        let task = try task(topic: topic, partition: partition)
        let changelogTopics = Set(task.changelogTopics)
        var latest: [String: [[UInt8]: (order: Int, value: [UInt8]?)]] = [:]
        for (order, record) in sink.records.enumerated()
        where record.kind == .changelog && record.partition == partition && changelogTopics.contains(record.topic) {
            latest[record.topic, default: [:]][record.key ?? []] = (order, record.value)
        }
        var entries: [(order: Int, topic: String, key: [UInt8], value: [UInt8]?)] = []
        for (topic, values) in latest {
            for (key, entry) in values where entry.value != nil {
                entries.append((entry.order, topic, key, entry.value))
            }
        }
        entries.sort { $0.order < $1.order }
        for entry in entries {
            try entry.key.withUnsafeBytes { key in
                try entry.value!.withUnsafeBytes { value in try task.restore(topic: entry.topic, key: key, value: value)
                }
            }
        }
        task.restoreCompleted()
        return task
    }

    // MARK: Helpers

    private func withOptional(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Void) {
        guard let bytes else {
            body(nil)
            return
        }
        bytes.withUnsafeBytes { body($0) }
    }

    private func withBorrowedHeaders(
        names: [[UInt8]], values: [[UInt8]?], _ body: (UnsafeBufferPointer<RecordHeader>) -> Void
    ) {
        var flat: [UInt8] = []
        var spans: [(Int, Int, Int, Int)] = []
        for (name, value) in zip(names, values) {
            let nameStart = flat.count
            flat += name
            let valueStart = flat.count
            flat += value ?? []
            spans.append((nameStart, name.count, valueStart, value?.count ?? -1))
        }
        flat.withUnsafeBytes { base in
            let headers = spans.map { span in
                RecordHeader(
                    name: UnsafeRawBufferPointer(rebasing: base[span.0..<span.0 + span.1]),
                    value: span.3 < 0 ? nil : UnsafeRawBufferPointer(rebasing: base[span.2..<span.2 + span.3]))
            }
            headers.withUnsafeBufferPointer { body($0) }
        }
    }
}

/// Captures every record a task writes.
final class RecordingSink: Sink {
    var records: [TestRecord] = []

    func send(_ record: OutgoingRecord) {
        var headers: [TestRecord.Header] = []
        for header in record.headers {
            headers.append(
                TestRecord.Header(
                    name: String(decoding: header.name, as: UTF8.self), value: header.value.map { Array($0) }))
        }
        let captured = TestRecord(
            name: record.destination.name, topic: record.destination.topic, kind: record.destination.kind,
            partition: record.partition, key: record.key.map { Array($0) }, value: record.value.map { Array($0) },
            headers: headers, timestamp: record.timestamp)
        records.append(captured)
    }
}

/// Shares loaded catalogues between drivers (loading compiles every schema).
final class CatalogCache: @unchecked Sendable {
    // Safe: every access holds `lock`.
    private let lock = NSLock()
    private var catalogs: [String: SchemaCatalog] = [:]

    func catalog(_ directory: String) throws -> SchemaCatalog {
        lock.lock()
        defer { lock.unlock() }
        if let cached = catalogs[directory] { return cached }
        let catalog = try RegistryCatalog(directory: directory)
        catalogs[directory] = catalog
        return catalog
    }
}
