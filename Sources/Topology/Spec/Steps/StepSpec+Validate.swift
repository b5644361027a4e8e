extension StepSpec {
    static let validate = StepSpec(
        name: "validate",
        summary: "Decode the envelope, find the schema, validate, upcast older versions. Always the first step.",
        details: """
            Envelopes: plain JSON (the body is the canonical event), CloudEvents Kafka binding binary mode \
            (ce_* headers, body = data) and structured mode (application/cloudevents+json). The schema id is \
            <type>/v<N>; older versions are upcast to the newest. A record that cannot be decoded, has an unknown \
            type or fails its schema becomes a dead letter (original bytes plus reason headers) — exactly one per \
            record, on the dead-letter output of the first pipeline of the source that takes its type. A source \
            with envelope none reads foreign JSON: the schema, event id, event time, source system and plant are \
            where the source says (see sources). A source with envelope sparkplug_b decodes Sparkplug B payloads \
            into one sparkplug.metric record per metric, validated like foreign records.
            """,
        object: ObjectSpec(
            name: "validate",
            options: [
                OptionSpec(
                    "envelope",
                    .choice(EnvelopeFormat.allCases.filter { $0 != .none && $0 != .sparkplugB }.map(\.rawValue)),
                    default: "the source's",
                    "Overrides the source's envelope format (a source of foreign records, envelope none or "
                        + "sparkplug_b, has none to override)."),
                OptionSpec(
                    "maxBytes", .integer(1...(64 << 20)), default: "900000",
                    "Larger records are dead letters (RECORD_TOO_LARGE). The default leaves room for a dead "
                        + "letter's key and headers under the producer's default message.max.bytes (1000000)."),
            ]),
        example: "- validate: {}",
        build: { options, _ in
            .validate(
                ValidateStep(
                    envelope: options.string("envelope").flatMap(EnvelopeFormat.init(rawValue:)),
                    maxBytes: options.integer("maxBytes") ?? ValidateStep.defaultMaxBytes))
        },
        analyze: { step, options, analysis in
            guard case .validate(let validate) = step.kind, validate.envelope != nil, let source = analysis.source,
                source.isForeign
            else { return }
            analysis.report(
                .invalidOption, at: options.location(of: "envelope"),
                "source '\(source.name)' reads foreign records (envelope: \(source.envelope.rawValue)); validate cannot "
                    + "override that")
        })
}
