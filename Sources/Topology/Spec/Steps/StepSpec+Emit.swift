extension StepSpec {
    static let emit = StepSpec(
        name: "emit",
        summary: "Add the header, validate against the schema and write the record to an output.",
        details: """
            header: erp (default) and analytics add the header members the schema declares. The ERP common \
            header: schemaVersion (N of the schema id), txnId (UUIDv5 \
            of the idempotency key), txnType (the schema type without "erp."), idempotencyKey (the given parts \
            joined with |, then window start (UTC), size and revision for window results, or source and event \
            id for 1:1 records), targetSystem, postingDate (plant-local date of the event time; of window.end − \
            1 ms for windows), documentDate, createdAt (the event-time instant, never the wall clock, so replays \
            are byte-identical), window, sources, correlationId and lineage; the record must have a plantId. \
            The analytics header: schemaVersion, recordId (UUIDv5 of the idempotency key), idempotencyKey, \
            businessDate, createdAt, window, sources, correlationId and lineage. header: none writes the record \
            as mapped (table rows). The result must validate against `schema`, else it is a dead letter with \
            the reason; rows for an output of kind table may omit `schema`. periodCheck parks the record \
            (exception PERIOD_CLOSED) when its posting date is not in an open period of the plant calendar. \
            emit passes the record on, so a pipeline can emit more than once (a transaction, then a table row). \
            A record routed unchanged (header none, no map or window before, not upcast) is written exactly as \
            received: its value bytes, its headers and, without key, its key — unless a hold, an enrich with \
            onMissing: exception or periodCheck could park it (parked records keep value and key only).
            """,
        object: ObjectSpec(
            name: "emit",
            options: [
                OptionSpec("output", .output([.records, .table]), required: true, "Output of kind records or table."),
                OptionSpec(
                    "schema", .schema, default: "(required unless the output is a table)",
                    "Schema id the record must validate against."),
                OptionSpec(
                    "key", .expressions, default: "the record's own key",
                    "Kafka key parts, joined with |; required unless the record is routed unchanged (header none, "
                        + "no map or window before)."),
                OptionSpec(
                    "idempotencyKey", .prefixedKey,
                    "Prefix word and parts of the idempotency key; required unless header is none."),
                OptionSpec(
                    "header", .choice(EmitStep.RecordHeader.allCases.map(\.rawValue)), default: "erp",
                    "Header the engine adds: erp, analytics, or none (table rows)."),
                OptionSpec(
                    "periodCheck", .boolean, default: "false",
                    "Park the record when its posting date's period is not open (needs header erp, plantCalendar and "
                        + "exceptions)."),
            ]),
        example: """
            - emit:
                output: erp
                schema: erp.production_confirmation/v1
                key: [plantId, orderId]
                idempotencyKey: [CONF, plantId, orderId, sequenceId, operationId]
                periodCheck: true
            """,
        build: { options, context in
            guard let output = options.string("output") else { return nil }
            let key = options.expressions("key") ?? []
            let header = options.string("header").flatMap(EmitStep.RecordHeader.init(rawValue:)) ?? .erp
            let periodCheck = options.boolean("periodCheck") ?? false
            let idempotencyKey = options.expressions("idempotencyKey")
            if header != .none && idempotencyKey == nil {
                context.report(
                    .missingField, at: options.location,
                    "emit with header \(header.rawValue) needs idempotencyKey: [PREFIX, part, ...] (e.g. [GR]) so a "
                        + "replay never creates a second document; or set header: none")
                return nil
            }
            if periodCheck && header != .erp {
                context.report(
                    .invalidOption, at: options.location(of: "periodCheck"),
                    "periodCheck needs the ERP header's posting date; remove it or set header: erp")
                return nil
            }
            return .emit(
                EmitStep(
                    output: output, schema: options.string("schema") ?? "", key: key,
                    idempotencyKey: idempotencyKey ?? [], periodCheck: periodCheck, header: header))
        },
        analyze: { step, options, analysis in
            guard case .emit(let emit) = step.kind else { return }
            // An output that writes a topic a source reads feeds that source: only normalized events may.
            let fed = analysis.topology.output(named: emit.output).flatMap { output in
                analysis.topology.sources.first { $0.topic == output.topic }
            }
            if let fed {
                if fed.name == analysis.source?.name {
                    analysis.report(
                        .invalidOption, at: options.location(of: "output"),
                        "output '\(emit.output)' writes topic '\(fed.topic)', which this pipeline's own source reads; "
                            + "records would loop")
                } else if analysis.normalizedTo == nil {
                    analysis.report(
                        .invalidOption, at: options.location(of: "output"),
                        "output '\(emit.output)' writes topic '\(fed.topic)', which source '\(fed.name)' reads; only "
                            + "events made by normalize may feed a source (add normalize: { to: <type>/v<N> })")
                }
            }
            if emit.key.isEmpty && fed == nil && (emit.header != .none || analysis.recordReplaced) {
                analysis.report(
                    .missingField, at: step.location,
                    "emit needs key: [part, ...]; only a record routed unchanged (header none, no map or window "
                        + "before) keeps the key it was received with")
            }
            analysis.check(emit.key)
            analysis.check(emit.idempotencyKey)
            if emit.header != .none && !analysis.has("plantId") {
                analysis.report(
                    .missingField, at: step.location,
                    "emit with header \(emit.header.rawValue) needs a plantId field in the record (map plantId: "
                        + "plantId)")
            }
            if emit.periodCheck {
                analysis.requireCalendar(at: options.location(of: "periodCheck"), for: "periodCheck")
                analysis.requireExceptions(step: "emit with periodCheck", at: options.location(of: "periodCheck"))
            }
            if !emit.schema.isEmpty {
                analysis.checkOutput(schema: emit.schema, header: emit.header, at: options.location(of: "schema"))
            }
            guard let output = analysis.topology.output(named: emit.output) else { return }
            guard output.kind == .table else {
                if emit.schema.isEmpty {
                    analysis.report(
                        .missingField, at: step.location,
                        "emit to output '\(output.name)' (kind \(output.kind.rawValue)) needs schema: <type>/v<N>")
                }
                return
            }
            if emit.header != .none {
                analysis.report(
                    .invalidOption, at: options.location(of: "output"),
                    "output '\(output.name)' is a table; a table row carries no header: set header: none")
            }
            if let table = analysis.topology.tables.first(where: { $0.origin == .topic(output.topic) }),
                table.key.count != emit.key.count
            {
                analysis.report(
                    .invalidOption, at: options.location(of: "key"),
                    "key has \(emit.key.count) parts, but table '\(table.name)' read from '\(output.topic)' is keyed "
                        + "by \(table.key.count) (\(table.key.joined(separator: ", ")))")
            }
        })
}
