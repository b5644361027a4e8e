/// Sources with `envelope: sparkplug_b`: their defaults and the partitioning a stateful decoder needs.
extension TopologyBuilder {
    /// A Sparkplug B source: its records are the `sparkplug.metric` records of each payload, so the schema, event
    /// time, event id, source system and plant default to fields of those.
    mutating func buildSparkplugSource(_ options: ParsedOptions, name: String, topic: String, key: [FieldPath])
        -> Source?
    {
        func field(_ name: String) -> RecordField { .field(FieldPath(segments: [.member(name)])) }
        let sparkplug = options.object("sparkplug")
        let settings = SparkplugOptions(
            topicHeader: sparkplug?.string("topicHeader"),
            parkLimit: sparkplug?.integer("parkLimit") ?? SparkplugOptions.defaultParkLimit,
            exceptions: sparkplug?.string("exceptions"), staleEvents: sparkplug?.boolean("staleEvents") ?? false)
        let partitions = options.integer("partitions") ?? 6
        let keyNames = key.map(\.description)
        if settings.topicHeader == nil {
            if keyNames != ["topic"] {
                report(
                    .invalidOption, at: options.location(of: "key"),
                    "source '\(name)' reads the MQTT topic from the record key (no sparkplug.topicHeader), so its key "
                        + "is [topic], not [\(keyNames.joined(separator: ", "))]; to key by group and edge node, give "
                        + "the topic in a header (sparkplug: { topicHeader: NAME })")
            } else if partitions > 1 {
                report(
                    .invalidOption, at: options.location(of: "partitions"),
                    "source '\(name)' is keyed by the MQTT topic, which holds the message type and device, so an edge "
                        + "node's BIRTH and DATA land on different partitions of its \(partitions) and aliases cannot "
                        + "be resolved; use partitions: 1, or key the records by [group, edgeNode] and give the topic "
                        + "in a header (sparkplug: { topicHeader: NAME })")
            }
        } else if partitions > 1 {
            let allowed = ["group", "edgeNode"]
            if keyNames.isEmpty || !keyNames.allSatisfy(allowed.contains) {
                report(
                    .invalidOption, at: options.location(of: "key"),
                    "source '\(name)': the BIRTH and DATA messages of an edge node and its devices must be on one "
                        + "partition, so the key may hold only group and edgeNode, not [\(keyNames.joined(separator: ", "))]"
                )
            }
        }
        return Source(
            name: name, topic: topic, partitions: partitions, key: key, envelope: .sparkplugB,
            eventTime: options.recordField("eventTime") ?? field("timestamp"),
            schema: options.schemaSelector("schema") ?? .fixed(SparkplugOptions.metricSchema),
            eventId: options.recordField("eventId") ?? field("eventId"),
            sourceSystem: options.recordField("sourceSystem") ?? field("edgeNode"),
            plant: options.recordField("plant") ?? field("group"), sparkplug: settings, location: options.location)
    }
}
