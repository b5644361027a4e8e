/// Every dead-letter code the engine writes, in one place: the steps use the statics, and the table in
/// docs/engine.md is generated from ``all`` (``markdownTable``).
extension RecordFailure.Code {
    /// The record has no value (a tombstone on an input topic).
    package static let emptyValue = Self("EMPTY_VALUE")
    /// The record is larger than `validate`'s `maxBytes`, or a record the engine writes is larger than the
    /// producer accepts (the replacement dead letter keeps as much of it as fits).
    package static let recordTooLarge = Self("RECORD_TOO_LARGE")
    /// A record the engine writes is for a topic the broker refuses records for (missing write permission, a
    /// policy, a topic that is gone); the dead letter keeps the record for a replay to that topic.
    package static let outputRefused = Self("OUTPUT_REFUSED")
    /// The value is not JSON (also binary payloads).
    package static let malformedJSON = Self("MALFORMED_JSON")
    /// The value is not UTF-8.
    package static let invalidUTF8 = Self("INVALID_UTF8")
    /// The envelope is missing its type, version, id or time, or is not an object.
    package static let invalidEnvelope = Self("INVALID_ENVELOPE")
    /// CloudEvents `datacontenttype` other than JSON.
    package static let unsupportedContentType = Self("UNSUPPORTED_CONTENT_TYPE")
    /// CloudEvents `data_base64`.
    package static let binaryDataUnsupported = Self("BINARY_DATA_UNSUPPORTED")
    /// No schema for the type or version.
    package static let unknownSchema = Self("UNKNOWN_SCHEMA")
    /// The event fails its schema (path and keyword of the first violation).
    package static let schemaViolation = Self("SCHEMA_VIOLATION")
    /// An upcast rule could not be applied.
    package static let upcastFailed = Self("UPCAST_FAILED")
    /// The event time field is missing or not RFC 3339.
    package static let invalidEventTime = Self("INVALID_EVENT_TIME")
    /// `enrich` found no row (`onMissing: dead_letter`).
    package static let enrichmentMissing = Self("ENRICHMENT_MISSING")
    /// The plant has no plant-calendar row.
    package static let unknownPlant = Self("UNKNOWN_PLANT")
    /// `convert()` has no factor between the units.
    package static let unitNotConvertible = Self("UNIT_NOT_CONVERTIBLE")
    /// An expression got a value of the wrong type.
    package static let expressionType = Self("EXPRESSION_TYPE")
    /// A decimal result (arithmetic or an aggregate) does not fit 38 digits.
    package static let decimalOverflow = Self("DECIMAL_OVERFLOW")
    /// Division by zero.
    package static let divisionByZero = Self("DIVISION_BY_ZERO")
    /// A late event under `late: dead_letter`.
    package static let lateEvent = Self("LATE_EVENT")
    /// A late event for a window older than the late-event retention.
    package static let windowExpired = Self("WINDOW_EXPIRED")
    /// The emitted record fails its schema.
    package static let outputInvalid = Self("OUTPUT_INVALID")
    /// An exception record fails `erp.exception` (the value is the exception).
    package static let exceptionInvalid = Self("EXCEPTION_INVALID")
    /// A `sparkplug_b` record whose MQTT topic (key or header) is no Sparkplug B edge node topic.
    package static let sparkplugInvalidTopic = Self("SPARKPLUG_INVALID_TOPIC")
    /// A `sparkplug_b` record whose value is not a Sparkplug B payload, or a metric that cannot be read.
    package static let sparkplugMalformed = Self("SPARKPLUG_MALFORMED")
    /// DATA of an edge node or device that no BIRTH defined: parked, then dropped beyond `parkLimit` or at a death.
    package static let sparkplugNoBirth = Self("SPARKPLUG_NO_BIRTH")
    /// DATA naming an alias or metric its BIRTH did not define.
    package static let sparkplugUnknownMetric = Self("SPARKPLUG_UNKNOWN_METRIC")

    /// Every code the engine writes, with a summary (custom steps add their own).
    package static let all: [(code: RecordFailure.Code, summary: String)] = [
        (.emptyValue, "the record has no value"),
        (
            .recordTooLarge,
            "larger than `validate`'s `maxBytes`; or a record the engine writes is larger than the producer "
                + "accepts: the dead letter keeps the reason, original size, SHA-256 and as much as fits"
        ),
        (
            .outputRefused,
            "an output or exception record for a topic the broker refuses (no write permission, a policy, the topic "
                + "is gone): the dead letter keeps the record for `dlq replay --to-topic`"
        ),
        (.malformedJSON, "not JSON (also binary payloads)"),
        (.invalidUTF8, "not UTF-8"),
        (.invalidEnvelope, "no type, version, id or time; not an object"),
        (.unsupportedContentType, "CloudEvents content type other than JSON"),
        (.binaryDataUnsupported, "CloudEvents `data_base64`"),
        (.unknownSchema, "no schema for the type or version"),
        (.schemaViolation, "fails its schema: path, keyword and schema location of the first violation"),
        (.upcastFailed, "an upcast rule could not be applied"),
        (.invalidEventTime, "event time missing or not RFC 3339"),
        (.enrichmentMissing, "`enrich` found no row (`onMissing: dead_letter`)"),
        (.unknownPlant, "the plant has no plant-calendar row"),
        (.unitNotConvertible, "`convert()` has no factor between the units"),
        (.expressionType, "an expression got a value of the wrong type"),
        (.decimalOverflow, "a decimal result, arithmetic or aggregate, exceeds 38 digits"),
        (.divisionByZero, "division by zero"),
        (.lateEvent, "a late event under `late: dead_letter`"),
        (.windowExpired, "a late event older than the late-event retention"),
        (.outputInvalid, "the emitted record fails its schema (path and keyword of the first violation)"),
        (.exceptionInvalid, "an exception record fails `erp.exception` (the value is the exception)"),
        (
            .sparkplugInvalidTopic,
            "`sparkplug_b`: the MQTT topic (record key or `topicHeader`) is no spBv1.0 edge node or device topic"
        ),
        (
            .sparkplugMalformed,
            "`sparkplug_b`: the value is not a Sparkplug B payload (byte offset), or a metric has no name, datatype "
                + "or a value that does not fit it"
        ),
        (
            .sparkplugNoBirth,
            "`sparkplug_b`: DATA no BIRTH defined, parked and then dropped: more than `parkLimit` waiting for the "
                + "node, or the node died first"
        ),
        (.sparkplugUnknownMetric, "`sparkplug_b`: DATA with an alias or name its BIRTH did not define"),
    ]

    /// The table of codes in docs/engine.md.
    package static var markdownTable: String {
        var text = "| code | when |\n|---|---|\n"
        for entry in all { text += "| `\(entry.code.name)` | \(entry.summary) |\n" }
        return text
    }
}
