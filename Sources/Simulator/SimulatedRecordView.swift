/// A borrowed view of one record, valid only inside the callback that receives it: the key and value
/// point into the simulator's reused buffers. ``record`` makes an owned copy.
public struct SimulatedRecordView {
    /// The topic.
    public let topic: String
    /// The key bytes.
    public let key: UnsafeRawBufferPointer
    /// The value bytes.
    public let value: UnsafeRawBufferPointer
    /// The headers (empty for plain JSON).
    public let headers: [SimulatedHeader]
    /// The record timestamp (epoch ms).
    public let timestampMs: Int64
    /// The event type.
    public let eventType: EventType
    /// The event id.
    public let eventID: EventID
    /// The envelope mode.
    public let envelope: SimulatedEnvelope
    /// The injected fault, if any.
    public let fault: SimulatedFault?

    init(
        topic: String,
        key: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer,
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

    /// An owned copy.
    public var record: SimulatedRecord {
        SimulatedRecord(
            topic: topic, key: Array(key), value: Array(value), headers: headers, timestampMs: timestampMs,
            eventType: eventType, eventID: eventID, envelope: envelope, fault: fault)
    }
}
