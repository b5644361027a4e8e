import JSON
import Schemas
import Timekeeping

/// `normalize:` — turns a validated foreign record into a catalogue event: the envelope and the fields written
/// by their expressions, typed by the catalogue schema, validated against it. The steps after it see the event.
final class NormalizeStepPlan: StepPlan {
    /// `<type>/v<N>` of the event, and of the foreign record (for messages).
    let schemaID: String
    let layout: OutputLayout
    let fields: [Evaluator]
    let validator: CompiledSchema

    init(schemaID: String, layout: OutputLayout, fields: [Evaluator], validator: CompiledSchema) {
        self.schemaID = schemaID
        self.layout = layout
        self.fields = fields
        self.validator = validator
    }

    func makeNode(in context: StepContext) -> StepNode { NormalizeNode(plan: self, context: context) }

    /// The evaluators of the envelope members a normalize writes unless its fields do.
    static func envelopeDefault(_ name: String, type: String, version: Int) -> Evaluator? {
        switch name {
        case "specVersion": return { _ in .text(Array("mfg/1.0".utf8)) }
        case "type": return { _ in .text(Array(type.utf8)) }
        case "schemaVersion": return { _ in .decimal(ExactDecimal(Int64(version))) }
        case "eventId": return { context in context.identity.eventIdValue(of: context) }
        case "source": return { context in context.identity.sourceSystemValue(of: context) }
        case "plantId": return { context in context.identity.plantValue(of: context) }
        case "occurredAt": return { context in timestamp(context.eventTime) }
        case "ingestedAt":
            // A record kept as state (Sparkplug DATA that waited for its BIRTH) has its origin's timestamp.
            return { context in
                (context.input?.timestamp ?? context.storedOrigin?.timestamp).map(timestamp) ?? .null
            }
        default: return nil
        }
    }

    private static func timestamp(_ milliseconds: Int64) -> Value {
        var text: [UInt8] = []
        RFC3339.appendTimestamp(milliseconds, to: &text)
        return .text(text)
    }
}

final class NormalizeNode: StepNode {
    var next: StepNode?
    private let plan: NormalizeStepPlan
    private let context: StepContext
    @exclusivity(unchecked) private var values: [Value]
    @exclusivity(unchecked) private var writer = JSONWriter(capacity: 1024)
    private let tape = JSONTape(capacity: 256)

    init(plan: NormalizeStepPlan, context: StepContext) {
        self.plan = plan
        self.context = context
        values = Array(repeating: .null, count: plan.fields.count)
    }

    func push(_ record: RecordContext) {
        do {
            for (index, field) in plan.fields.enumerated() { values[index] = try field(record) }
        } catch {
            context.deadLetter(record, error)
            return
        }
        var writer = JSONWriter(capacity: 0)
        swap(&writer, &self.writer)
        defer { swap(&writer, &self.writer) }
        writer.reset()
        writer.beginObject()
        plan.layout.write(values, to: &writer)
        writer.endObject()
        writer.withBytes { bytes in
            let event: JSONNode
            do throws(JSONError) {
                event = try JSONReader().parse(bytes, into: tape).root
            } catch {
                context.deadLetter(record, RecordFailure(.schemaViolation, "normalized event: \(error.message)"))
                return
            }
            guard plan.validator.isValid(event) else {
                let violation = plan.validator.validate(event, maxErrors: 1).first
                let from = String(decoding: record.schemaId, as: UTF8.self)
                context.deadLetter(
                    record,
                    RecordFailure(
                        .schemaViolation, path: violation?.instancePointer ?? "",
                        "normalized from \(from) to \(plan.schemaID): \(violation?.explanation ?? "does not conform")"
                    ))
                return
            }
            let received = record.event
            let wasRewritten = record.isRewritten
            record.event = event
            record.isRewritten = true
            next?.push(record)
            record.event = received
            record.isRewritten = wasRewritten
        }
    }
}
