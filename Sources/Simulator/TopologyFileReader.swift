import Foundation
import Topology
import Yams

/// Reads the parts of `topology.yaml` the simulator needs (regions, sources, tables, the pipelines'
/// sources and types) into a ``Topology`` without linting it.
///
/// A stand-in for the Topology module's loader: `plantstream check` lints the file; the simulator only
/// needs to know where events go and which reference files to read.
enum TopologyFileReader {
    /// Reads `path`.
    /// - Throws: ``SimulatorError/Code/invalidTopology`` when the file is unreadable or not a mapping.
    static func read(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(SimulatorError) -> Topology
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimulatorError(.invalidTopology, "\(path): cannot read the topology file (does it exist?)")
        }
        let root: Yams.Node.Mapping
        do {
            guard let mapping = try Yams.compose(yaml: String(decoding: data, as: UTF8.self))?.mapping else {
                throw SimulatorError(.invalidTopology, "\(path): expected a mapping at the top level")
            }
            root = mapping
        } catch let error as SimulatorError {
            throw error
        } catch {
            throw SimulatorError(.invalidTopology, "\(path): \(error)")
        }
        func text(_ node: Yams.Node?) -> String? {
            guard let scalar = node?.scalar?.string else { return nil }
            return substitute(scalar, environment)
        }
        func location(_ node: Yams.Node?) -> SourceLocation {
            SourceLocation(file: path, line: (node?.mark?.line ?? 0) + 1, column: (node?.mark?.column ?? 0) + 1)
        }
        func list(_ node: Yams.Node?) -> [Yams.Node] { node?.sequence.map(Array.init) ?? [] }
        func fieldPath(_ text: String) -> FieldPath {
            var segments: [FieldPath.Segment] = []
            for part in text.split(separator: ".") {
                if let bracket = part.firstIndex(of: "["), part.hasSuffix("]"),
                    let index = Int(part[part.index(after: bracket)..<part.index(before: part.endIndex)])
                {
                    segments.append(.member(String(part[..<bracket])))
                    segments.append(.index(index))
                } else {
                    segments.append(.member(String(part)))
                }
            }
            return FieldPath(segments: segments)
        }

        var topology = Topology(application: text(root["application"]) ?? "plantstream", file: path)
        if let schemas = text(root["schemas"]) { topology.schemasDirectory = schemas }
        if let reference = text(root["reference"]) { topology.referenceDirectory = reference }
        if let table = text(root["plantCalendar"]?.mapping?["table"]) {
            topology.plantCalendar = PlantCalendarBinding(table: table, location: location(root["plantCalendar"]))
        }
        if let table = text(root["units"]?.mapping?["table"]) {
            topology.units = UnitsBinding(table: table, location: location(root["units"]))
        }
        for node in list(root["regions"]) {
            guard let region = node.mapping, let name = text(region["name"]) else { continue }
            var kafka: [String: ConfigValue] = [:]
            for (key, value) in region["kafka"]?.mapping ?? [:] {
                guard let property = key.scalar?.string else { continue }
                if let literal = text(value) {
                    kafka[property] = .literal(literal)
                } else if let variable = text(value.mapping?["env"]) {
                    kafka[property] = .environment(variable)
                } else if let file = text(value.mapping?["file"]) {
                    kafka[property] = .file(file)
                }
            }
            topology.regions.append(
                Region(
                    name: name, bootstrapServers: text(region["bootstrapServers"]) ?? "127.0.0.1:9092",
                    plants: list(region["plants"]).compactMap { text($0) }, kafka: kafka, location: location(node)))
        }
        for node in list(root["sources"]) {
            guard let source = node.mapping, let name = text(source["name"]), let topic = text(source["topic"]) else {
                continue
            }
            topology.sources.append(
                Source(
                    name: name, topic: topic, partitions: text(source["partitions"]).flatMap { Int($0) } ?? 12,
                    key: list(source["key"]).compactMap { text($0) }.map(fieldPath),
                    envelope: text(source["envelope"]).flatMap(EnvelopeFormat.init(rawValue:)) ?? .auto,
                    location: location(node)))
        }
        for node in list(root["tables"]) {
            guard let table = node.mapping, let name = text(table["name"]) else { continue }
            let origin: Table.Origin
            if let file = text(table["file"]) {
                origin = .file(file)
            } else if let topic = text(table["topic"]) {
                origin = .topic(topic)
            } else {
                continue
            }
            topology.tables.append(
                Table(
                    name: name, origin: origin, key: list(table["key"]).compactMap { text($0) },
                    validFrom: text(table["validFrom"]), location: location(node)))
        }
        for node in list(root["pipelines"]) {
            guard let pipeline = node.mapping, let name = text(pipeline["name"]), let source = text(pipeline["source"])
            else { continue }
            topology.pipelines.append(
                Pipeline(
                    name: name, source: source, types: list(pipeline["types"]).compactMap { text($0) },
                    deadLetter: text(pipeline["deadLetter"]) ?? "", steps: [], location: location(node)))
        }
        return topology
    }

    /// Replaces `${VAR}` and `${VAR:-default}` with the environment's values.
    static func substitute(_ text: String, _ environment: [String: String]) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                result += rest[open.lowerBound...]
                return result
            }
            let body = rest[open.upperBound..<close]
            if let separator = body.range(of: ":-") {
                let name = String(body[..<separator.lowerBound])
                result += environment[name] ?? String(body[separator.upperBound...])
            } else {
                result += environment[String(body)] ?? ""
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
