import JSON
import Logging
import Timekeeping

/// Processes one partition of one source topic: its ``SourceValidator``, every pipeline reading the source,
/// and the partition's state. It owns the lifecycle and fans each valid event out to the pipelines; the steps
/// reach the task only through their ``StepContext``.
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
package final class PartitionTask {
    /// The source topic.
    package let topic: String
    /// The partition.
    package let partition: Int32
    /// Counters since the task was created.
    package var metrics: TaskMetrics {
        var metrics = counters.metrics
        // Counted from the state itself, so restores, releases and cancellations can never skew it.
        metrics.parked = emitNodes.reduce(0) { $0 + $1.parkedCount }
        metrics.deadLettersByCode = counters.deadLettersByCode
        metrics.exceptionsByKind = counters.exceptionsByKind
        metrics.transactionsByType = counters.transactionsByType
        if let sparkplug {
            metrics.sparkplugSequenceGaps = sparkplug.sequenceGaps
            metrics.sparkplugRebirthsNeeded = sparkplug.nodesNeedingRebirth
            metrics.sparkplugParked = sparkplug.parkedMessages
            metrics.skippedTypes += sparkplug.skipped
        }
        return metrics
    }
    /// The partition's stream time: the largest event time of a valid record (`Int64.min` before any).
    package var streamTime: Int64 { clock.streamTime }
    /// Wall-clock time of the last record (for idle windows).
    package var lastActivity: Int64 { clock.lastActivity }

    private let engine: Engine
    let plan: SourcePlan
    private let counters: TaskCounters
    private let clock: TaskClock
    private let output: TaskOutput
    private let record: RecordContext
    private let validator: SourceValidator
    /// The Sparkplug B decoder of a `sparkplug_b` source.
    private let sparkplug: SparkplugDecoder?
    /// Times the stages when the engine profiles its steps (`nil`: not profiled).
    private let profiler: StepProfiler?
    private let sourceStage: Int
    private(set) var pipelines: [PipelineInstance] = []
    /// Each pipeline's plan and first node, unretained: `pipelines` owns both for the task's lifetime.
    private let heads: UnsafeMutableBufferPointer<PipelineHead>
    private let timeNodes: [StepNode]
    private let tableNodes: [StepNode]
    private let emitNodes: [EmitNode]
    private let hasTimeNodes: Bool
    private(set) var stores: [StateStore] = []
    private var storesByTopic: [String: StateStore] = [:]
    private var restorePending = false
    private(set) var isClosed = false
    /// The checkpoint of the state as last flushed (0: nothing flushed or restored yet).
    package private(set) var checkpoint: UInt64 = 0
    /// Which changelog records the current restore applies.
    private var restoreLimit: CommittedCheckpoint = .unknown
    /// Keys whose later records a restore skipped: rewritten by the next flush (store topic → keys).
    private var rewrites: [(store: StateStore, key: [UInt8])] = []
    /// The checkpoint header value of the records a flush writes (reused).
    private var checkpointHeader: [UInt8] = []
    private static let checkpointHeaderName = Array(ChangelogFormat.checkpointHeader.utf8)

    init(engine: Engine, plan: SourcePlan, partition: Int32, sink: any Sink) {
        self.engine = engine
        self.plan = plan
        topic = plan.source.topic
        self.partition = partition
        let counters = TaskCounters()
        self.counters = counters
        let clock = TaskClock(now: engine.clock.now())
        self.clock = clock
        output = TaskOutput(
            sink: sink, counters: counters, topic: plan.source.topic, partition: partition,
            maxRecordBytes: engine.maxRecordBytes, refusals: engine.outputRefusals,
            exceptionValidator: engine.exceptionValidator,
            exceptionSchemaVersion: engine.exceptionSchemaVersion)
        record = RecordContext(
            topic: plan.source.topic, partition: partition, aliasCount: plan.aliasCount, identity: plan.identity)
        var contexts: [StepContext] = []
        var timeNodes: [StepNode] = []
        var tableNodes: [StepNode] = []
        var emitNodes: [EmitNode] = []
        let sourceStage = engine.stepProfiler?.stage("source \(plan.source.name): decode + validate") ?? 0
        for pipelinePlan in plan.pipelines {
            let context = TaskStepContext(
                pipeline: pipelinePlan, output: output, clock: clock, tables: engine.tableFeedback,
                destinations: engine.destinations, aliasCount: plan.aliasCount, identity: plan.identity,
                logger: engine.logger)
            contexts.append(context)
            let nodes = pipelinePlan.steps.map { $0.makeNode(in: context) }
            let chain = engine.stepProfiler.map { profiler in
                var seen: [String: Int] = [:]
                return zip(nodes, pipelinePlan.steps).map { node, step -> StepNode in
                    let name = Self.stepName(step)
                    seen[name, default: 0] += 1
                    let stage = "\(pipelinePlan.name) › \(name)" + (seen[name]! > 1 ? " #\(seen[name]!)" : "")
                    return ProfiledNode(node, stage: stage, profiler: profiler)
                }
            }
            pipelines.append(PipelineInstance(plan: pipelinePlan, nodes: chain ?? nodes))
            for (index, node) in nodes.enumerated() {
                stores += node.stores
                if node is WindowNode || node is DedupeNode { timeNodes.append(chain?[index] ?? node) }
                if let emit = node as? EmitNode {
                    emitNodes.append(emit)
                    if !emit.stores.isEmpty { tableNodes.append(emit) }
                }
            }
        }
        self.timeNodes = timeNodes
        self.tableNodes = tableNodes
        self.emitNodes = emitNodes
        hasTimeNodes = !timeNodes.isEmpty
        let sparkplug = plan.sparkplug.map {
            SparkplugDecoder(plan: $0, topic: plan.source.topic, partition: partition)
        }
        if let sparkplug { stores.append(sparkplug.store) }
        self.sparkplug = sparkplug
        validator = SourceValidator(plan: plan, contexts: contexts, counters: counters, sparkplug: sparkplug)
        profiler = engine.stepProfiler
        self.sourceStage = sourceStage
        output.profiler = profiler
        for store in stores { storesByTopic[store.destination.topic] = store }
        heads = .allocate(capacity: max(plan.pipelines.count, 1))
        for (index, pipeline) in pipelines.enumerated() {
            (heads.baseAddress! + index).initialize(to: PipelineHead(plan: pipeline.plan, node: pipeline.head))
        }
    }

    deinit {
        heads.deallocate()
    }

    /// The changelog topics of this task's stores (same partition as the task).
    package var changelogTopics: [String] { stores.map(\.destination.topic) }

    /// The state stores (tests, metrics).
    package var stateStores: [StateStore] { stores }

    // MARK: Restore

    /// Starts a restore: only changelog records stamped at or below the committed checkpoint will be applied.
    ///
    /// - Parameter committed: The checkpoint committed with the partition's input offset.
    package func beginRestore(upTo committed: CommittedCheckpoint) {
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
    package func restore(
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
    package func restore(topic: String, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?)
        throws(EngineError)
    {
        try restore(topic: topic, key: key, value: value, checkpoint: checkpoint)
    }

    /// Finishes a restore: schedules the rewrite of skipped keys, rebuilds indexes, recovers stream time and
    /// re-checks parked postings against the current tables. Called automatically by the first `process` or
    /// `advance`.
    package func restoreCompleted() {
        guard restorePending else { return }
        restorePending = false
        restoreLimit = .unknown
        for rewrite in rewrites { rewrite.key.withUnsafeBytes { rewrite.store.markForRewrite(key: $0) } }
        rewrites = []
        for pipeline in pipelines { for node in pipeline.nodes { node.stateRestored() } }
        engine.applyTableFeedback()
    }

    // MARK: Processing

    /// Processes a batch of records in order.
    package func process(_ records: UnsafeBufferPointer<InputRecord>) {
        guard !isClosed else { return }
        restoreCompleted()
        clock.lastActivity = engine.clock.now()
        for input in records { handle(input) }
    }

    /// Processes a batch held in an array.
    package func process(_ records: [InputRecord]) {
        records.withUnsafeBufferPointer { process($0) }
    }

    /// Processes one record.
    package func process(_ record: InputRecord) {
        withUnsafePointer(to: record) { process(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Lets time-driven work happen without records: windows of an idle partition close once the
    /// wall clock passes their idle timeout.
    package func advance(wallClock now: Int64) {
        guard !isClosed else { return }
        restoreCompleted()
        for node in timeNodes { node.wallClockAdvanced(now) }
        engine.applyTableFeedback()
    }

    /// Writes one changelog record per state key changed since the last flush, stamped with the next
    /// checkpoint (call before committing).
    ///
    /// - Returns: The checkpoint of the state now in the changelog: commit it with the task's position.
    @discardableResult
    package func flush() -> UInt64 {
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
                            output.writeChangelog(
                                store.destination, key: key, value: value, headers: headers, timestamp: timestamp)
                            counters.metrics.changelogRecords += 1
                        }
                    }
                }
            }
        }
        return checkpoint
    }

    /// Stops the task and drops its in-memory state (flush first to keep it in the changelog).
    package func close() {
        guard !isClosed else { return }
        isClosed = true
        engine.unregister(self)
    }

    /// A global table changed: hold gates re-check the key.
    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer) {
        guard !isClosed else { return }
        restoreCompleted()
        for node in tableNodes { node.tableChanged(table, key: key) }
    }

    /// One record: validation, then every pipeline taking its type; then time moves on and the table rows the
    /// pipelines wrote are applied.
    private func handle(_ input: InputRecord) {
        guard let profiler else { return handleRecord(input) }
        profiler.beginRecord()
        profiler.measure(sourceStage) { handleRecord(input) }
        profiler.endRecord()
    }

    /// A step's name in profiles: `emit`, `window`, … (custom steps by their type).
    private static func stepName(_ plan: StepPlan) -> String {
        let name = String(describing: type(of: plan))
        return name.hasSuffix("StepPlan") ? String(name.dropLast(8)).lowercased() : name
    }

    private func handleRecord(_ input: InputRecord) {
        counters.metrics.recordsIn += 1
        let record = self.record
        record.reset()
        record.input = input
        record.offset = input.offset
        defer { record.clearSchemaType() }
        validator.validate(input, into: record) { indexes in
            let heads = self.heads
            for index in indexes {
                let head = heads[index]
                record.setPipeline(head.plan)
                record.resetDownstream()
                head.node?.push(record)
            }
            let eventTime = record.eventTime
            if eventTime > clock.streamTime {
                clock.streamTime = eventTime
                if hasTimeNodes { for node in timeNodes { node.streamTimeAdvanced() } }
            }
        }
        engine.applyTableFeedback()
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
}

/// A pipeline's plan and first node as the per-record loop reads them: unretained references, valid while
/// the task that owns the pipeline instances lives.
///
/// Unretained because it is measured: strong references here and in ``SourceValidator``'s type entry cost
/// 140 more instructions per event (+0.8 % of job A: `valgrind --tool=cachegrind` of
/// `plantstream bench engine --profile-job A`, passes 3 minus passes 1, over 20,000 events a pass).
struct PipelineHead {
    let plan: Unmanaged<PipelinePlan>
    unowned(unsafe) let node: (any StepNode)?

    init(plan: PipelinePlan, node: (any StepNode)?) {
        self.plan = Unmanaged.passUnretained(plan)
        self.node = node
    }
}
