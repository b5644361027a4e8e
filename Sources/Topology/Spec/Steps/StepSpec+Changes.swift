extension StepSpec {
    static let changes = StepSpec(
        name: "changes",
        summary: "Report by exception: pass a record only when its value changed beyond a deadband, or as a heartbeat.",
        details: """
            Per key (a series, such as a metric of a device), the last value passed on is state (changelogged). \
            A record passes when it is the key's first, when `value` changed — numbers by more than the \
            deadbands (`absolute`, and `percent` of the last value; with both, the change must exceed both), \
            anything else when it differs — or when any of `also` changed, or when the last record passed is at \
            least `heartbeat` older (event time). Others are dropped and counted as filtered. The deadbands are \
            expressions, so they can come from a table per metric (`lookup(...)`). The key must contain the \
            source's partitioning key fields. With `previous: <name>`, later steps see the key's last record \
            passed as `<name>.value` and `<name>.at` (its event time, epoch ms; `<name>` is null for a key's \
            first record): a cumulative counter's increase is `value - <name>.value`.
            """,
        object: ObjectSpec(
            name: "changes",
            options: [
                OptionSpec(
                    "key", .expressions, required: true, "The series; must contain the source's partitioning key."),
                OptionSpec("value", .expression, default: "value", "The value compared with the last one passed on."),
                OptionSpec("also", .expressions, default: "[]", "Values whose every change passes (no deadband)."),
                OptionSpec(
                    "absolute", .expression, "Absolute deadband: a number change of at most this is no change."),
                OptionSpec(
                    "percent", .expression,
                    "Percent deadband: a change of at most this percentage of the last value passed on is no change."),
                OptionSpec(
                    "heartbeat", .duration(minimum: DurationValue(milliseconds: 1)),
                    "Pass a record anyway when the last one of its key passed this long ago (event time)."),
                OptionSpec(
                    "previous", .name,
                    "Name later steps read the key's last record passed by (`<name>.value`, `<name>.at`)."),
            ]),
        example: "- changes: { key: [group, edgeNode, device, name], absolute: 0.5, heartbeat: 5m }",
        build: { options, context in
            let previous = options.string("previous")
            if let previous, !ExpressionLexer.isIdentifier(previous) || ExpressionToken.keywords.contains(previous) {
                context.report(
                    .invalidOption, at: options.location(of: "previous"),
                    "'\(previous)' is not a valid name; use letters, digits and '_'")
                return nil
            }
            let value =
                options.expression("value") ?? .path(FieldPath(segments: [.member("value")]), options.location)
            return .changes(
                ChangesStep(
                    key: options.expressions("key") ?? [], value: value, also: options.expressions("also") ?? [],
                    absolute: options.expression("absolute"), percent: options.expression("percent"),
                    heartbeat: options.duration("heartbeat"), previous: previous))
        },
        analyze: { step, options, analysis in
            guard case .changes(let changes) = step.kind else { return }
            analysis.check(changes.key + [changes.value] + changes.also)
            analysis.check([changes.absolute, changes.percent].compactMap { $0 })
            analysis.checkPartitionKey(changes.key, at: options.location(of: "key"), what: "changes key")
            if let previous = changes.previous {
                analysis.define(alias: previous, at: options.location(of: "previous"))
            }
        })
}
