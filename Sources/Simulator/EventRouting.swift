import Topology

/// Where each event type goes: the topic, the key fields joined with `|`, and the envelope format, taken
/// from the topology's sources.
///
/// A type goes to the source whose pipelines take it; a type no pipeline takes goes to the source
/// reading the topic domain.md §2.7 assigns to it; a type with neither is not generated.
public struct EventRouting: Sendable {
    /// One event type's destination.
    public struct Route: Sendable, Hashable {
        /// The topology source name.
        public var source: String
        /// The topic.
        public var topic: String
        /// Partitions the topology declares for the topic.
        public var partitions: Int
        /// The key fields (paths into the canonical event).
        public var key: [FieldPath]
        /// The envelope format the source declares.
        public var envelope: EnvelopeFormat
    }

    /// Where machine events go when the plant's line controllers speak Sparkplug B: a `sparkplug_b` source.
    public struct SparkplugRoute: Sendable, Hashable {
        /// The topology source name.
        public var source: String
        /// The topic.
        public var topic: String
        /// The key fields (names of `sparkplug.metric` fields: `topic`, `group`, `edgeNode`, `device`).
        public var key: [FieldPath]
        /// The header the MQTT topic goes in, or `nil` when the key is the MQTT topic.
        public var topicHeader: String?
    }

    /// Routes per event type; `nil` means the type has no topic.
    public private(set) var routes: [EventType: Route]
    /// The topology's first source with `envelope: sparkplug_b`, if any.
    public private(set) var sparkplug: SparkplugRoute?

    /// Creates a routing from explicit routes.
    public init(routes: [EventType: Route], sparkplug: SparkplugRoute? = nil) {
        self.routes = routes
        self.sparkplug = sparkplug
    }

    /// Routes every type the way `topology` declares.
    public init(topology: Topology) {
        var routes: [EventType: Route] = [:]
        for type in EventType.allCases {
            // Sources of foreign records take their producers' own shapes, not catalogue events.
            let canonical = topology.sources.filter { !$0.isForeign }
            let bySource = canonical.first { source in
                topology.pipelines(reading: source.name).contains { $0.types.contains(type.name) }
            }
            guard let source = bySource ?? canonical.first(where: { $0.topic == type.conventionalTopic })
            else { continue }
            routes[type] = Route(
                source: source.name, topic: source.topic, partitions: source.partitions, key: source.key,
                envelope: source.envelope)
        }
        self.routes = routes
        sparkplug = topology.sources.first { $0.envelope == .sparkplugB }.map { source in
            SparkplugRoute(
                source: source.name, topic: source.topic, key: source.key, topicHeader: source.sparkplug?.topicHeader)
        }
    }

    /// The routing of domain.md §2.7 (used when no topology is given, e.g. in tests).
    public static let conventional: EventRouting = {
        func path(_ text: String) -> FieldPath {
            FieldPath(segments: text.split(separator: ".").map { .member(String($0)) })
        }
        var routes: [EventType: Route] = [:]
        for type in EventType.allCases {
            let key: [String]
            let name: String
            switch type.conventionalTopic {
            case "mfg.telemetry.v1": (name, key) = ("telemetry", ["plantId", "equipment.equipmentId"])
            case "mfg.machine.v1": (name, key) = ("machine", ["plantId", "equipment.equipmentId"])
            case "mfg.production.v1": (name, key) = ("production", ["plantId", "data.orderId"])
            case "mfg.order.v1": (name, key) = ("orders", ["plantId", "data.orderId"])
            case "mfg.quality.v1": (name, key) = ("quality", ["plantId", "data.holdId"])
            default: (name, key) = ("logistics", ["plantId", "data.materialId"])
            }
            routes[type] = Route(
                source: name, topic: type.conventionalTopic, partitions: 12, key: key.map(path), envelope: .auto)
        }
        return EventRouting(routes: routes)
    }()

    /// The topics in use, sorted.
    public var topics: [String] { Array(Set(routes.values.map(\.topic))).sorted() }
}
