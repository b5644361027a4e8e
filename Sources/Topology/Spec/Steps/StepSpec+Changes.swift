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
            source's partitioning key fields.
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
            ]),
        example: "- changes: { key: [group, edgeNode, device, name], absolute: 0.5, heartbeat: 5m }",
        build: { options, _ in
            let value =
                options.expression("value") ?? .path(FieldPath(segments: [.member("value")]), options.location)
            return .changes(
                ChangesStep(
                    key: options.expressions("key") ?? [], value: value, also: options.expressions("also") ?? [],
                    absolute: options.expression("absolute"), percent: options.expression("percent"),
                    heartbeat: options.duration("heartbeat")))
        },
        analyze: { step, options, analysis in
            guard case .changes(let changes) = step.kind else { return }
            analysis.check(changes.key + [changes.value] + changes.also)
            analysis.check([changes.absolute, changes.percent].compactMap { $0 })
            analysis.checkPartitionKey(changes.key, at: options.location(of: "key"), what: "changes key")
        })
}
