extension StepSpec {
    static let validate = StepSpec(
        name: "validate",
        summary: "Decode the envelope, find the schema, validate, upcast older versions. Always the first step.",
        details: """
            Envelopes: plain JSON (the body is the canonical event), CloudEvents Kafka binding binary mode \
            (ce_* headers, body = data) and structured mode (application/cloudevents+json). The schema id is \
            <type>/v<N>; older versions are upcast to the newest. A record that cannot be decoded, has an unknown \
            type or fails its schema becomes a dead letter (original bytes plus reason headers) — exactly one per \
            record, on the dead-letter output of the first pipeline of the source that takes its type.
            """,
        object: ObjectSpec(
            name: "validate",
            options: [
                OptionSpec(
                    "envelope", .choice(EnvelopeFormat.allCases.map(\.rawValue)), default: "the source's",
                    "Overrides the source's envelope format."),
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
        analyze: { _, _, _ in })
}
