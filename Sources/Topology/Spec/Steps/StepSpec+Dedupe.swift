extension StepSpec {
    static let dedupe = StepSpec(
        name: "dedupe",
        summary: "Drop repeats of a key within a TTL of event time (counted, not emitted).",
        details: """
            State is per input partition and TTL-bounded. The default key is the source's partitioning key \
            followed by the domain's dedup key (source, sourceEventId ?? eventId; for a source of foreign \
            records sourceSystem(), eventId()), so every key lives in one partition. An explicit key must contain \
            every partitioning-key field of the source.
            """,
        object: ObjectSpec(
            name: "dedupe",
            options: [
                OptionSpec(
                    "key", .expressions, default: "[<source key>, source, sourceEventId ?? eventId]",
                    "Key parts; must contain the source's partitioning key fields."),
                OptionSpec(
                    "ttl", .duration(minimum: DurationValue(milliseconds: 1)), default: "24h",
                    "How long (event time) a key is remembered."),
            ]),
        example: "- dedupe: { ttl: 24h }",
        build: { options, context in
            let key = options.expressions("key") ?? DedupeStep.defaultKey(of: context.source, at: options.location)
            return .dedupe(DedupeStep(key: key, ttl: options.duration("ttl") ?? .hours(24)))
        },
        analyze: { step, options, analysis in
            guard case .dedupe(let dedupe) = step.kind, options["key"] != nil else { return }
            analysis.check(dedupe.key)
            analysis.checkPartitionKey(dedupe.key, at: options.location(of: "key"), what: "dedupe key")
        })
}
