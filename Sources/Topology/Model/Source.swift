/// `sources:` entry — a topic carrying the records of one plant system kind.
public struct Source: Sendable, Hashable {
    public var name: String
    public var topic: String
    /// Partition count the topic is created with (demo / embedded broker); the runtime uses the real count.
    public var partitions: Int
    /// The record fields the producers join with `|` into the Kafka key (the partitioning key).
    public var key: [FieldPath]
    public var envelope: EnvelopeFormat
    /// Where the event time is (RFC 3339 text or epoch milliseconds), default `occurredAt`.
    public var eventTime: RecordField
    /// How the schema of a record is found (`envelope: none`; envelopes carry `type` and `schemaVersion`).
    public var schema: SchemaSelector?
    /// Where the event id is (`envelope: none`; `nil` = derived from topic, partition and offset).
    public var eventId: RecordField?
    /// Where the producing system's name is (`envelope: none`; `nil` = the source's name).
    public var sourceSystem: RecordField?
    /// Where the plant is (`envelope: none`; envelopes have `plantId`).
    public var plant: RecordField?
    /// Sparkplug B decoding (`envelope: sparkplug_b`).
    public var sparkplug: SparkplugOptions?
    public var location: SourceLocation

    public init(
        name: String,
        topic: String,
        partitions: Int,
        key: [FieldPath],
        envelope: EnvelopeFormat = .auto,
        eventTime: RecordField = .field(FieldPath(segments: [.member("occurredAt")])),
        schema: SchemaSelector? = nil,
        eventId: RecordField? = nil,
        sourceSystem: RecordField? = nil,
        plant: RecordField? = nil,
        sparkplug: SparkplugOptions? = nil,
        location: SourceLocation
    ) {
        self.name = name
        self.topic = topic
        self.partitions = partitions
        self.key = key
        self.envelope = envelope
        self.eventTime = eventTime
        self.schema = schema
        self.eventId = eventId
        self.sourceSystem = sourceSystem
        self.plant = plant
        self.sparkplug = sparkplug
        self.location = location
    }

    /// Whether records are read in their producer's own shape (no envelope of ours): foreign JSON, or the metric
    /// records a Sparkplug B payload is decoded into.
    public var isForeign: Bool { envelope == .none || envelope == .sparkplugB }
}

/// How events are wrapped on the wire.
public enum EnvelopeFormat: String, Sendable, Hashable, CaseIterable {
    /// Plain JSON: the body is the canonical event (envelope + data).
    case plain
    /// CloudEvents Kafka binding, binary mode: `ce_*` headers, body = data.
    case cloudEventsBinary = "cloudevents_binary"
    /// CloudEvents Kafka binding, structured mode: `application/cloudevents+json` body.
    case cloudEventsStructured = "cloudevents_structured"
    /// Decide per record from the headers (`ce_specversion` → binary; content-type cloudevents → structured).
    case auto
    /// No envelope: the body is a JSON object in its producer's own shape; the source says where its schema,
    /// event id, event time, source system and plant are.
    case none
    /// Sparkplug B: the body is a protobuf payload, the MQTT topic is the key or a header; each metric becomes a
    /// `sparkplug.metric` record (aliases resolved from the edge node's BIRTH, kept as partition state).
    case sparkplugB = "sparkplug_b"
}

/// Where a value of a consumed record is: a field of its JSON body or a Kafka header.
public enum RecordField: Sendable, Hashable, CustomStringConvertible {
    /// A field of the body.
    case field(FieldPath)
    /// The value of the first header of this name (UTF-8 text).
    case header(String)

    /// `data.orderId` or `header ce_time`.
    public var description: String {
        switch self {
        case .field(let path): path.description
        case .header(let name): "header \(name)"
        }
    }

    /// The JSON pointer of a field (dead-letter reasons), or the header's name.
    public var pointer: String {
        switch self {
        case .field(let path): path.jsonPointer
        case .header(let name): name
        }
    }

    /// The field's path, when it is one.
    public var path: FieldPath? {
        if case .field(let path) = self { return path }
        return nil
    }
}

/// How a source with `envelope: none` finds the schema of each record.
public enum SchemaSelector: Sendable, Hashable, CustomStringConvertible {
    /// Every record has this schema (`<type>/v<N>`).
    case fixed(String)
    /// A field or header holds the record's schema id `<type>/v<N>`.
    case from(RecordField)

    public var description: String {
        switch self {
        case .fixed(let id): id
        case .from(let field): "the schema id in \(field)"
        }
    }
}
