/// A Sparkplug B MQTT topic: `spBv1.0/<group>/<message type>/<edge node>[/<device>]`.
public struct SparkplugTopic: Sendable, Hashable, CustomStringConvertible {
    /// The message types of edge nodes and devices.
    public enum MessageType: String, Sendable, Hashable, CaseIterable {
        case nodeBirth = "NBIRTH"
        case nodeDeath = "NDEATH"
        case deviceBirth = "DBIRTH"
        case deviceDeath = "DDEATH"
        case nodeData = "NDATA"
        case deviceData = "DDATA"
        case nodeCommand = "NCMD"
        case deviceCommand = "DCMD"

        /// Whether the message is about a device (else about the edge node).
        public var isDevice: Bool {
            switch self {
            case .deviceBirth, .deviceDeath, .deviceData, .deviceCommand: true
            default: false
            }
        }
    }

    /// The namespace of Sparkplug B topics.
    public static let namespace = "spBv1.0"

    public var group: String
    public var messageType: MessageType
    public var edgeNode: String
    public var device: String?

    public init(group: String, messageType: MessageType, edgeNode: String, device: String? = nil) {
        self.group = group
        self.messageType = messageType
        self.edgeNode = edgeNode
        self.device = device
    }

    /// Parses a topic.
    ///
    /// - Returns: `nil` for a host application's `spBv1.0/STATE/<host>` topic (not edge node data).
    /// - Throws: ``SparkplugDecodingError`` (offset `-1`) when the text is no Sparkplug B topic.
    public init?(parsing text: String) throws(SparkplugDecodingError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.first.map(String.init) == Self.namespace else {
            throw SparkplugDecodingError(offset: -1, "'\(text)' does not start with \(Self.namespace)/")
        }
        if parts.count == 3, parts[1] == "STATE" { return nil }
        guard parts.count == 4 || parts.count == 5 else {
            throw SparkplugDecodingError(
                offset: -1, "'\(text)' is not \(Self.namespace)/<group>/<message type>/<edge node>[/<device>]")
        }
        guard let type = MessageType(rawValue: String(parts[2])) else {
            throw SparkplugDecodingError(
                offset: -1,
                "'\(parts[2])' in '\(text)' is no message type ("
                    + MessageType.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        guard type.isDevice == (parts.count == 5) else {
            throw SparkplugDecodingError(
                offset: -1, "\(type.rawValue) topics \(type.isDevice ? "need a" : "have no") device id: '\(text)'")
        }
        for part in parts.dropFirst() where part.isEmpty || part.contains(where: { "+#".contains($0) }) {
            throw SparkplugDecodingError(offset: -1, "'\(text)' has an empty id or a wildcard")
        }
        group = String(parts[1])
        messageType = type
        edgeNode = String(parts[3])
        device = parts.count == 5 ? String(parts[4]) : nil
    }

    public var description: String {
        "\(Self.namespace)/\(group)/\(messageType.rawValue)/\(edgeNode)" + (device.map { "/\($0)" } ?? "")
    }
}
