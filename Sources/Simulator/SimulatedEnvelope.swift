/// How a record wraps its event.
public enum SimulatedEnvelope: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The body is the canonical event (envelope fields + `data`).
    case plain
    /// CloudEvents binary mode: `ce_*` headers, the body is `data`.
    case cloudEventsBinary
    /// CloudEvents structured mode: `application/cloudevents+json` body.
    case cloudEventsStructured
    /// A Sparkplug B payload (protobuf) of a line controller, the MQTT topic in the key or a header.
    case sparkplugB

    public var description: String {
        switch self {
        case .plain: "plain"
        case .cloudEventsBinary: "cloudevents_binary"
        case .cloudEventsStructured: "cloudevents_structured"
        case .sparkplugB: "sparkplug_b"
        }
    }
}
