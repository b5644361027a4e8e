import JSON
import Logging
import Timekeeping

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Processes one partition of one source topic: validation, every pipeline reading the source, and
/// the partition's state.
///
/// Lifecycle (driven by the runtime or the test driver, always on one thread):
/// 1. `beginRestore(upTo:)` with the checkpoint committed with the partition's offset, then
///    `restore(topic:key:value:checkpoint:)` with every changelog record of the partition, before the first
///    record (records of later, uncommitted checkpoints are skipped: see ``ChangelogFormat``);
/// 2. `process(_:)` with batches of records, `advance(wallClock:)` on idle polls;
/// 3. `flush()` before each commit: writes one changelog record per state key changed since the last flush,
///    stamped with the next checkpoint, and returns the checkpoint to commit with the task's position;
/// 4. `close()` on revoke or shutdown (after a final `flush()` when the state should be kept).
///
/// - Important: Not thread-safe and never shared between threads; all output goes to the task's ``Sink``
///   synchronously, in a deterministic order.
public final class PartitionTask {
    /// The source topic.
    public let topic: String
    /// The partition.
    public let partition: Int32
    /// Counters since the task was created.
    public var metrics: TaskMetrics {
        var metrics = counters.pointee
        // Counted from the state itself, so restores, releases and cancellations can never skew it.
        metrics.parked = tableNodes.reduce(0) { $0 + (($1 as? HoldNode)?.parkedCount ?? 0) }
        return metrics
    }
    /// The counters, behind a pointer: updating them on the hot path needs no exclusivity check.
    let counters: UnsafeMutablePointer<TaskMetrics>
    /// The partition's stream time: the largest event time of a valid record (`Int64.min` before any).
    public internal(set) var streamTime: Int64 {
        get { times.pointee.streamTime }
        set { times.pointee.streamTime = newValue }
    }
    /// Wall-clock time of the last record (for idle windows).
    public internal(set) var lastActivity: Int64 {
        get { times.pointee.lastActivity }
        set { times.pointee.lastActivity = newValue }
    }
    /// Stream time and activity, behind a pointer (no exclusivity checks on the hot path).
    private let times: UnsafeMutablePointer<(streamTime: Int64, lastActivity: Int64)>

    let engine: Engine
    let sink: any Sink
    let plan: SourcePlan
    let context: RecordContext
    private(set) var pipelines: [PipelineInstance] = []
    /// Each pipeline's plan and first node, unretained: `pipelines` owns both for the task's lifetime.
    private let heads: UnsafeMutableBufferPointer<PipelineHead>
    /// The last event type seen and its entry (see ``typeEntry(_:)``).
    private let typeCache: UnsafeMutablePointer<TypeCache>
    private let decoder: EnvelopeDecoder
    // Set in `init` only; unchecked exclusivity (the task is confined to one thread) keeps the per-record reads
    // free of dynamic access checks.
    @exclusivity(unchecked) private var timeNodes: [StepNode] = []
    @exclusivity(unchecked) private var tableNodes: [StepNode] = []
    /// `!timeNodes.isEmpty`.
    @exclusivity(unchecked) private var hasTimeNodes = false
    private(set) var stores: [StateStore] = []
    private var storesByTopic: [String: StateStore] = [:]
    private var restorePending = false
    private(set) var isClosed = false
    /// The checkpoint of the state as last flushed (0: nothing flushed or restored yet).
    public private(set) var checkpoint: UInt64 = 0
    /// Which changelog records the current restore applies.
    private var restoreLimit: CommittedCheckpoint = .unknown
    /// Keys whose later records a restore skipped: rewritten by the next flush (store topic → keys).
    private var rewrites: [(store: StateStore, key: [UInt8])] = []
    /// The checkpoint header value of the records a flush writes (reused).
    private var checkpointHeader: [UInt8] = []
    private static let checkpointHeaderName = Array(ChangelogFormat.checkpointHeader.utf8)

    /// Reused buffers for outputs, dead-letter headers and validation of outputs.
    var exceptionWriter = JSONWriter(capacity: 4096)
    let outputTape = JSONTape(capacity: 256)
    let exceptionTape = JSONTape(capacity: 256)
    private let upcastTape = JSONTape(capacity: 256)
    private var upcastWriter = JSONWriter(capacity: 4096)

    init(engine: Engine, plan: SourcePlan, partition: Int32, sink: any Sink) {
        self.engine = engine
        self.plan = plan
        topic = plan.source.topic
        self.partition = partition
        self.sink = sink
        counters = .allocate(capacity: 1)
        counters.initialize(to: TaskMetrics())
        times = .allocate(capacity: 1)
        times.initialize(to: (Int64.min, engine.clock.now()))
        context = RecordContext(topic: plan.source.topic, partition: partition, aliasCount: plan.aliasCount)
        decoder = EnvelopeDecoder(format: plan.format)
        heads = .allocate(capacity: max(plan.pipelines.count, 1))
        typeCache = .allocate(capacity: 1)
        typeCache.initialize(to: TypeCache())
        for pipelinePlan in plan.pipelines {
            let nodes = pipelinePlan.steps.map { $0.makeNode(for: self) }
            pipelines.append(PipelineInstance(plan: pipelinePlan, nodes: nodes))
            for node in nodes {
                stores += node.stores
                if node is WindowNode || node is DedupeNode { timeNodes.append(node) }
                if node is HoldNode { tableNodes.append(node) }
            }
        }
        for store in stores { storesByTopic[store.destination.topic] = store }
        hasTimeNodes = !timeNodes.isEmpty
        for (index, pipeline) in pipelines.enumerated() {
            (heads.baseAddress! + index).initialize(to: PipelineHead(plan: pipeline.plan, node: pipeline.head))
        }
    }

    deinit {
        counters.deinitialize(count: 1)
        counters.deallocate()
        times.deallocate()
        heads.deallocate()
        typeCache.pointee.release()
        typeCache.deinitialize(count: 1)
        typeCache.deallocate()
    }

    /// The changelog topics of this task's stores (same partition as the task).
    public var changelogTopics: [String] { stores.map(\.destination.topic) }

    /// The state stores (tests, metrics).
    public var stateStores: [StateStore] { stores }

    // MARK: Restore

    /// Starts a restore: only changelog records stamped at or below the committed checkpoint will be applied.
    ///
    /// - Parameter committed: The checkpoint committed with the partition's input offset.
    public func beginRestore(upTo committed: CommittedCheckpoint) {
        restoreLimit = committed
        checkpoint = max(checkpoint, committed.checkpoint)
    }

    /// Applies one changelog record before the first `process` call after assignment, if it belongs to the
    /// committed state; a later record is skipped and its key rewritten by the next flush (so a later restore
    /// that does include the skipped checkpoints still ends with the committed value).
    ///
    /// - Parameters:
    ///   - topic: The changelog topic.
    ///   - key: The record key.
    ///   - value: The record value (`nil`: a tombstone).
    ///   - checkpoint: The record's ``ChangelogFormat/checkpointHeader``, `nil` when it has none.
    /// - Throws: ``EngineError`` when the topic is not one of ``changelogTopics``, the record has no checkpoint
    ///   (written by a build before checkpoints) or is corrupt.
    public func restore(
        topic: String, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?, checkpoint recordCheckpoint: UInt64?
    ) throws(EngineError) {
        guard let store = storesByTopic[topic] else {
            throw EngineError(.unknownTopic, "\(topic) is not a changelog of task \(self.topic)/\(partition)")
        }
        guard let recordCheckpoint else {
            throw EngineError(
                .corruptState,
                "\(topic)[\(partition)] holds a record without a \(ChangelogFormat.checkpointHeader) header, written by "
                    + "a PlantStream build older than changelog format \(ChangelogFormat.formatVersion); stop every "
                    + "instance of the application, delete its changelog topics and reset its consumer group's offsets "
                    + "to reprocess")
        }
        restorePending = true
        checkpoint = max(checkpoint, recordCheckpoint)
        if restoreLimit.includes(recordCheckpoint) {
            try store.restore(key: key, value: value)
        } else {
            rewrites.append((store, Array(key)))
        }
    }

    /// Applies one changelog record of the committed state (tests and tools that hold no checkpoints).
    /// - Throws: As ``restore(topic:key:value:checkpoint:)``.
    public func restore(topic: String, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?)
        throws(EngineError)
    {
        try restore(topic: topic, key: key, value: value, checkpoint: checkpoint)
    }

    /// Finishes a restore: schedules the rewrite of skipped keys, rebuilds indexes, recovers stream time and
    /// re-checks parked postings against the current tables. Called automatically by the first `process` or
    /// `advance`.
    public func restoreCompleted() {
        guard restorePending else { return }
        restorePending = false
        restoreLimit = .unknown
        for rewrite in rewrites { rewrite.key.withUnsafeBytes { rewrite.store.markForRewrite(key: $0) } }
        rewrites = []
        for pipeline in pipelines { for node in pipeline.nodes { node.stateRestored() } }
    }

    // MARK: Processing

    /// Processes a batch of records in order.
    public func process(_ records: UnsafeBufferPointer<InputRecord>) {
        guard !isClosed else { return }
        restoreCompleted()
        lastActivity = engine.clock.now()
        for record in records { handle(record) }
    }

    /// Processes a batch held in an array.
    public func process(_ records: [InputRecord]) {
        records.withUnsafeBufferPointer { process($0) }
    }

    /// Processes one record.
    public func process(_ record: InputRecord) {
        withUnsafePointer(to: record) { process(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Lets time-driven work happen without records: windows of an idle partition close once the
    /// wall clock passes their idle timeout.
    public func advance(wallClock now: Int64) {
        guard !isClosed else { return }
        restoreCompleted()
        for node in timeNodes { node.wallClockAdvanced(now) }
    }

    /// Writes one changelog record per state key changed since the last flush, stamped with the next
    /// checkpoint (call before committing).
    ///
    /// - Returns: The checkpoint of the state now in the changelog: commit it with the task's position.
    @discardableResult
    public func flush() -> UInt64 {
        guard !isClosed else { return checkpoint }
        restoreCompleted()
        let timestamp = max(streamTime, 0)
        for node in timeNodes { node.prepareFlush() }
        guard stores.contains(where: { $0.pendingChangeCount > 0 }) else { return checkpoint }
        checkpoint += 1
        checkpointHeader.removeAll(keepingCapacity: true)
        ChangelogFormat.appendCheckpoint(checkpoint, to: &checkpointHeader)
        Self.checkpointHeaderName.withUnsafeBytes { name in
            checkpointHeader.withUnsafeBytes { value in
                withUnsafePointer(to: RecordHeader(name: name, value: value)) { header in
                    let headers = UnsafeBufferPointer(start: header, count: 1)
                    for store in stores {
                        store.writeChanges { key, value in
                            send(
                                store.destination, partition: partition, key: key, value: value, headers: headers,
                                timestamp: timestamp)
                            counters.pointee.changelogRecords += 1
                        }
                    }
                }
            }
        }
        return checkpoint
    }

    /// Stops the task and drops its in-memory state (flush first to keep it in the changelog).
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        engine.unregister(self)
    }

    /// A global table changed: holds re-check the key.
    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer) {
        guard !isClosed else { return }
        restoreCompleted()
        for node in tableNodes { node.tableChanged(table, key: key) }
    }

    private func handle(_ record: InputRecord) {
        counters.pointee.recordsIn += 1
        context.reset()
        context.input = record
        context.offset = record.offset
        defer { context.clearSchemaType() }
        guard let value = record.value else {
            deadLetterAtSource(RecordFailure("EMPTY_VALUE", "the record has no value"), pipeline: nil)
            return
        }
        guard value.count <= plan.maxBytes else {
            deadLetterAtSource(
                RecordFailure("RECORD_TOO_LARGE", "\(value.count) bytes exceed the limit of \(plan.maxBytes)"),
                pipeline: nil)
            return
        }
        let failure = decoder.decode(record, value: value) { root in handleEvent(root) }
        if let failure { deadLetterAtSource(failure, pipeline: nil) }
    }

    private func handleEvent(_ root: JSONNode) {
        guard let typeNode = root.member("type"), typeNode.kind == .string,
            let version = root.member("schemaVersion")?.int64
        else {
            deadLetterAtSource(
                RecordFailure("INVALID_ENVELOPE", "the event needs a string type and an integer schemaVersion"),
                pipeline: nil)
            return
        }
        // `<type>/v<N>` (the dead-letter header) is written only when a dead letter needs it.
        context.setSchemaType(typeNode, version: version)
        if !typeNode.hasEscapes, let type = typeNode.rawStringBytes {
            typeEntry(type)._withUnsafeGuaranteedRef { handleEvent(root, type: type, version: version, entry: $0) }
        } else {
            _ = typeNode.withUnescapedBytes { type in
                typeEntry(type)._withUnsafeGuaranteedRef { handleEvent(root, type: type, version: version, entry: $0) }
            }
        }
    }

    /// The plan's entry for an event type; the last one is remembered (a source usually carries one type, or a
    /// few in runs), so most records skip the hash lookup.
    ///
    /// The entry is returned unretained: the cache holds it until another type replaces it, which happens only
    /// in a later call (never while a record of this type is being handled).
    @inline(__always)
    private func typeEntry(_ type: UnsafeRawBufferPointer) -> Unmanaged<SourcePlan.TypeEntry> {
        let cache = typeCache
        if let entry = cache.pointee.entry, type.count == cache.pointee.type.count,
            type.count == 0 || memcmp(type.baseAddress!, cache.pointee.type.baseAddress!, type.count) == 0
        {
            return entry
        }
        let entry = plan.entry(type: type)
        cache.pointee.remember(type, entry)
        return Unmanaged.passUnretained(entry)
    }

    private func handleEvent(
        _ root: JSONNode, type: UnsafeRawBufferPointer, version: Int64, entry: SourcePlan.TypeEntry
    ) {
        guard let latest = entry.latest else {
            deadLetterAtSource(
                RecordFailure(
                    "UNKNOWN_SCHEMA", path: "/type", "no schema \(String(decoding: context.schemaId, as: UTF8.self))"),
                pipeline: entry.pipelines?.first)
            return
        }
        guard let pipelines = entry.pipelines else {
            counters.pointee.skippedTypes += 1
            return
        }
        guard version > 0, version < Int64(entry.validators.count), let slot = entry.validatorSlots[Int(version)]
        else {
            deadLetterAtSource(
                RecordFailure(
                    "UNKNOWN_SCHEMA", path: "/schemaVersion",
                    "no schema \(String(decoding: context.schemaId, as: UTF8.self))"),
                pipeline: pipelines[0])
            return
        }
        let validator = UnsafePointer(slot)
        guard validator.pointee.isValid(root) else {
            let violation = validator.pointee.validate(root, maxErrors: 1).first
            deadLetterAtSource(
                RecordFailure(
                    "SCHEMA_VIOLATION", path: violation?.instancePointer ?? "",
                    (violation?.message ?? "does not conform") + " (keyword "
                        + (violation?.keywordLocation ?? "") + ")"),
                pipeline: pipelines[0])
            return
        }
        pipelines.withUnsafeBufferPointer { indexes in
            if version < Int64(latest) {
                upcastAndRun(
                    root, type: String(decoding: type, as: UTF8.self), version: Int(version), pipelines: indexes)
            } else {
                run(root, pipelines: indexes)
            }
        }
    }

    private func upcastAndRun(
        _ root: JSONNode, type: String, version: Int, pipelines indexes: UnsafeBufferPointer<Int>
    ) {
        let upcast: JSONValue
        do {
            upcast = try plan.upcast(JSONValue(root), type: type, from: version)
        } catch {
            deadLetterAtSource(error, pipeline: indexes[0])
            return
        }
        counters.pointee.upcast += 1
        upcastWriter.reset()
        upcastWriter.value(upcast)
        let tape = upcastTape
        upcastWriter.withBytes { bytes in
            guard let document = try? JSONReader().parse(bytes, into: tape) else {
                deadLetterAtSource(RecordFailure("UPCAST_FAILED", "upcast produced invalid JSON"), pipeline: indexes[0])
                return
            }
            run(document.root, pipelines: indexes)
        }
    }

    private func run(_ root: JSONNode, pipelines indexes: UnsafeBufferPointer<Int>) {
        context.event = root
        var eventTime: Int64?
        if case .node(let node) = ExpressionCompiler.resolveEvent(context, UnsafeBufferPointer(plan.eventTimeSteps)) {
            eventTime = node.withUnescapedBytes { RFC3339.parse($0) } ?? nil
        }
        guard let eventTime else {
            context.event = nil
            deadLetterAtSource(
                RecordFailure(
                    "INVALID_EVENT_TIME", path: plan.source.eventTime.jsonPointer,
                    "\(plan.source.eventTime) is missing or not an RFC 3339 timestamp"),
                pipeline: indexes[0])
            return
        }
        if plan.filtersPlants {
            let takes = root.member("plantId")?.withUnescapedBytes { plan.takesPlant($0) } ?? false
            guard takes else {
                counters.pointee.skippedPlants += 1
                context.event = nil
                return
            }
        }
        counters.pointee.valid += 1
        context.eventTime = eventTime
        let heads = self.heads
        for index in indexes {
            let head = heads[index]
            context.setPipeline(head.plan)
            context.resetDownstream()
            head.node?.push(context)
        }
        context.event = nil
        if eventTime > streamTime {
            streamTime = eventTime
            if hasTimeNodes { for node in timeNodes { node.streamTimeAdvanced() } }
        }
    }

    /// Appends the decimal digits of a non-negative integer (negative ones as 0) without allocating.
    @inline(__always)
    static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        var magnitude = UInt64(max(value, 0))
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            var count = 0
            repeat {
                scratch[count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude != 0
            while count > 0 {
                count -= 1
                buffer.append(scratch[count])
            }
        }
    }

    private func deadLetterAtSource(_ failure: RecordFailure, pipeline index: Int?) {
        let pipeline = plan.pipelines[index ?? 0]
        context.pipeline = pipeline
        deadLetter(context, failure)
    }
}

/// A pipeline's plan and first node as the per-record loop reads them: unretained references, valid while
/// the task that owns the pipeline instances lives.
struct PipelineHead {
    let plan: Unmanaged<PipelinePlan>
    unowned(unsafe) let node: (any StepNode)?

    init(plan: PipelinePlan, node: (any StepNode)?) {
        self.plan = Unmanaged.passUnretained(plan)
        self.node = node
    }
}

/// The last event type a task saw (its bytes, copied) and the plan's entry for it.
struct TypeCache {
    private var bytes: UnsafeMutableRawPointer?
    private var capacity = 0
    private(set) var type = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Keeps the entry alive (the plan stops caching entries after 4,096 types).
    private var owner: SourcePlan.TypeEntry?
    private(set) var entry: Unmanaged<SourcePlan.TypeEntry>?

    mutating func remember(_ type: UnsafeRawBufferPointer, _ entry: SourcePlan.TypeEntry) {
        if type.count > capacity {
            bytes?.deallocate()
            capacity = max(type.count, 32)
            bytes = .allocate(byteCount: capacity, alignment: 1)
        }
        if !type.isEmpty { bytes!.copyMemory(from: type.baseAddress!, byteCount: type.count) }
        self.type = UnsafeRawBufferPointer(start: bytes, count: type.count)
        owner = entry
        self.entry = Unmanaged.passUnretained(entry)
    }

    /// Frees the copied bytes.
    mutating func release() {
        bytes?.deallocate()
        bytes = nil
        capacity = 0
        type = UnsafeRawBufferPointer(start: nil, count: 0)
        entry = nil
        owner = nil
    }
}
