extension StepSpec {
    static let hold = StepSpec(
        name: "hold",
        summary: "Park postings that touch a lot under quality hold; release or cancel them when the hold ends.",
        details: """
            heldWhen is evaluated on the lot's row of the (usually topic-fed) table: when true the record is \
            parked (per partition, in arrival order) and an exception record (PARKED_QUALITY_HOLD) is written. \
            When the row changes and heldWhen turns false, the parked records continue through the rest of the \
            pipeline in their original order — unless cancelWhen is true on the new row, in which case each is \
            written as a cancelled exception (CANCELLED_SCRAPPED). A lot without a row is not held. The pipeline \
            needs exceptions:. Parked records are state (changelogged).
            """,
        object: ObjectSpec(
            name: "hold",
            options: [
                OptionSpec("table", .table, required: true, "The lot-status table."),
                OptionSpec("lot", .expressions, required: true, "Key of the lot in that table."),
                OptionSpec(
                    "heldWhen", .expression, default: "status == 'HELD'",
                    "Condition on the table row (its columns are the names)."),
                OptionSpec(
                    "cancelWhen", .expression, default: "disposition == 'SCRAP'",
                    "Condition on the row when the hold ends: true cancels the parked records."),
            ]),
        example: """
            - hold: { table: lot_status, lot: [plantId, materialId, batchId], heldWhen: "status == 'HELD'" }
            """,
        build: { options, _ in
            guard let table = options.string("table"), let lot = options.expressions("lot") else { return nil }
            let at = options.location
            let heldWhen =
                options.expression("heldWhen")
                ?? .binary(
                    .equal, .path(FieldPath(segments: [.member("status")]), at), .literal(.string("HELD"), at), at)
            let cancelWhen =
                options.expression("cancelWhen")
                ?? .binary(
                    .equal, .path(FieldPath(segments: [.member("disposition")]), at), .literal(.string("SCRAP"), at),
                    at)
            return .hold(HoldStep(table: table, lot: lot, heldWhen: heldWhen, cancelWhen: cancelWhen))
        },
        analyze: { step, options, analysis in
            guard case .hold(let hold) = step.kind else { return }
            analysis.check(hold.lot)
            analysis.checkKeyArity(hold.lot.count, table: hold.table, at: options.location(of: "lot"))
            analysis.requireExceptions(step: "hold", at: step.location)
        })
}
