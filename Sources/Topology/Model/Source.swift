/// `sources:` entry — a topic carrying events of one plant system kind.
public struct Source: Sendable, Hashable {
    public var name: String
    public var topic: String
    /// Partition count the topic is created with (demo / embedded broker); the runtime uses the real count.
    public var partitions: Int
    /// The record fields the producers join with `|` into the Kafka key (the partitioning key).
    public var key: [FieldPath]
    public var envelope: EnvelopeFormat
    /// Field holding the event time (RFC 3339), default `occurredAt`.
    public var eventTime: FieldPath
    public var location: SourceLocation

    public init(
        name: String,
        topic: String,
        partitions: Int,
        key: [FieldPath],
        envelope: EnvelopeFormat = .auto,
        eventTime: FieldPath = FieldPath(segments: [.member("occurredAt")]),
        location: SourceLocation
    ) {
        self.name = name
        self.topic = topic
        self.partitions = partitions
        self.key = key
        self.envelope = envelope
        self.eventTime = eventTime
        self.location = location
    }
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
}
