extension StepSpec {
    static let enrich = StepSpec(
        name: "enrich",
        summary: "Join a global table by key; the row is reachable by its alias.",
        details: """
            Tables are fully loaded on every instance (reference files or compacted topics). Key parts are \
            compared as text with the table's key columns, in order. Effective-dated tables (validFrom) pick the \
            row valid at the record's event time (for a window result: window.end − 1 ms). A missing key: \
            dead_letter writes a dead letter (ENRICHMENT_MISSING); exception continues without the row and the \
            posting is written as a PARKED exception (ENRICHMENT_MISS; the pipeline needs exceptions:); skip \
            continues without the row (the alias is null — an optional join).
            """,
        object: ObjectSpec(
            name: "enrich",
            options: [
                OptionSpec("table", .table, required: true, "The table."),
                OptionSpec("key", .expressions, required: true, "Key parts, one per key column of the table."),
                OptionSpec("as", .name, required: true, "Name of the row in later steps."),
                OptionSpec(
                    "onMissing", .choice(EnrichStep.MissingPolicy.allCases.map(\.rawValue)), default: "dead_letter",
                    "What a key without a row does."),
            ]),
        example: """
            - enrich: { table: equipment_master, key: [plantId, equipment.equipmentId], as: eq, onMissing: exception }
            """,
        build: { options, context in
            guard let table = options.string("table"), let key = options.expressions("key"),
                let alias = options.string("as")
            else { return nil }
            guard ExpressionLexer.isIdentifier(alias), !ExpressionToken.keywords.contains(alias) else {
                context.report(
                    .invalidOption, at: options.location(of: "as"),
                    "'\(alias)' is not a valid alias; use letters, digits and '_'")
                return nil
            }
            return .enrich(
                EnrichStep(
                    table: table, key: key, alias: alias,
                    onMissing: options.string("onMissing").flatMap(EnrichStep.MissingPolicy.init(rawValue:))
                        ?? .deadLetter))
        },
        analyze: { step, options, analysis in
            guard case .enrich(let enrich) = step.kind else { return }
            analysis.check(enrich.key)
            analysis.checkKeyArity(enrich.key.count, table: enrich.table, at: options.location(of: "key"))
            if enrich.onMissing == .exception {
                analysis.requireExceptions(
                    step: "enrich with onMissing: exception", at: options.location(of: "onMissing"))
            }
            analysis.define(alias: enrich.alias, at: options.location(of: "as"))
        })
}

extension PipelineAnalysis {
    /// The number of key parts must match the table's key columns.
    mutating func checkKeyArity(_ count: Int, table name: String, at location: SourceLocation) {
        guard let table = topology.table(named: name), table.key.count != count else { return }
        report(
            .invalidOption, at: location,
            "key has \(count) part\(count == 1 ? "" : "s"), but table '\(name)' is keyed by \(table.key.count) "
                + "column\(table.key.count == 1 ? "" : "s") (\(table.key.joined(separator: ", ")))")
    }
}
