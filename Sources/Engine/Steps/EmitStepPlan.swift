import Crypto
import JSON
import Schemas
import Timekeeping

/// `emit:` — builds the output record (ERP header + map output), validates it against its schema
/// and writes it; held or parked postings become exceptions instead (see ``HoldNode``).
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

    init(
        output: Destination, schemaID: String, validator: CompiledSchema?, skipValidation: Bool, header: [HeaderField],
        schemaVersion: [UInt8]?, txnType: [UInt8]?, keyParts: KeyPlan, idempotencyParts: KeyPlan,
        plant: Evaluator?, periodCheck: Bool, windowed: Bool, layout: OutputLayout?, calendar: PlantCalendar,
        targetSystem: String, sourceTopic: String
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
        needsIdempotencyKey = header.contains(.idempotencyKey) || header.contains(.txnId) || header.contains(.recordId)
        needsDates =
            header.contains(.postingDate) || header.contains(.documentDate) || header.contains(.businessDate)
            || periodCheck
        needsPlant = needsDates || header.contains(.plantId)
        passesThrough = skipValidation && header.isEmpty && !needsPlant && !needsIdempotencyKey
    }

    func makeNode(for task: PartitionTask) -> StepNode { EmitNode(plan: self, task: task) }

    /// Computed once: what the header needs per record.
    let needsIdempotencyKey: Bool
    let needsDates: Bool
    /// `true` when the header or the period check needs the plant id.
    let needsPlant: Bool
    /// `true` when an event that reaches this step unchanged (no map, window, hold or park reason) is written
    /// as it was received: a record validated against this very schema, routed without a header.
    let passesThrough: Bool
}

final class EmitNode: StepNode {
    var next: StepNode?
    private let plan: EmitStepPlan
    // unowned(unsafe): the task owns this node (through its pipelines) and is the only caller of its methods,
    // so it outlives every call; an `unowned` reference would be checked and retained on every access.
    private unowned(unsafe) let task: PartitionTask
    /// Reused buffers, behind a pointer: the accessors are computed, so the many appends per record need
    /// no dynamic exclusivity checks (the node is confined to its task's thread).
    private struct Buffers {
        var idempotencyKey: [UInt8] = []
        var txnId: [UInt8] = []
        var keyBuffer: [UInt8] = []
        var writer = JSONWriter(capacity: 4096)
        var text: [UInt8] = []
    }

    private let buffers: UnsafeMutablePointer<Buffers> = {
        let pointer = UnsafeMutablePointer<Buffers>.allocate(capacity: 1)
        pointer.initialize(to: Buffers())
        return pointer
    }()
    private var idempotencyKey: [UInt8] {
        _read { yield buffers.pointee.idempotencyKey }
        _modify { yield &buffers.pointee.idempotencyKey }
    }
    private var txnId: [UInt8] {
        _read { yield buffers.pointee.txnId }
        _modify { yield &buffers.pointee.txnId }
    }
    private var keyBuffer: [UInt8] {
        _read { yield buffers.pointee.keyBuffer }
        _modify { yield &buffers.pointee.keyBuffer }
    }
    private var writer: JSONWriter {
        _read { yield buffers.pointee.writer }
        _modify { yield &buffers.pointee.writer }
    }
    private var text: [UInt8] {
        _read { yield buffers.pointee.text }
        _modify { yield &buffers.pointee.text }
    }

    deinit {
        buffers.deinitialize(count: 1)
        buffers.deallocate()
    }

    init(plan: EmitStepPlan, task: PartitionTask) {
        self.plan = plan
        self.task = task
        passesThrough = plan.passesThrough
        hasKey = !plan.keyParts.isEmpty
        keyParts = plan.keyParts.view
        taskRef = Unmanaged.passUnretained(task)
    }

    /// Copies of what the plan holds (plain stored values: no reference counting to read them per record).
    private let passesThrough: Bool
    private let hasKey: Bool
    private let keyParts: KeyPlan.View
    /// The task, for calls on the per-record path without a retain (see `task`).
    private let taskRef: Unmanaged<PartitionTask>

    func push(_ context: RecordContext) {
        if passesThrough, context.window == nil, !context.mapped, context.hold == nil, context.parkReason == nil,
            let event = context.event
        {
            if let failure = passThrough(context, event) { task.deadLetter(context, failure) }
        } else if let failure = emit(context) {
            task.deadLetter(context, failure)
        }
        next?.push(context)
    }

    /// Writes the event's bytes as they were received, under the key (what `emit` does for such a record,
    /// without computing anything the output does not contain).
    @inline(__always)
    private func passThrough(_ context: RecordContext, _ event: JSONNode) -> RecordFailure? {
        let buffers = self.buffers
        buffers.pointee.keyBuffer.removeAll(keepingCapacity: true)
        do {
            try keyParts.append(context, separator: 0x7C, to: &buffers.pointee.keyBuffer)
        } catch {
            return error
        }
        taskRef._withUnsafeGuaranteedRef { task in
            task.counters.pointee.outputs += 1
            buffers.pointee.keyBuffer.withUnsafeBytes { key in
                task.send(plan.output, key: hasKey ? key : nil, value: event.rawBytes, timestamp: context.eventTime)
            }
        }
        return nil
    }

    private func emit(_ context: RecordContext) -> RecordFailure? {
        let window = context.window
        let createdAt = window?.createdAt ?? context.eventTime
        // Keys.
        keyBuffer.removeAll(keepingCapacity: true)
        do {
            try keyParts.append(context, separator: 0x7C, to: &keyBuffer)
            if plan.needsIdempotencyKey { try buildIdempotencyKey(context) }
        } catch {
            return error
        }
        // Plant-local dates.
        var postingDay: Int64 = 0
        var documentDay: Int64 = 0
        var plantValue: Value = .null
        if plan.needsPlant, let plant = plan.plant {
            do { plantValue = try plant(context) } catch { return error }
        }
        if plan.needsDates {
            guard let zone = plan.calendar.zone(for: plantValue) else {
                return RecordFailure(
                    "UNKNOWN_PLANT", path: "/plantId",
                    "plant \(plantValue.string ?? "null") is not in the plant calendar")
            }
            let postingInstant = window.map { $0.bounds.end - 1 } ?? context.eventTime
            postingDay = zone.localDay(at: postingInstant)
            documentDay = zone.localDay(at: createdAt)
        }
        if plan.skipValidation, plan.header.isEmpty, !context.mapped, window == nil, context.hold == nil,
            context.parkReason == nil, let event = context.event
        {
            // Passthrough of a record validated against this schema: its bytes as they are.
            keyBuffer.withUnsafeBytes { key in
                task.counters.pointee.outputs += 1
                task.send(
                    plan.output, key: plan.keyParts.isEmpty ? nil : key, value: event.rawBytes, timestamp: createdAt)
            }
            return nil
        }
        // The record.
        // The node owns its writer: a copy would make `reset()` reallocate (copy on write).
        var writer = JSONWriter(capacity: 0)
        swap(&writer, &self.writer)
        defer { swap(&writer, &self.writer) }
        writer.reset()
        if plan.header.isEmpty && !context.mapped, window == nil, let event = context.event {
            writer.raw(event.rawBytes)
        } else {
            writer.beginObject()
            writeHeader(
                &writer, context, plantValue: plantValue, postingDay: postingDay, documentDay: documentDay,
                createdAt: createdAt)
            writeBody(&writer, context)
            writer.endObject()
        }
        // Validate and route.
        var failure: RecordFailure?
        if plan.skipValidation && context.hold == nil && context.parkReason == nil && !plan.periodCheck {
            // A record passed on as validated needs no second parse.
            writer.withBytes { value in
                keyBuffer.withUnsafeBytes { key in
                    task.counters.pointee.outputs += 1
                    task.send(plan.output, key: plan.keyParts.isEmpty ? nil : key, value: value, timestamp: createdAt)
                }
            }
            return nil
        }
        let tape = task.outputTape
        writer.withBytes { value in
            let document: JSONDocument
            do throws(JSONError) { document = try JSONReader().parse(value, into: tape) } catch {
                failure = RecordFailure("OUTPUT_INVALID", "output is not valid JSON: \(error.message)")
                return
            }
            if let validator = plan.validator, !plan.skipValidation, !validator.isValid(document.root) {
                let violation = validator.validate(document.root, maxErrors: 1).first
                failure = RecordFailure(
                    "OUTPUT_INVALID", path: violation?.instancePointer ?? "",
                    "\(plan.schemaID): \(violation?.message ?? "does not conform") (keyword \(violation?.keywordLocation ?? ""))"
                )
                return
            }
            route(
                context, value: value, document: document.root, postingDay: postingDay, plantValue: plantValue,
                createdAt: createdAt)
        }
        return failure
    }

    private func route(
        _ context: RecordContext, value: UnsafeRawBufferPointer, document: JSONNode, postingDay: Int64,
        plantValue: Value, createdAt: Int64
    ) {
        let pipeline = context.pipeline!
        keyBuffer.withUnsafeBytes { key in
            let kafkaKey: UnsafeRawBufferPointer? = plan.keyParts.isEmpty ? nil : key
            if let hold = context.hold {
                hold.node.park(
                    hold, pipeline: pipeline, destination: plan.output, key: kafkaKey, value: value, txn: document,
                    timestamp: createdAt)
                return
            }
            if let reason = context.parkReason {
                task.writeException(
                    pipeline: pipeline, kind: "PARKED", reason: reason.code, message: reason.message, holdId: nil,
                    txn: document, embedTxn: true, kafkaKey: kafkaKey, timestamp: createdAt)
                return
            }
            if plan.periodCheck, !periodOpen(plantValue, day: postingDay) {
                task.writeException(
                    pipeline: pipeline, kind: "PARKED", reason: "PERIOD_CLOSED",
                    message: "posting period of \(RFC3339.dateString(days: postingDay)) is not open", holdId: nil,
                    txn: document, embedTxn: true, kafkaKey: kafkaKey, timestamp: createdAt)
                return
            }
            task.counters.pointee.outputs += 1
            task.send(plan.output, key: kafkaKey, value: value, timestamp: createdAt)
        }
    }

    private func periodOpen(_ plantValue: Value, day: Int64) -> Bool {
        guard !plan.calendar.isAbsent else { return true }
        guard let plant = plantValue.withString({ plan.calendar.plant($0) }) ?? nil else { return false }
        guard let periods = plant.openPeriods else { return true }
        return periods.contains { day >= $0.from && day <= $0.to }
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
        } else if let event = context.event {
            if !idempotencyKey.isEmpty { idempotencyKey.append(0x7C) }
            event.member("source")?.appendUnescapedBytes(to: &idempotencyKey)
            idempotencyKey.append(0x7C)
            if let sourceEventId = event.member("sourceEventId"), sourceEventId.kind == .string {
                sourceEventId.appendUnescapedBytes(to: &idempotencyKey)
            } else {
                event.member("eventId")?.appendUnescapedBytes(to: &idempotencyKey)
            }
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
                } else if let event = context.event,
                    let id = event.member("correlationId") ?? event.member("eventId")
                {
                    writer.key("correlationId")
                    writer.value(id)
                }
            case .lineage:
                writer.key("lineage")
                writer.beginObject()
                writer.key("topic")
                writeString(&writer, plan.sourceTopic)
                writer.key("partition")
                writer.int(Int64(task.partition))
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
            context.event?.member("eventId")?.appendUnescapedBytes(to: &text)
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
            for field in layout.fields { writeField(&writer, field, context.mapValues) }
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

    private func writeField(_ writer: inout JSONWriter, _ field: OutputLayout.Field, _ values: [Value]) {
        switch field.kind {
        case .leaf(let index):
            let value = values[index]
            if value.isNull { return }
            if let name = field.name { name.withUnsafeBytes { writer.key(utf8: $0) } }
            value.write(to: &writer, numbersAsStrings: field.numbersAsStrings, stringsAsNumbers: field.stringsAsNumbers)
        case .object:
            guard OutputLayout.hasValue(field, values) else { return }
            if let name = field.name { name.withUnsafeBytes { writer.key(utf8: $0) } }
            writer.beginObject()
            for child in field.children { writeField(&writer, child, values) }
            writer.endObject()
        case .array:
            if let name = field.name { name.withUnsafeBytes { writer.key(utf8: $0) } }
            writer.beginArray()
            for child in field.children where OutputLayout.hasValue(child, values) {
                writeField(&writer, child, values)
            }
            writer.endArray()
        }
    }
}
