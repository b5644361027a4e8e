extension StepSpec {
    private static let positive = DurationValue(milliseconds: 1)
    private static let zero = DurationValue(milliseconds: 0)
    private static let day = DurationValue.hours(24)

    static let window = StepSpec(
        name: "window",
        summary: "Event-time tumbling, hopping or session windows per key with aggregates; emit on close, "
            + "early on a threshold, or at once on a closing event.",
        details: """
            Watermark per input partition = max event time − outOfOrderness; a window closes when the watermark \
            passes its end + grace; after idleTimeout of wall-clock time without records the partition's \
            watermark follows the wall clock. alignTo: plant_local aligns windows to the plant's clock \
            (plantCalendar) and splitAtLocalMidnight cuts them at local midnight (DST-aware). Every emission \
            carries the next window.revision (0, 1, ...) and only what accumulated since the previous one, so \
            ERP postings add up. After this step the record is the window result: the groupBy names, the \
            aggregate names and window {start, end, sizeSec, revision, closedBy} (closedBy = watermark, \
            threshold, final, idle or late). Late events follow `late`: post_delta (an additional result with \
            the next revision holding the late delta), dead_letter, or drop (counted). Aggregates run over exact \
            decimals (min/max/first/last also over text and timestamps). The groupBy must contain the source's \
            partitioning key fields. One window step per pipeline.
            """,
        object: ObjectSpec(
            name: "window",
            options: [
                OptionSpec(
                    "groupBy", .namedExpressions, required: true,
                    "Key parts; a path is named by its last member (data.orderId → orderId)."),
                OptionSpec("tumbling", .duration(minimum: positive), "Tumbling windows of this size."),
                OptionSpec(
                    "hopping",
                    .object(
                        ObjectSpec(
                            name: "hopping",
                            options: [
                                OptionSpec("size", .duration(minimum: positive), required: true, "Window size."),
                                OptionSpec(
                                    "advance", .duration(minimum: positive), required: true,
                                    "Distance between window starts (≤ size)."),
                            ])),
                    "Hopping windows."),
                OptionSpec(
                    "session",
                    .object(
                        ObjectSpec(
                            name: "session",
                            options: [
                                OptionSpec(
                                    "gap", .duration(minimum: positive), required: true,
                                    "Inactivity that ends a session.")
                            ])),
                    "Session windows."),
                OptionSpec(
                    "alignTo", .choice(WindowAlignment.allCases.map(\.rawValue)), default: "utc",
                    "Window boundaries on the UTC or the plant-local clock."),
                OptionSpec(
                    "splitAtLocalMidnight", .boolean, default: "false",
                    "Windows never cross plant-local midnight (DST-aware)."),
                OptionSpec("outOfOrderness", .duration(minimum: zero), default: "0ms", "Allowed disorder."),
                OptionSpec("grace", .duration(minimum: zero), default: "0ms", "Extra wait after a window's end."),
                OptionSpec(
                    "idleTimeout", .duration(minimum: positive),
                    "Wall-clock time without records after which the watermark follows the wall clock."),
                OptionSpec(
                    "aggregates", .aggregates, required: true, "name: sum|count|min|max|first|last(expression)."),
                OptionSpec(
                    "emitEarly", .expression,
                    "Threshold on the window result: emit what accumulated so far when true (closedBy threshold)."),
                OptionSpec(
                    "closeWhen", .expression,
                    "Condition on the event: include it and close this key's window now (closedBy final)."),
                OptionSpec(
                    "late", .choice(LatePolicy.allCases.map(\.rawValue)), default: "dead_letter",
                    "What an event whose window already closed does."),
            ],
            exactlyOneOf: [["tumbling", "hopping", "session"]]),
        example: """
            - window:
                groupBy: [plantId, data.orderId, data.sequenceId, data.operationId]
                tumbling: 15m
                alignTo: plant_local
                splitAtLocalMidnight: true
                outOfOrderness: 2m
                grace: 10m
                idleTimeout: 5m
                aggregates:
                  yield: sum(data.yield.value)
                  scrap: sum(data.scrap.value)
                  unit: last(data.yield.uom)
                  reports: count()
                emitEarly: "yield >= 100"
                closeWhen: "type == 'operation.completed'"
                late: post_delta
            """,
        build: { options, context in
            guard let groupBy = options.named("groupBy"), let aggregates = options.aggregates("aggregates") else {
                return nil
            }
            let alignment = options.string("alignTo").flatMap(WindowAlignment.init(rawValue:)) ?? .utc
            let shape: WindowShape
            var sizes: [(String, DurationValue, SourceLocation)] = []
            if let size = options.duration("tumbling") {
                shape = .tumbling(size: size)
                sizes.append(("tumbling", size, options.location(of: "tumbling")))
            } else if let hopping = options.object("hopping"), let size = hopping.duration("size"),
                let advance = hopping.duration("advance")
            {
                guard advance <= size else {
                    context.report(
                        .invalidOption, at: hopping.location(of: "advance"),
                        "hopping advance \(advance) is larger than its size \(size); expected advance ≤ size")
                    return nil
                }
                shape = .hopping(size: size, advance: advance)
                sizes.append(("hopping size", size, hopping.location(of: "size")))
                sizes.append(("hopping advance", advance, hopping.location(of: "advance")))
            } else if let session = options.object("session"), let gap = session.duration("gap") {
                shape = .session(gap: gap)
            } else {
                return nil
            }
            if alignment == .plantLocal {
                for (what, size, location) in sizes where day.milliseconds % size.milliseconds != 0 {
                    context.report(
                        .invalidOption, at: location,
                        "\(what) \(size) does not divide 24h, so windows aligned to plant_local cannot start at "
                            + "local midnight; use a size such as 15m, 1h, 8h")
                    return nil
                }
            }
            return .window(
                WindowStep(
                    groupBy: groupBy, shape: shape, alignment: alignment,
                    splitAtLocalMidnight: options.boolean("splitAtLocalMidnight") ?? false,
                    outOfOrderness: options.duration("outOfOrderness") ?? zero,
                    grace: options.duration("grace") ?? zero, idleTimeout: options.duration("idleTimeout"),
                    aggregates: aggregates, emitEarly: options.expression("emitEarly"),
                    closeWhen: options.expression("closeWhen"),
                    late: options.string("late").flatMap(LatePolicy.init(rawValue:)) ?? .deadLetter))
        },
        analyze: { step, options, analysis in
            guard case .window(let window) = step.kind else { return }
            analysis.check(window.groupBy.map(\.expression))
            analysis.checkPartitionKey(
                window.groupBy.map(\.expression), at: options.location(of: "groupBy"), what: "window groupBy")
            for aggregate in window.aggregates {
                guard let argument = aggregate.argument else { continue }
                analysis.check(argument)
                if aggregate.function == .sum { analysis.checkNumeric(argument, what: "sum()") }
            }
            if let closeWhen = window.closeWhen { analysis.check(closeWhen) }
            if window.alignment == .plantLocal {
                analysis.requireCalendar(at: options.location(of: "alignTo"), for: "alignTo: plant_local")
            }
            if window.splitAtLocalMidnight {
                analysis.requireCalendar(at: options.location(of: "splitAtLocalMidnight"), for: "splitAtLocalMidnight")
            }
            let groupNames = Set(window.groupBy.map(\.name))
            if (window.alignment == .plantLocal || window.splitAtLocalMidnight) && !groupNames.contains("plantId") {
                analysis.report(
                    .invalidOption, at: options.location(of: "groupBy"),
                    "plant-local windows need the plant of each key: add plantId to groupBy")
            }
            for aggregate in window.aggregates where groupNames.contains(aggregate.name) {
                analysis.report(
                    .duplicateName, at: aggregate.location,
                    "aggregate '\(aggregate.name)' has the name of a groupBy entry; window result fields must differ")
            }
            analysis.windowLocation = step.location
            analysis.replaceScope(with: analysis.windowResultFields(window), description: "the window result")
            if let emitEarly = window.emitEarly { analysis.check(emitEarly) }
        })
}
