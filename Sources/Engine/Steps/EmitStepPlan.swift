import Crypto
import JSON
import Schemas
import Timekeeping

/// `emit:` — builds the output record (ERP header + map output), validates it against its schema and hands
/// it, as a ``Posting``, to its stages: the gates that may park it (``HoldGate`` when a `hold:` step precedes,
/// ``EnrichMissGate`` when an `enrich` parks on missing rows, ``PeriodGate`` with `periodCheck`), then the
/// ``OutputSink`` that writes it. The record itself goes on to the steps after `emit`.
final class EmitStepPlan: StepPlan {
    /// Header members `emit` can generate; written when the output schema declares them.
    enum HeaderField: String, CaseIterable {
        case schemaVersion, txnId, recordId, txnType, idempotencyKey, targetSystem, plantId, postingDate
        case businessDate, documentDate, createdAt, window, sources, correlationId, lineage
    }

    let output: Destination
    let schemaID: String
    let validator: CompiledSchema?
    let skipValidation: Bool
    let header: [HeaderField]
    let schemaVersion: [UInt8]?
    let txnType: [UInt8]?
    let keyParts: KeyPlan
    let idempotencyParts: KeyPlan
    let plant: Evaluator?
    let periodCheck: Bool
    let windowed: Bool
    let layout: OutputLayout?
    let calendar: PlantCalendar
    let targetSystem: [UInt8]
    let sourceTopic: [UInt8]
    /// The `hold:` step before this emit, if any: its gate parks this emit's postings.
    let hold: HoldStepPlan?
    /// An `enrich` before this emit parks records that miss master data (`onMissing: exception`).
    let parksEnrichmentMisses: Bool
    /// The `txnType` the output schema fixes (counted per posting written).
    let transactionType: String?

    init(
        output: Destination, schemaID: String, validator: CompiledSchema?, skipValidation: Bool, header: [HeaderField],
        schemaVersion: [UInt8]?, txnType: [UInt8]?, keyParts: KeyPlan, idempotencyParts: KeyPlan,
        plant: Evaluator?, periodCheck: Bool, windowed: Bool, layout: OutputLayout?, calendar: PlantCalendar,
        targetSystem: String, sourceTopic: String, hold: HoldStepPlan?, parksEnrichmentMisses: Bool
    ) {
        self.output = output
        self.schemaID = schemaID
        self.validator = validator
        self.skipValidation = skipValidation
        self.header = header
        self.schemaVersion = schemaVersion
        self.txnType = txnType
        self.keyParts = keyParts
        self.idempotencyParts = idempotencyParts
        self.plant = plant
        self.periodCheck = periodCheck
        self.windowed = windowed
        self.layout = layout
        self.calendar = calendar
        self.targetSystem = Array(targetSystem.utf8)
        self.sourceTopic = Array(sourceTopic.utf8)
        self.hold = hold
        self.parksEnrichmentMisses = parksEnrichmentMisses
        transactionType = txnType.flatMap { bytes in
            // The schema's `const` as JSON: a string literal.
            (try? JSONValue(parsing: String(decoding: bytes, as: UTF8.self)))?.stringValue
        }
        needsIdempotencyKey = header.contains(.idempotencyKey) || header.contains(.txnId) || header.contains(.recordId)
        needsDates =
            header.contains(.postingDate) || header.contains(.documentDate) || header.contains(.businessDate)
            || periodCheck
        needsPlant = needsDates || header.contains(.plantId)
        passesThrough = skipValidation && header.isEmpty && !needsPlant && !needsIdempotencyKey
        routesOriginals = header.isEmpty && hold == nil && !parksEnrichmentMisses && !periodCheck
    }

    func makeNode(in context: StepContext) -> StepNode { EmitNode(plan: self, context: context) }

    /// Computed once: what the header needs per record.
    let needsIdempotencyKey: Bool
    let needsDates: Bool
    /// `true` when the header or the period check needs the plant id.
    let needsPlant: Bool
    /// `true` when an event that reaches this step unchanged (no map or window) is written as it was received:
    /// a record validated against this very schema, routed without a header.
    let passesThrough: Bool
    /// `true` when a record that reaches this step unchanged (not upcast, mapped or windowed) is written as it was
    /// received: its value bytes, its headers and (without `key`) its key. Not when a gate could park it: parked
    /// postings keep their value and key only.
    let routesOriginals: Bool
}

final class EmitNode: StepNode {
    var next: StepNode?
    private let plan: EmitStepPlan
    private let context: StepContext
    /// The first stage a posting goes to (a gate, or the sink), and the gates (their state and reactions).
    private let stages: PostingStage
    private let gates: [PostingStage]
    /// Reused buffers (confined to the task's thread: no dynamic exclusivity checks).
    @exclusivity(unchecked) private var idempotencyKey: [UInt8] = []
    @exclusivity(unchecked) private var txnId: [UInt8] = []
    @exclusivity(unchecked) private var keyBuffer: [UInt8] = []
    @exclusivity(unchecked) private var writer = JSONWriter(capacity: 4096)
    @exclusivity(unchecked) private var text: [UInt8] = []
    /// Copies of what the plan holds, read per record without touching the plan.
    private let hasKey: Bool
    private let keyParts: KeyPlan.View
    private let partition: Int32

    init(plan: EmitStepPlan, context: StepContext) {
        self.plan = plan
        self.context = context
        hasKey = !plan.keyParts.isEmpty
        keyParts = plan.keyParts.view
        partition = context.partition
        let sink = OutputSink(context: context, transactionType: plan.transactionType)
        var stage: PostingStage = sink
        var gates: [PostingStage] = []
        if plan.periodCheck {
            stage = PeriodGate(context: context, calendar: plan.calendar, next: stage)
            gates.append(stage)
        }
        if plan.parksEnrichmentMisses {
            stage = EnrichMissGate(context: context, next: stage)
            gates.append(stage)
        }
        if let hold = plan.hold {
            stage = HoldGate(plan: hold, context: context, next: stage, release: sink)
            gates.append(stage)
        }
        stages = stage
        self.gates = gates
    }

    var stores: [StateStore] { gates.flatMap(\.stores) }

    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer) {
        for gate in gates { gate.tableChanged(table, key: key) }
    }

    func stateRestored() {
        for gate in gates { gate.stateRestored() }
    }

    /// Parked postings held by this emit's hold gate.
    var parkedCount: Int { gates.reduce(0) { $0 + (($1 as? HoldGate)?.parkedCount ?? 0) } }

    func push(_ record: RecordContext) {
        if let failure = emit(record) { context.deadLetter(record, failure) }
        next?.push(record)
    }

    private func emit(_ record: RecordContext) -> RecordFailure? {
        let window = record.window
        let createdAt = window?.createdAt ?? record.eventTime
        // Keys.
        keyBuffer.removeAll(keepingCapacity: true)
        do {
            try keyParts.append(record, separator: 0x7C, to: &keyBuffer)
            if plan.needsIdempotencyKey { try buildIdempotencyKey(record) }
        } catch {
            return error
        }
        // Plant-local dates.
        var postingDay: Int64 = 0
        var documentDay: Int64 = 0
        var plantValue: Value = .null
        if plan.needsPlant, let plant = plan.plant {
            do { plantValue = try plant(record) } catch { return error }
        }
        if plan.needsDates {
            guard let zone = plan.calendar.zone(for: plantValue) else {
                return RecordFailure(
                    .unknownPlant, path: "/plantId",
                    "plant \(plantValue.string ?? "null") is not in the plant calendar")
            }
            let postingInstant = window.map { $0.bounds.end - 1 } ?? record.eventTime
            postingDay = zone.localDay(at: postingInstant)
            documentDay = zone.localDay(at: createdAt)
        }
        // A record routed unchanged: its value, headers and key as received.
        if plan.routesOriginals, !record.mapped, window == nil, !record.isRewritten, let event = record.event,
            let input = record.input, let original = input.value
        {
            return routeOriginal(record, event: event, input: input, value: original, timestamp: createdAt)
        }
        // An event that reaches the emit unchanged and was validated against this schema: its bytes as received.
        if plan.skipValidation, plan.header.isEmpty, !record.mapped, window == nil, let event = record.event {
            keyBuffer.withUnsafeBytes { key in
                stages.accept(
                    Posting(
                        destination: plan.output, key: hasKey ? key : nil, value: event.rawBytes, document: event,
                        timestamp: createdAt, plant: plantValue, postingDay: postingDay),
                    of: record)
            }
            return nil
        }
        // The record, written into the node's own writer (a copy would make `reset()` reallocate).
        var writer = JSONWriter(capacity: 0)
        swap(&writer, &self.writer)
        defer { swap(&writer, &self.writer) }
        writer.reset()
        if plan.header.isEmpty && !record.mapped, window == nil, let event = record.event {
            writer.raw(event.rawBytes)
        } else {
            writer.beginObject()
            writeHeader(
                &writer, record, plantValue: plantValue, postingDay: postingDay, documentDay: documentDay,
                createdAt: createdAt)
            writeBody(&writer, record)
            writer.endObject()
        }
        // Validate (unless the record is a validated event passed on) and hand on.
        var failure: RecordFailure?
        writer.withBytes { value in
            var document: JSONNode?
            if !plan.skipValidation {
                do throws(JSONError) {
                    document = try JSONReader().parse(value, into: context.outputTape).root
                } catch {
                    failure = RecordFailure(.outputInvalid, "output is not valid JSON: \(error.message)")
                    return
                }
                if let validator = plan.validator, let root = document, !validator.isValid(root) {
                    let violation = validator.validate(root, maxErrors: 1).first
                    failure = RecordFailure(
                        .outputInvalid, path: violation?.instancePointer ?? "",
                        "\(plan.schemaID): \(violation?.explanation ?? "does not conform")")
                    return
                }
            }
            keyBuffer.withUnsafeBytes { key in
                stages.accept(
                    Posting(
                        destination: plan.output, key: hasKey ? key : nil, value: value, document: document,
                        timestamp: createdAt, plant: plantValue, postingDay: postingDay),
                    of: record)
            }
        }
        return failure
    }

    /// Writes a record that reached the emit unchanged as it was received, after checking its event against the
    /// output's schema (unless it was validated against that very schema).
    private func routeOriginal(
        _ record: RecordContext, event: JSONNode, input: InputRecord, value: UnsafeRawBufferPointer, timestamp: Int64
    ) -> RecordFailure? {
        if !plan.skipValidation, let validator = plan.validator, !validator.isValid(event) {
            let violation = validator.validate(event, maxErrors: 1).first
            return RecordFailure(
                .outputInvalid, path: violation?.instancePointer ?? "",
                "\(plan.schemaID): \(violation?.explanation ?? "does not conform")")
        }
        keyBuffer.withUnsafeBytes { key in
            stages.accept(
                Posting(
                    destination: plan.output, key: hasKey ? key : input.key, value: value, headers: input.headers,
                    document: event, timestamp: timestamp, plant: .null, postingDay: 0),
                of: record)
        }
        return nil
    }

    private func buildIdempotencyKey(_ context: RecordContext) throws(RecordFailure) {
        idempotencyKey.removeAll(keepingCapacity: true)
        try plan.idempotencyParts.append(context, separator: 0x7C, to: &idempotencyKey)
        if let window = context.window {
            if !idempotencyKey.isEmpty { idempotencyKey.append(0x7C) }
            Self.appendCompactTimestamp(window.bounds.start, to: &idempotencyKey)
            idempotencyKey.append(0x7C)
            // Both are non-negative (a window ends after it starts; revisions count from 0).
            PartitionTask.appendDecimal(window.sizeSeconds, to: &idempotencyKey)
            idempotencyKey.append(0x7C)
            PartitionTask.appendDecimal(Int64(window.revision), to: &idempotencyKey)
        } else if context.event != nil {
            if !idempotencyKey.isEmpty { idempotencyKey.append(0x7C) }
            context.identity.appendSourceSystem(of: context, to: &idempotencyKey)
            idempotencyKey.append(0x7C)
            context.identity.appendSourceEventId(of: context, to: &idempotencyKey)
            if context.explodeIndex >= 0 {
                idempotencyKey.append(0x7C)
                idempotencyKey.append(contentsOf: String(context.explodeIndex).utf8)
            }
        }
        txnId.removeAll(keepingCapacity: true)
        idempotencyKey.withUnsafeBytes { UUIDv5.append(name: $0, to: &txnId) }
    }

    /// `2026-03-29T01:15:00Z` (milliseconds only when not zero), as in domain.md's key formats.
    static func appendCompactTimestamp(_ milliseconds: Int64, to buffer: inout [UInt8]) {
        RFC3339.appendTimestamp(milliseconds, to: &buffer)
        if milliseconds % 1000 == 0 {
            buffer.removeLast(5)
            buffer.append(0x5A)
        }
    }

    private func writeString(_ writer: inout JSONWriter, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writer.string(utf8: $0) }
    }

    private func writeTimestamp(_ writer: inout JSONWriter, _ milliseconds: Int64) {
        text.removeAll(keepingCapacity: true)
        RFC3339.appendTimestamp(milliseconds, to: &text)
        writeString(&writer, text)
    }

    private func writeDate(_ writer: inout JSONWriter, _ day: Int64) {
        text.removeAll(keepingCapacity: true)
        RFC3339.appendDate(days: day, to: &text)
        writeString(&writer, text)
    }

    private func writeHeader(
        _ writer: inout JSONWriter, _ context: RecordContext, plantValue: Value, postingDay: Int64, documentDay: Int64,
        createdAt: Int64
    ) {
        let window = context.window
        for field in plan.header {
            switch field {
            case .schemaVersion:
                guard let value = plan.schemaVersion else { continue }
                writer.key("schemaVersion")
                value.withUnsafeBytes { writer.raw($0) }
            case .txnId, .recordId:
                writer.key(field == .txnId ? "txnId" : "recordId")
                writeString(&writer, txnId)
            case .txnType:
                guard let value = plan.txnType else { continue }
                writer.key("txnType")
                value.withUnsafeBytes { writer.raw($0) }
            case .idempotencyKey:
                writer.key("idempotencyKey")
                writeString(&writer, idempotencyKey)
            case .targetSystem:
                writer.key("targetSystem")
                writeString(&writer, plan.targetSystem)
            case .plantId:
                guard !plantValue.isNull else { continue }
                writer.key("plantId")
                plantValue.write(to: &writer)
            case .postingDate, .businessDate:
                writer.key(field == .postingDate ? "postingDate" : "businessDate")
                writeDate(&writer, postingDay)
            case .documentDate:
                writer.key("documentDate")
                writeDate(&writer, documentDay)
            case .createdAt:
                writer.key("createdAt")
                writeTimestamp(&writer, createdAt)
            case .window:
                guard let window else { continue }
                writer.key("window")
                writer.beginObject()
                writer.key("start")
                writeTimestamp(&writer, window.bounds.start)
                writer.key("end")
                writeTimestamp(&writer, window.bounds.end)
                writer.key("sizeSec")
                writer.int(window.sizeSeconds)
                writer.key("revision")
                writer.int(Int64(window.revision))
                writer.endObject()
            case .sources:
                writer.key("sources")
                writeSources(&writer, context)
            case .correlationId:
                if let window {
                    guard !window.correlationId.isEmpty else { continue }
                    writer.key("correlationId")
                    writeString(&writer, window.correlationId)
                } else if let event = context.event {
                    if context.identity.isCanonical {
                        guard let id = event.member("correlationId") ?? event.member("eventId") else { continue }
                        writer.key("correlationId")
                        writer.value(id)
                    } else {
                        text.removeAll(keepingCapacity: true)
                        context.identity.appendCorrelationId(of: context, to: &text)
                        writer.key("correlationId")
                        writeString(&writer, text)
                    }
                }
            case .lineage:
                writer.key("lineage")
                writer.beginObject()
                writer.key("topic")
                writeString(&writer, plan.sourceTopic)
                writer.key("partition")
                writer.int(Int64(partition))
                writer.key("fromOffset")
                writer.int(window?.fromOffset ?? context.offset)
                writer.key("toOffset")
                writer.int(window?.toOffset ?? context.offset)
                writer.endObject()
            }
        }
    }

    private func writeSources(_ writer: inout JSONWriter, _ context: RecordContext) {
        writer.beginObject()
        if let window = context.window {
            writer.key("count")
            writer.int(window.sources.count)
            writer.key("eventIds")
            writer.beginArray()
            window.sources.forEachId { writer.string(utf8: $0) }
            writer.endArray()
            writer.key("digest")
            text.removeAll(keepingCapacity: true)
            window.sources.appendDigestHex(to: &text)
            writeString(&writer, text)
        } else {
            writer.key("count")
            writer.int(1)
            writer.key("eventIds")
            writer.beginArray()
            text.removeAll(keepingCapacity: true)
            if context.event != nil { context.identity.appendEventId(of: context, to: &text) }
            writeString(&writer, text)
            writer.endArray()
            writer.key("digest")
            var single = SourceSet()
            text.withUnsafeBytes { single.add($0) }
            text.removeAll(keepingCapacity: true)
            single.appendDigestHex(to: &text)
            writeString(&writer, text)
        }
        writer.endObject()
    }

    private func writeBody(_ writer: inout JSONWriter, _ context: RecordContext) {
        if context.mapped, let layout = plan.layout {
            layout.write(context.mapValues, to: &writer)
            return
        }
        let written = Set(plan.header.map(\.rawValue))
        if let window = context.window {
            var body = JSONWriter()
            window.write(to: &body)
            writeMembers(&writer, body.bytes, skipping: written)
        } else if let event = context.event {
            for (key, value) in event.members where !written.contains(key.string ?? "") {
                writer.key(utf8: key.rawStringBytes!)
                writer.value(value)
            }
        }
    }

    private func writeMembers(_ writer: inout JSONWriter, _ bytes: [UInt8], skipping: Set<String>) {
        guard let document = try? OwnedDocument.parse(bytes) else { return }
        for (key, value) in document.root.members where !skipping.contains(key.string ?? "") {
            writer.key(utf8: key.rawStringBytes!)
            writer.value(value)
        }
    }
}
