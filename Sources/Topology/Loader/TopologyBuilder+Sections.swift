/// Typed values of the sections (defaults, regions, sources, tables, outputs) and their cross-checks.
extension TopologyBuilder {
    func buildDefaults(_ options: ParsedOptions) -> TopologyDefaults {
        var defaults = TopologyDefaults()
        if let guarantee = options.string("guarantee").flatMap(ProcessingGuarantee.init(rawValue:)) {
            defaults.guarantee = guarantee
        }
        if let interval = options.duration("commitInterval") { defaults.commitInterval = interval }
        if let target = options.string("targetSystem") { defaults.targetSystem = target }
        return defaults
    }

    func buildRegion(_ options: ParsedOptions) -> Region? {
        guard options.isValid, let name = options.string("name"),
            let servers = options.string("bootstrapServers")
        else { return nil }
        return Region(
            name: name, bootstrapServers: servers, plants: options.strings("plants") ?? [],
            kafka: options.properties("kafka") ?? [:], location: options.location)
    }

    mutating func buildSource(_ options: ParsedOptions) -> Source? {
        guard options.isValid, let name = options.string("name"), let topic = options.string("topic"),
            case .list(let keyValues) = options["key"]
        else { return nil }
        let key = keyValues.compactMap {
            if case .path(let path) = $0 { return path }
            return nil
        }
        sourceOptions[name] = options
        let envelope = options.string("envelope").flatMap(EnvelopeFormat.init(rawValue:)) ?? .auto
        if envelope == .none {
            var complete = true
            if options["schema"] == nil {
                report(
                    .missingField, at: options.location,
                    "source '\(name)' reads foreign records (envelope: none) and needs schema: the schema of its "
                        + "records (<type>/v<N>), or { field: PATH } / { header: NAME } naming each record's schema id")
                complete = false
            }
            if options["eventTime"] == nil {
                report(
                    .missingField, at: options.location,
                    "source '\(name)' reads foreign records (envelope: none) and needs eventTime: the field (or "
                        + "{ header: NAME }) holding the event time, RFC 3339 text or epoch milliseconds")
                complete = false
            }
            guard complete else { return nil }
        } else if envelope == .sparkplugB {
            return buildSparkplugSource(options, name: name, topic: topic, key: key)
        } else {
            for option in ["schema", "eventId", "sourceSystem", "plant"] where options[option] != nil {
                report(
                    .invalidOption, at: options.location(of: option),
                    "'\(option)' is for sources of foreign records (envelope: none); with envelope "
                        + "\(envelope.rawValue) the envelope carries it")
                return nil
            }
        }
        if options["sparkplug"] != nil {
            report(
                .invalidOption, at: options.location(of: "sparkplug"),
                "'sparkplug' is for sources with envelope sparkplug_b, not \(envelope.rawValue)")
            return nil
        }
        return Source(
            name: name, topic: topic, partitions: options.integer("partitions") ?? 6, key: key, envelope: envelope,
            eventTime: options.recordField("eventTime") ?? .field(FieldPath(segments: [.member("occurredAt")])),
            schema: options.schemaSelector("schema"), eventId: options.recordField("eventId"),
            sourceSystem: options.recordField("sourceSystem"), plant: options.recordField("plant"),
            location: options.location)
    }

    mutating func buildTable(_ options: ParsedOptions) -> Table? {
        guard options.isValid, let name = options.string("name"), let key = options.strings("key") else { return nil }
        let origin: Table.Origin
        if let file = options.string("file") {
            let lowered = file.lowercased()
            guard [".csv", ".yaml", ".yml", ".json"].contains(where: { lowered.hasSuffix($0) }) else {
                report(
                    .invalidOption, at: options.location(of: "file"),
                    "table file '\(file)' must end in .csv, .yaml, .yml or .json")
                return nil
            }
            origin = .file(file)
        } else if let topic = options.string("topic") {
            origin = .topic(topic)
        } else {
            return nil
        }
        if let validFrom = options.string("validFrom"), key.contains(validFrom) {
            report(
                .invalidOption, at: options.location(of: "validFrom"),
                "validFrom column '\(validFrom)' must not be a key column; rows of one key are told apart by it")
            return nil
        }
        return Table(
            name: name, origin: origin, key: key, validFrom: options.string("validFrom"), location: options.location)
    }

    func buildOutput(_ options: ParsedOptions) -> Output? {
        guard options.isValid, let name = options.string("name"), let topic = options.string("topic") else {
            return nil
        }
        return Output(
            name: name, topic: topic, kind: options.string("kind").flatMap(Output.Kind.init(rawValue:)) ?? .records,
            partitions: options.integer("partitions") ?? 6, location: options.location)
    }

    /// Duplicate names, plants in two regions, topics read twice, unbound table outputs.
    mutating func lintSections(_ topology: Topology, options: ParsedOptions) {
        for section in ["regions", "sources", "tables", "outputs", "pipelines"] {
            let singular = String(section.dropLast())
            var seen: [String: SourceLocation] = [:]
            for entry in objects(options, section) {
                guard let name = entry.string("name") else { continue }
                if let first = seen[name] {
                    report(
                        .duplicateName, at: entry.location(of: "name"),
                        "duplicate \(singular) name '\(name)' (first at line \(first.line)); names must be unique")
                } else {
                    seen[name] = entry.location(of: "name")
                }
            }
        }
        if case .list(let regions) = options["regions"], regions.isEmpty {
            report(.invalidOption, at: options.location(of: "regions"), "regions must list at least one region")
        }
        var plantRegion: [String: String] = [:]
        for region in objects(options, "regions") {
            guard let name = region.string("name"), case .list(let plants) = region["plants"] else { continue }
            for (index, value) in plants.enumerated() {
                guard case .string(let plant) = value else { continue }
                if let other = plantRegion[plant] {
                    report(
                        .duplicateName, at: region.location(of: "plants", item: index),
                        "plant \(plant) is in region '\(other)' and in region '\(name)'; a plant belongs to one region")
                } else {
                    plantRegion[plant] = name
                }
            }
        }
        var topicSource: [String: String] = [:]
        for source in objects(options, "sources") {
            guard let name = source.string("name"), let topic = source.string("topic") else { continue }
            if let other = topicSource[topic] {
                report(
                    .duplicateName, at: source.location(of: "topic"),
                    "topic '\(topic)' is already read by source '\(other)'; declare a topic once and let several "
                        + "pipelines read that source")
            } else {
                topicSource[topic] = name
            }
        }
        if let filtering = topology.regions.first(where: { !$0.plants.isEmpty }) {
            for source in topology.sources where source.isForeign && source.plant == nil {
                report(
                    .missingField, at: source.location,
                    "region '\(filtering.name)' processes plants \(filtering.plants.joined(separator: ", ")) only; "
                        + "source '\(source.name)' (envelope: none) needs plant: the field (or { header: NAME }) "
                        + "holding each record's plant")
            }
        }
        var outputTopics: [String: String] = [:]
        for output in topology.outputs {
            if let other = outputTopics[output.topic] {
                report(
                    .duplicateName, at: output.location,
                    "outputs '\(other)' and '\(output.name)' write the same topic '\(output.topic)'")
            } else {
                outputTopics[output.topic] = output.name
            }
            if let source = topicSource[output.topic], output.kind != .records {
                report(
                    .invalidOption, at: output.location,
                    "output '\(output.name)' writes topic '\(output.topic)', which source '\(source)' reads; "
                        + "records would loop through the pipelines")
            }
            if output.kind == .table,
                !topology.tables.contains(where: { $0.origin == .topic(output.topic) })
            {
                report(
                    .invalidOption, at: output.location,
                    "output '\(output.name)' of kind table writes '\(output.topic)', but no table reads that topic",
                    severity: .warning)
            }
        }
        for table in topology.tables {
            guard case .topic(let topic) = table.origin, let source = topicSource[topic] else { continue }
            report(
                .invalidOption, at: table.location,
                "table '\(table.name)' reads topic '\(topic)', which is also source '\(source)'; a topic is either "
                    + "a source or a table")
        }
    }
}

extension TopologyBuilder {
    /// The fields a source names — its key, event time and, for foreign records, where the event id, source
    /// system, plant and schema id are — checked against the records its pipelines take.
    mutating func lintSourceFields(_ topology: Topology) {
        for source in topology.sources {
            guard let options = sourceOptions[source.name] else { continue }
            let types = Array(Set(topology.pipelines(reading: source.name).flatMap(\.types))).sorted()
            guard !types.isEmpty, let shape = recordShape(ofTypes: types) else { continue }
            let what =
                (source.isForeign ? "the records" : "the events") + " of source '\(source.name)' ("
                + types.joined(separator: ", ") + ")"
            func check(_ path: FieldPath, option: String, at location: SourceLocation) {
                guard case .failure(let miss) = shape.resolve(path) else { return }
                let known = miss.parent.memberNames
                var name = path.description
                if case .member(let member) = path.segments[miss.segment] { name = member }
                report(
                    .unknownRecordField, at: location,
                    "\(option) '\(path)' is not a field of \(what)\(Suggestion.hint(for: name, in: known)): "
                        + (known.isEmpty
                            ? "there it is \(miss.parent.summary)" : "they have " + known.joined(separator: ", ")))
            }
            for (index, path) in source.key.enumerated() {
                check(path, option: "key", at: options.location(of: "key", item: index))
            }
            let located: [(String, RecordField?)] = [
                ("eventTime", source.eventTime), ("eventId", source.eventId), ("sourceSystem", source.sourceSystem),
                ("plant", source.plant),
            ]
            for (option, field) in located {
                guard case .field(let path)? = field else { continue }
                check(path, option: option, at: options.location(of: option))
            }
            if case .from(.field(let path))? = source.schema {
                check(path, option: "schema field", at: options.location(of: "schema"))
            }
            // The event time is RFC 3339 text or (foreign records) epoch milliseconds.
            if case .field(let path) = source.eventTime, case .success(.scalar(let kind)) = shape.resolve(path),
                ![.timestamp, .text, .integer, .number].contains(kind)
            {
                report(
                    .typeMismatch, at: options.location(of: "eventTime"),
                    "eventTime '\(path)' is \(kind.description) in \(what); it must be an RFC 3339 date-time"
                        + (source.isForeign ? " or epoch milliseconds" : ""))
            }
        }
    }
}
