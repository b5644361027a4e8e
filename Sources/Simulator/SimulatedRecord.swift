/// One Kafka record the simulator produced, owned (see ``SimulatedRecordView`` for the borrowed form).
public struct SimulatedRecord: Sendable, Hashable {
    /// The topic the topology routes the event type to.
    public var topic: String
    /// The key: the source's key fields joined with `|`.
    public var key: [UInt8]
    /// The value: the canonical event (plain), its `data` (CloudEvents binary) or the CloudEvent (structured).
    public var value: [UInt8]
    /// Headers (`ce_*` and `content-type` for CloudEvents; none for plain JSON).
    public var headers: [SimulatedHeader]
    /// The record timestamp in epoch milliseconds: when the event was ingested (sent).
    public var timestampMs: Int64
    /// The event type (for an unknown-type fault: the type it was made from).
    public var eventType: EventType
    /// The event id.
    public var eventID: EventID
    /// The envelope mode.
    public var envelope: SimulatedEnvelope
    /// The injected fault, if any.
    public var fault: SimulatedFault?

    /// No partition is chosen: the producer partitions by key.
    public var partition: Int32? { nil }

    /// Creates a record.
    public init(
        topic: String,
        key: [UInt8],
        value: [UInt8],
        headers: [SimulatedHeader],
        timestampMs: Int64,
        eventType: EventType,
        eventID: EventID,
        envelope: SimulatedEnvelope,
        fault: SimulatedFault?
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
        self.eventType = eventType
        self.eventID = eventID
        self.envelope = envelope
        self.fault = fault
    }
}
