import JSON
import Timekeeping
import Topology

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `validate` step of a source: the node every record of a task's partition enters first.
///
/// Per record: size check, envelope decode, schema lookup by `type` + `schemaVersion`, validation, upcast of
/// older versions, event time, plant filter. A valid event is handed on (``validate(_:into:deliver:)``) with the
/// record context ready: the canonical event, its event time and the pipelines that take its type. Anything
/// else is a dead letter (of the first pipeline taking the type, else the source's first) or counted as skipped.
///
/// - Important: Confined to the task's thread.
final class SourceValidator {
    private let plan: SourcePlan
    private let decoder: EnvelopeDecoder
    private let counters: TaskCounters
    /// The pipelines' contexts, by pipeline index (dead letters name the pipeline).
    private let contexts: [StepContext]
    /// The last event type seen and its entry (see ``typeEntry(_:)``).
    private let typeCache: UnsafeMutablePointer<TypeCache>
    /// Whether the source reads foreign records (`envelope: none`).
    private let isForeign: Bool
    private let upcastTape = JSONTape(capacity: 256)
    @exclusivity(unchecked) private var upcastWriter = JSONWriter(capacity: 4096)

    /// The Sparkplug B decoder of a `sparkplug_b` source, and the record and delivery it decodes for.
    private let sparkplug: SparkplugDecoder?
    private var sparkplugRecord: RecordContext?
    private var sparkplugDeliver: ((UnsafeBufferPointer<Int>) -> Void)?

    init(plan: SourcePlan, contexts: [StepContext], counters: TaskCounters, sparkplug: SparkplugDecoder? = nil) {
        self.plan = plan
        self.contexts = contexts
        self.counters = counters
        self.sparkplug = sparkplug
        decoder = EnvelopeDecoder(format: plan.format)
        isForeign = plan.source.isForeign
        typeCache = .allocate(capacity: 1)
        typeCache.initialize(to: TypeCache())
        sparkplug?.output = self
    }

    deinit {
        typeCache.pointee.release()
        typeCache.deinitialize(count: 1)
        typeCache.deallocate()
    }

    /// Validates one record. For a valid event, `deliver` is called with the indexes of the pipelines taking it
    /// while `record` holds the event and its event time (both valid only during the call).
    func validate(
        _ input: InputRecord, into record: RecordContext, deliver: (UnsafeBufferPointer<Int>) -> Void
    ) {
        guard let value = input.value else {
            deadLetter(record, RecordFailure(.emptyValue, "the record has no value"), pipeline: nil)
            return
        }
        guard value.count <= plan.maxBytes else {
            deadLetter(
                record, RecordFailure(.recordTooLarge, "\(value.count) bytes exceed the limit of \(plan.maxBytes)"),
                pipeline: nil)
            return
        }
        if let sparkplug {
            withoutActuallyEscaping(deliver) { deliver in
                sparkplugRecord = record
                sparkplugDeliver = deliver
                sparkplug.decode(input, value: value)
                sparkplugRecord = nil
                sparkplugDeliver = nil
            }
            return
        }
        let failure = decoder.decode(input, value: value) { root in
            if isForeign {
                validateForeign(root, record, deliver)
            } else {
                validate(root, record, deliver)
            }
        }
        if let failure { deadLetter(record, failure, pipeline: nil) }
    }

    /// A foreign record: its schema is the source's, or named by a field or header.
    private func validateForeign(
        _ root: JSONNode, _ record: RecordContext, _ deliver: (UnsafeBufferPointer<Int>) -> Void
    ) {
        if let fixed = plan.fixedSchema {
            fixed.id.withUnsafeBytes { record.setSchemaId($0) }
            fixed.type.withUnsafeBytes { type in
                typeEntry(type)._withUnsafeGuaranteedRef {
                    validate(root, record, type: type, version: fixed.version, entry: $0, deliver)
                }
            }
            return
        }
        var found = false
        func select(_ id: UnsafeRawBufferPointer) {
            found = true
            record.setSchemaId(id)
            guard let (type, version) = Self.splitSchemaId(id) else {
                deadLetter(
                    record,
                    RecordFailure(
                        .unknownSchema, path: plan.source.schema.map(Self.pointer) ?? "",
                        "'\(String(decoding: id, as: UTF8.self))' is not a schema id <type>/v<N>"),
                    pipeline: nil)
                return
            }
            typeEntry(type)._withUnsafeGuaranteedRef {
                validate(root, record, type: type, version: version, entry: $0, deliver)
            }
        }
        if let steps = plan.schemaField {
            if case .node(let node) = ExpressionCompiler.resolve(root, steps), node.kind == .string {
                _ = node.withUnescapedBytes { select($0) }
            }
        } else if let name = plan.schemaHeader, let value = record.input?.header(named: name) {
            select(value)
        }
        guard found else {
            let location = plan.source.schema.map(Self.pointer) ?? ""
            deadLetter(
                record,
                RecordFailure(
                    .unknownSchema, path: location,
                    "the record has no schema id <type>/v<N> in \(plan.source.schema.map { "\($0)" } ?? "?")"),
                pipeline: nil)
            return
        }
    }

    private static func pointer(_ selector: SchemaSelector) -> String {
        if case .from(let field) = selector { return field.pointer }
        return ""
    }

    /// `<type>/v<N>` split into the type's bytes and `N`.
    static func splitSchemaId(_ id: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, Int64)? {
        var index = id.count
        while index > 0, id[index - 1] >= 0x30, id[index - 1] <= 0x39 { index -= 1 }
        guard index < id.count, index >= 3, id[index - 1] == 0x76, id[index - 2] == 0x2F,
            let version = EnvelopeDecoder.integer(UnsafeRawBufferPointer(rebasing: id[index...]))
        else { return nil }
        return (UnsafeRawBufferPointer(rebasing: id[..<(index - 2)]), version)
    }

    private func validate(
        _ root: JSONNode, _ record: RecordContext, _ deliver: (UnsafeBufferPointer<Int>) -> Void
    ) {
        guard let typeNode = root.member("type"), typeNode.kind == .string,
            let version = root.member("schemaVersion")?.int64
        else {
            deadLetter(
                record, RecordFailure(.invalidEnvelope, "the event needs a string type and an integer schemaVersion"),
                pipeline: nil)
            return
        }
        // `<type>/v<N>` (the dead-letter header) is written only when a dead letter needs it.
        record.setSchemaType(typeNode, version: version)
        if !typeNode.hasEscapes, let type = typeNode.rawStringBytes {
            typeEntry(type)._withUnsafeGuaranteedRef {
                validate(root, record, type: type, version: version, entry: $0, deliver)
            }
        } else {
            _ = typeNode.withUnescapedBytes { type in
                typeEntry(type)._withUnsafeGuaranteedRef {
                    validate(root, record, type: type, version: version, entry: $0, deliver)
                }
            }
        }
    }

    /// The plan's entry for an event type; the last one is remembered (a source usually carries one type, or a
    /// few in runs), so most records skip the hash lookup.
    ///
    /// The entry is returned unretained: the cache holds it until another type replaces it, which happens only
    /// in a later call (never while a record of this type is being handled). Measured: see ``PipelineHead``.
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

    private func validate(
        _ root: JSONNode, _ record: RecordContext, type: UnsafeRawBufferPointer, version: Int64,
        entry: SourcePlan.TypeEntry, _ deliver: (UnsafeBufferPointer<Int>) -> Void
    ) {
        guard let latest = entry.latest else {
            deadLetter(
                record,
                RecordFailure(
                    .unknownSchema, path: isForeign ? plan.source.schema.map(Self.pointer) ?? "" : "/type",
                    "no schema \(String(decoding: record.schemaId, as: UTF8.self))"),
                pipeline: entry.pipelines?.first)
            return
        }
        guard let pipelines = entry.pipelines else {
            counters.metrics.skippedTypes += 1
            return
        }
        guard version > 0, version < Int64(entry.validators.count), let slot = entry.validatorSlots[Int(version)]
        else {
            deadLetter(
                record,
                RecordFailure(
                    .unknownSchema, path: isForeign ? plan.source.schema.map(Self.pointer) ?? "" : "/schemaVersion",
                    "no schema \(String(decoding: record.schemaId, as: UTF8.self))"),
                pipeline: pipelines[0])
            return
        }
        let validator = UnsafePointer(slot)
        guard validator.pointee.isValid(root) else {
            let violation = validator.pointee.validate(root, maxErrors: 1).first
            deadLetter(
                record,
                RecordFailure(
                    .schemaViolation, path: violation?.instancePointer ?? "",
                    violation?.explanation ?? "does not conform"),
                pipeline: pipelines[0])
            return
        }
        pipelines.withUnsafeBufferPointer { indexes in
            if version < Int64(latest) {
                upcast(
                    root, record, type: String(decoding: type, as: UTF8.self), version: Int(version),
                    pipelines: indexes, deliver)
            } else {
                accept(root, record, pipelines: indexes, deliver)
            }
        }
    }

    private func upcast(
        _ root: JSONNode, _ record: RecordContext, type: String, version: Int,
        pipelines indexes: UnsafeBufferPointer<Int>,
        _ deliver: (UnsafeBufferPointer<Int>) -> Void
    ) {
        let upcast: JSONValue
        do {
            upcast = try plan.upcast(JSONValue(root), type: type, from: version)
        } catch {
            deadLetter(record, error, pipeline: indexes[0])
            return
        }
        counters.metrics.upcast += 1
        record.isRewritten = true
        upcastWriter.reset()
        upcastWriter.value(upcast)
        let tape = upcastTape
        upcastWriter.withBytes { bytes in
            guard let document = try? JSONReader().parse(bytes, into: tape) else {
                deadLetter(record, RecordFailure(.upcastFailed, "upcast produced invalid JSON"), pipeline: indexes[0])
                return
            }
            accept(document.root, record, pipelines: indexes, deliver)
        }
    }

    /// Event time and plant filter; then the event goes on.
    private func accept(
        _ root: JSONNode, _ record: RecordContext, pipelines indexes: UnsafeBufferPointer<Int>,
        _ deliver: (UnsafeBufferPointer<Int>) -> Void
    ) {
        record.event = root
        defer { record.event = nil }
        var eventTime: Int64?
        if let name = plan.eventTimeHeader {
            eventTime = record.input?.header(named: name).flatMap { RFC3339.parse($0) ?? EnvelopeDecoder.integer($0) }
        } else if case .node(let node) = ExpressionCompiler.resolveEvent(
            record, UnsafeBufferPointer(plan.eventTimeSteps))
        {
            // RFC 3339 text, or (foreign records) epoch milliseconds.
            eventTime = node.kind == .number ? node.int64 : node.withUnescapedBytes { RFC3339.parse($0) } ?? nil
        }
        guard let eventTime else {
            record.event = nil
            deadLetter(
                record,
                RecordFailure(
                    .invalidEventTime, path: plan.source.eventTime.pointer,
                    "\(plan.source.eventTime) is missing or not an RFC 3339 timestamp"
                        + (isForeign ? " or epoch milliseconds" : "")),
                pipeline: indexes[0])
            return
        }
        if plan.filtersPlants {
            let takes: Bool
            if isForeign {
                takes = record.identity.plantValue(of: record).withString { plan.takesPlant($0) } ?? false
            } else {
                takes = root.member("plantId")?.withUnescapedBytes { plan.takesPlant($0) } ?? false
            }
            guard takes else {
                counters.metrics.skippedPlants += 1
                return
            }
        }
        counters.metrics.valid += 1
        record.eventTime = eventTime
        deliver(indexes)
    }

    private func deadLetter(_ record: RecordContext, _ failure: RecordFailure, pipeline index: Int?) {
        let context = contexts[index ?? 0]
        record.pipeline = context.pipeline
        context.deadLetter(record, failure)
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

/// A `sparkplug_b` source: the decoder's metric records are validated and delivered like foreign records.
extension SourceValidator: SparkplugOutput {
    func sparkplugMetric(_ root: JSONNode) {
        guard let record = sparkplugRecord, let deliver = sparkplugDeliver else { return }
        record.resetDownstream()
        // Written by the decoder: an emit routes this JSON, never the payload the record carried.
        record.isRewritten = true
        validateForeign(root, record, deliver)
    }

    func sparkplugDeadLetter(_ failure: RecordFailure) {
        guard let record = sparkplugRecord else { return }
        deadLetter(record, failure, pipeline: nil)
    }

    func sparkplugProcess(stored: StoredOrigin, _ body: () -> Void) {
        guard let record = sparkplugRecord else { return }
        let input = record.input
        let offset = record.offset
        record.input = nil
        record.storedOrigin = stored
        record.offset = stored.offset
        body()
        record.input = input
        record.storedOrigin = nil
        record.offset = offset
    }

    func sparkplugException(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, timestamp: Int64) {
        guard let record = sparkplugRecord, let destination = plan.sparkplug?.exceptions else { return }
        contexts[0].write(
            destination, key: key, value: value, headers: UnsafeBufferPointer(start: nil, count: 0),
            timestamp: timestamp, origin: record)
    }
}
