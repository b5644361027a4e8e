import Schemas

extension StepSpec {
    static let normalize = StepSpec(
        name: "normalize",
        summary: "Turn a foreign record into a catalogue event, validated against the catalogue schema.",
        details: """
            For sources of foreign records (envelope none or sparkplug_b), after validate (and any filter, dedupe, \
            changes or enrich, whose names the fields may read). `fields` maps the event's \
            dotted paths (data.goodCount, equipment.lineId) to expressions over the record's own fields; units, \
            enums and codes map through tables with convert() and lookup(). The envelope is written unless \
            fields set it: specVersion mfg/1.0, eventId = eventId(), type and schemaVersion of `to`, source = \
            sourceSystem(), occurredAt = the event time, ingestedAt = the Kafka timestamp, plantId = the \
            source's plant. Numbers are written as the schema types them (the catalogue's decimals as text). \
            The event must validate against `to`, else the record is a dead letter (SCHEMA_VIOLATION naming \
            both schemas). Later steps see the canonical event. To feed the catalogue's pipelines, emit it to \
            the topic of the source that reads such events: without key, the emit keys it by that source's \
            partitioning key, so all events of one key meet in one partition.
            """,
        object: ObjectSpec(
            name: "normalize",
            options: [
                OptionSpec("to", .schema, required: true, "The catalogue event schema id, <type>/v<N>."),
                OptionSpec("fields", .fields, required: true, "event.field.path: expression over the record."),
            ]),
        example: """
            - normalize:
                to: machine.cycle/v2
                fields:
                  equipment.lineId: line
                  equipment.workCellId: work_center
                  equipment.equipmentId: machine
                  data.cycleId: "concat(machine, '-', event_id)"
                  data.totalCount: good_qty + scrap_qty
                  data.goodCount: good_qty
                  data.cycleTimeMs: cycle_ms
            """,
        build: { options, _ in
            guard let to = options.string("to"), let fields = options.named("fields") else { return nil }
            return .normalize(NormalizeStep(to: to, fields: fields))
        },
        analyze: { step, options, analysis in
            guard case .normalize(let normalize) = step.kind else { return }
            if analysis.source?.isForeign == false, let source = analysis.source {
                analysis.report(
                    .invalidOption, at: step.location,
                    "normalize turns foreign records into catalogue events; source '\(source.name)' already reads "
                        + "catalogue events (envelope \(source.envelope.rawValue))")
            }
            for field in normalize.fields { analysis.check(field.expression) }
            analysis.normalize(to: normalize, at: options.location(of: "to"))
        })
}
