import Foundation
import JSON
import Schemas
import Timekeeping
import Topology

@testable import Simulator

/// The repository's topology, reference data and schema catalogue, and helpers to read records back.
enum Fixtures {
    /// The package root (three levels above this file).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `topology.yaml` at the package root.
    static var topologyFile: String { root + "/topology.yaml" }

    /// The directory of the topology file.
    static var topologyDirectory: String { (topologyFile as NSString).deletingLastPathComponent }

    static func topology() throws -> Topology { try PlantScenario.readTopology(file: topologyFile) }

    static func scenario(region: String? = nil, plants: Int? = nil, start: Int64? = nil) throws -> PlantScenario {
        try PlantScenario.load(topologyFile: topologyFile, region: region, plants: plants, start: start)
    }

    static let registry: Result<SchemaRegistry, SchemasError> = Result { () throws(SchemasError) in
        try SchemaRegistry.load(directory: topologyDirectory + "/schemas")
    }

    /// Rows of a reference table.
    static func rows(_ table: String, file: String) throws -> [[String: String]] {
        try ReferenceTables.read(path: topologyDirectory + "/reference/" + file)
    }

    /// Records of a simulator run.
    static func records(
        count: Int,
        scenario: PlantScenario,
        configuration: SimulatorConfiguration
    ) throws -> [SimulatedRecord] {
        var simulator = try PlantSimulator(scenario: scenario, configuration: configuration)
        return simulator.records(count: count)
    }

    /// The canonical event a valid record carries, rebuilt from CloudEvents attributes when needed
    /// (the mapping of docs/simulator.md).
    static func canonical(_ record: SimulatedRecord) throws -> JSONValue {
        guard record.envelope != .sparkplugB else { throw FixtureError("a Sparkplug B record carries no JSON") }
        let body = try JSONValue(parsing: record.value)
        switch record.envelope {
        case .plain:
            return body
        case .cloudEventsBinary:
            var attributes: [String: String] = [:]
            for header in record.headers where header.name.hasPrefix("ce_") {
                attributes[String(header.name.dropFirst(3))] = header.text
            }
            return try canonical(attributes: attributes, data: body)
        case .cloudEventsStructured:
            guard case .object(let object) = body else { throw FixtureError("structured body is not an object") }
            var attributes: [String: String] = [:]
            var data = JSONValue.null
            for member in object {
                if member.key == "data" {
                    data = member.value
                } else {
                    switch member.value {
                    case .string(let text): attributes[member.key] = text
                    case .number(let number): attributes[member.key] = number.description
                    default: break
                    }
                }
            }
            return try canonical(attributes: attributes, data: data)
        case .sparkplugB:
            throw FixtureError("a Sparkplug B record carries no JSON")
        }
    }

    private static func canonical(attributes: [String: String], data: JSONValue) throws -> JSONValue {
        guard let schema = attributes["dataschema"], let type = attributes["type"], let id = attributes["id"],
            let version = schema.split(separator: "/").last.flatMap({ Int64($0.dropFirst().dropLast(5)) })
        else { throw FixtureError("CloudEvent without type, id or dataschema") }
        var members: [JSONObject.Member] = [
            .init(key: "specVersion", value: "mfg/1.0"), .init(key: "eventId", value: .string(id)),
            .init(key: "type", value: .string(type)), .init(key: "schemaVersion", value: .number(JSONNumber(version))),
            .init(key: "source", value: .string(attributes["source"] ?? "")),
        ]
        if let sequence = attributes["sourceseq"].flatMap({ Int64($0) }) {
            members.append(.init(key: "sourceSeq", value: .number(JSONNumber(sequence))))
        }
        members.append(.init(key: "occurredAt", value: .string(attributes["time"] ?? "")))
        members.append(.init(key: "ingestedAt", value: .string(attributes["ingestedat"] ?? "")))
        members.append(.init(key: "plantId", value: .string(attributes["plantid"] ?? "")))
        if attributes["equipmentid"] != nil {
            var equipment: [JSONObject.Member] = []
            for name in ["enterpriseId", "siteId", "areaId", "lineId", "workCellId", "equipmentId"] {
                if let value = attributes[name.lowercased()] {
                    equipment.append(.init(key: name, value: .string(value)))
                }
            }
            members.append(.init(key: "equipment", value: .object(JSONObject(equipment))))
        }
        for (attribute, name) in [
            ("subject", "subject"), ("correlationid", "correlationId"), ("causationid", "causationId"),
        ] {
            if let value = attributes[attribute] { members.append(.init(key: name, value: .string(value))) }
        }
        members.append(.init(key: "data", value: data))
        return .object(JSONObject(members))
    }

    /// The value at a dotted path (`data.lots[0].batchId`), or `nil`.
    static func value(_ event: JSONValue, _ path: FieldPath) -> JSONValue? {
        var current: JSONValue? = event
        for segment in path.segments {
            switch segment {
            case .member(let name): current = current?[name]
            case .index(let index): current = current?[index]
            }
        }
        return current
    }

    /// The text of a scalar value.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .number(let number)?: number.description
        case .bool(let flag)?: flag ? "true" : "false"
        default: nil
        }
    }

    /// Epoch milliseconds of an RFC 3339 text.
    static func instant(_ value: JSONValue?) -> Int64? {
        text(value).flatMap(RFC3339.parseLenient)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
