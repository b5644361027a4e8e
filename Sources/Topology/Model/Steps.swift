/// `validate:` — decode the envelope, find the schema, validate, upcast. Always the first step.
public struct ValidateStep: Sendable, Hashable {
    /// Overrides the source's envelope format.
    public var envelope: EnvelopeFormat?
    /// Larger records are dead letters (default 1 MiB).
    public var maxBytes: Int

    /// The default `maxBytes`: a record this large still fits, with its key and reason headers, into a dead letter
    /// under librdkafka's default `message.max.bytes` (1,000,000).
    public static let defaultMaxBytes = 900_000

    public init(envelope: EnvelopeFormat? = nil, maxBytes: Int = ValidateStep.defaultMaxBytes) {
        self.envelope = envelope
        self.maxBytes = maxBytes
    }
}

/// `dedupe:` — drop repeats of a key within a TTL of event time (counted, not emitted).
public struct DedupeStep: Sendable, Hashable {
    /// Key parts; default `[source, sourceEventId ?? eventId]`.
    public var key: [Expression]
    public var ttl: DurationValue

    public init(key: [Expression], ttl: DurationValue) {
        self.key = key
        self.ttl = ttl
    }

    /// The source's partitioning key, then the domain's dedup key: `source, sourceEventId ?? eventId` for
    /// canonical events, `sourceSystem(), eventId()` for foreign records.
    public static func defaultKey(of source: Source?, at location: SourceLocation) -> [Expression] {
        func path(_ name: String) -> Expression { .path(FieldPath(segments: [.member(name)]), location) }
        let partitionKey = source?.key.map { Expression.path($0, location) } ?? []
        if source?.isForeign == true {
            return partitionKey + [
                .call("sourceSystem", [], location), .call("eventId", [], location),
            ]
        }
        return partitionKey + [path("source"), .binary(.coalesce, path("sourceEventId"), path("eventId"), location)]
    }
}

/// `filter:` — keep records for which `when` is true.
public struct FilterStep: Sendable, Hashable {
    public var when: Expression

    public init(when: Expression) {
        self.when = when
    }
}

/// `explode:` — one record per element of an array; the element is reachable by `as`.
public struct ExplodeStep: Sendable, Hashable {
    public var path: FieldPath
    public var alias: String

    public init(path: FieldPath, alias: String) {
        self.path = path
        self.alias = alias
    }
}

/// `window:` — event-time windows per key with aggregates.
public struct WindowStep: Sendable, Hashable {
    /// Named key parts; a list entry `data.orderId` is named `orderId`.
    public var groupBy: [NamedExpression]
    public var shape: WindowShape
    public var alignment: WindowAlignment
    /// Windows never cross plant-local midnight (DST-aware), split there.
    public var splitAtLocalMidnight: Bool
    /// Watermark = max event time − outOfOrderness (default 0).
    public var outOfOrderness: DurationValue
    /// A window closes when the watermark passes end + grace (default 0).
    public var grace: DurationValue
    /// After this much wall-clock time without records, the partition's watermark follows the wall clock.
    public var idleTimeout: DurationValue?
    public var aggregates: [Aggregate]
    /// Emit what accumulated so far when this becomes true (evaluated on the window result).
    public var emitEarly: Expression?
    /// Close this key's window immediately, including the current record (evaluated on the event).
    public var closeWhen: Expression?
    public var late: LatePolicy

    public init(
        groupBy: [NamedExpression],
        shape: WindowShape,
        alignment: WindowAlignment = .utc,
        splitAtLocalMidnight: Bool = false,
        outOfOrderness: DurationValue = DurationValue(milliseconds: 0),
        grace: DurationValue = DurationValue(milliseconds: 0),
        idleTimeout: DurationValue? = nil,
        aggregates: [Aggregate],
        emitEarly: Expression? = nil,
        closeWhen: Expression? = nil,
        late: LatePolicy = .deadLetter
    ) {
        self.groupBy = groupBy
        self.shape = shape
        self.alignment = alignment
        self.splitAtLocalMidnight = splitAtLocalMidnight
        self.outOfOrderness = outOfOrderness
        self.grace = grace
        self.idleTimeout = idleTimeout
        self.aggregates = aggregates
        self.emitEarly = emitEarly
        self.closeWhen = closeWhen
        self.late = late
    }
}

/// A name bound to an expression (`groupBy` entries, `map` fields).
public struct NamedExpression: Sendable, Hashable {
    public var name: String
    public var expression: Expression

    public init(name: String, expression: Expression) {
        self.name = name
        self.expression = expression
    }
}

/// Tumbling, hopping or session windows.
public enum WindowShape: Sendable, Hashable {
    case tumbling(size: DurationValue)
    case hopping(size: DurationValue, advance: DurationValue)
    case session(gap: DurationValue)
}

/// Whether window boundaries follow UTC or the plant-local clock (via `plantCalendar`).
public enum WindowAlignment: String, Sendable, Hashable, CaseIterable {
    case utc
    case plantLocal = "plant_local"
}

/// What happens to an event whose window already closed.
public enum LatePolicy: String, Sendable, Hashable, CaseIterable {
    /// An additional, additive window result with the next revision.
    case postDelta = "post_delta"
    case deadLetter = "dead_letter"
    /// Counted and dropped.
    case drop
}

/// One aggregate of a window: `name: function(expression)`.
public struct Aggregate: Sendable, Hashable {
    public var name: String
    public var function: Function
    /// The argument; `nil` only for `count()`.
    public var argument: Expression?
    public var location: SourceLocation

    /// Aggregate functions over exact decimals (min/max/first/last also over strings and timestamps).
    public enum Function: String, Sendable, Hashable, CaseIterable {
        case sum, count, min, max, first, last
    }

    public init(name: String, function: Function, argument: Expression?, location: SourceLocation) {
        self.name = name
        self.function = function
        self.argument = argument
        self.location = location
    }
}

/// `enrich:` — join a global table by key.
public struct EnrichStep: Sendable, Hashable {
    public var table: String
    public var key: [Expression]
    /// The name the row is reachable by in later expressions.
    public var alias: String
    public var onMissing: MissingPolicy

    /// What a missing key does.
    public enum MissingPolicy: String, Sendable, Hashable, CaseIterable {
        case deadLetter = "dead_letter"
        case exception
        case skip
    }

    public init(table: String, key: [Expression], alias: String, onMissing: MissingPolicy = .deadLetter) {
        self.table = table
        self.key = key
        self.alias = alias
        self.onMissing = onMissing
    }
}

/// `hold:` — park postings touching a held lot until the table says it is released.
public struct HoldStep: Sendable, Hashable {
    /// The lot-status table (usually fed from a compacted topic).
    public var table: String
    /// Key of the lot in that table.
    public var lot: [Expression]
    /// Evaluated on the table row (its columns are the roots); default `status == 'HELD'`.
    public var heldWhen: Expression
    /// Evaluated on the row when the lot is no longer held; true → parked records are cancelled.
    /// Default `disposition == 'SCRAP'`.
    public var cancelWhen: Expression

    public init(table: String, lot: [Expression], heldWhen: Expression, cancelWhen: Expression) {
        self.table = table
        self.lot = lot
        self.heldWhen = heldWhen
        self.cancelWhen = cancelWhen
    }
}

/// `normalize:` — turn a foreign record into a catalogue event of type `to`: the envelope from the record's
/// identity, the fields from expressions over the record; validated against the catalogue schema.
public struct NormalizeStep: Sendable, Hashable {
    /// The catalogue schema id of the event, `<type>/v<N>`.
    public var to: String
    /// Dotted field paths of the event and their expressions over the foreign record, in order.
    public var fields: [NamedExpression]

    public init(to: String, fields: [NamedExpression]) {
        self.to = to
        self.fields = fields
    }

    /// Envelope members the step writes when `fields` does not (docs/topology.md, normalize).
    public static let envelopeDefaults = [
        "specVersion", "eventId", "type", "schemaVersion", "source", "occurredAt", "ingestedAt", "plantId",
    ]
}

/// `map:` — build the output record; dotted names build nested objects, in order.
public struct MapStep: Sendable, Hashable {
    public var fields: [NamedExpression]

    public init(fields: [NamedExpression]) {
        self.fields = fields
    }
}

/// `emit:` — add the ERP header, validate against the schema, write to an output.
public struct EmitStep: Sendable, Hashable {
    public var output: String
    /// Schema id `<type>/v<N>` the record must validate against; empty only for rows written to an output of
    /// kind `table` that name no schema (those rows are not validated).
    public var schema: String
    /// Kafka key parts, joined with `|`.
    public var key: [Expression]
    /// Idempotency key parts; a first literal is the prefix (`CONF`). Window bounds/revision or source
    /// and event id are appended by the engine.
    public var idempotencyKey: [Expression]
    /// Park (exception `PERIOD_CLOSED`) when the posting date's period is not open.
    public var periodCheck: Bool
    /// Which header the engine adds (YAML `header`, default `erp`).
    public var header: RecordHeader

    /// Add the header members the output schema declares (the ERP common header for `erp.*` schemas, the
    /// analytics header for `analytics.*`); false only for `header: none` (table rows).
    /// Same as `header != .none`; setting it to true selects `.erp` unless a header is already chosen.
    public var erpHeader: Bool {
        get { header != .none }
        set { header = newValue ? (header == .none ? .erp : header) : .none }
    }

    /// The header fields the engine adds before validating the record against its schema.
    public enum RecordHeader: String, Sendable, Hashable, CaseIterable {
        /// ERP common header (`erp.common`): schemaVersion, txnId, txnType, idempotencyKey, targetSystem,
        /// postingDate, documentDate, createdAt, window, sources, correlationId, lineage.
        case erp
        /// Analytics header (`analytics.*`): schemaVersion, recordId, idempotencyKey, businessDate, createdAt,
        /// window, sources, correlationId, lineage.
        case analytics
        /// Nothing: the record is written as mapped (table rows).
        case none
    }

    public init(
        output: String,
        schema: String,
        key: [Expression],
        idempotencyKey: [Expression],
        periodCheck: Bool = false,
        erpHeader: Bool = true
    ) {
        self.init(
            output: output, schema: schema, key: key, idempotencyKey: idempotencyKey, periodCheck: periodCheck,
            header: erpHeader ? .erp : .none)
    }

    public init(
        output: String,
        schema: String,
        key: [Expression],
        idempotencyKey: [Expression],
        periodCheck: Bool = false,
        header: RecordHeader
    ) {
        self.output = output
        self.schema = schema
        self.key = key
        self.idempotencyKey = idempotencyKey
        self.periodCheck = periodCheck
        self.header = header
    }
}
