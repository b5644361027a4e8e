import JSON
import Topology

/// Paths and small builders shared by the engine tests.
enum TestPaths {
    /// The package root (two levels above this file's directory).
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/")
    }()

    static let schemas = packageRoot + "/schemas"
}

let here = SourceLocation(file: "test.yaml", line: 1, column: 1)

/// Expression builders (unit tests build ASTs directly).
enum X {
    /// A path such as `data.lines[0].qty`.
    static func path(_ text: String) -> Expression {
        var segments: [FieldPath.Segment] = []
        for part in text.split(separator: ".") {
            var name = Substring(part)
            var indexes: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                indexes.insert(Int(name[name.index(after: open)..<name.index(before: name.endIndex)])!, at: 0)
                name = name[..<open]
            }
            segments.append(.member(String(name)))
            segments += indexes.map { .index($0) }
        }
        return .path(FieldPath(segments: segments), here)
    }

    static func string(_ text: String) -> Expression { .literal(.string(text), here) }
    static func number(_ text: String) -> Expression { .literal(.number(text), here) }
    static func bool(_ value: Bool) -> Expression { .literal(.bool(value), here) }
    static let null = Expression.literal(.null, here)
    static func call(_ name: String, _ arguments: Expression...) -> Expression { .call(name, arguments, here) }
    static func op(_ op: Expression.BinaryOperator, _ left: Expression, _ right: Expression) -> Expression {
        .binary(op, left, right, here)
    }
    static func not(_ operand: Expression) -> Expression { .unary(.not, operand, here) }
    static func negate(_ operand: Expression) -> Expression { .unary(.negate, operand, here) }
}

/// Canonical events for tests.
enum Events {

    /// A fresh event id (UUID syntax, deterministic per call sequence).
    static func id(_ number: Int) -> String {
        let hex = String(number, radix: 16)
        return "01958f3a-6c1e-7b2a-9d4e-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    static let equipment: JSONValue = [
        "enterpriseId": "acme", "siteId": "DE01", "areaId": "A1", "lineId": "L2", "workCellId": "C3",
        "equipmentId": "M05",
    ]

    static func envelope(
        id: Int, type: String, version: Int64 = 1, plant: String = "DE01", at time: String,
        source: String = "mes://DE01/mes1", sourceEventId: String? = nil, equipment: JSONValue? = nil,
        data: JSONValue
    ) -> JSONValue {
        var members: [JSONObject.Member] = [
            .init(key: "specVersion", value: "mfg/1.0"),
            .init(key: "eventId", value: .string(self.id(id))),
            .init(key: "type", value: .string(type)),
            .init(key: "schemaVersion", value: .number(JSONNumber(version))),
            .init(key: "source", value: .string(source)),
            .init(key: "occurredAt", value: .string(time)),
            .init(key: "ingestedAt", value: .string(time)),
            .init(key: "plantId", value: .string(plant)),
        ]
        if let sourceEventId { members.append(.init(key: "sourceEventId", value: .string(sourceEventId))) }
        if let equipment { members.append(.init(key: "equipment", value: equipment)) }
        members.append(.init(key: "data", value: data))
        return .object(JSONObject(members))
    }

    static func qty(_ value: String, _ uom: String) -> JSONValue { ["value": .string(value), "uom": .string(uom)] }

    /// `operation.reported` (or `.completed`) with yield/scrap in H87.
    static func operation(
        id: Int, at time: String, order: String = "1000123", operation: String = "0010", yield: String,
        scrap: String = "0", plant: String = "DE01", completed: Bool = false, sourceEventId: String? = nil
    ) -> JSONValue {
        var data: [JSONObject.Member] = [
            .init(key: "orderId", value: .string(order)),
            .init(key: "operationId", value: .string(operation)),
            .init(key: "sequenceId", value: "0"),
            .init(key: "workCenterId", value: "WC-CNC2"),
            .init(key: "interval", value: ["start": .string(time), "end": .string(time)]),
            .init(key: "yield", value: qty(yield, "H87")),
            .init(key: "scrap", value: qty(scrap, "H87")),
            .init(key: "rework", value: qty("0", "H87")),
            .init(key: "activities", value: []),
        ]
        if scrap != "0" {
            data.append(.init(key: "scrapReason", value: ["code": "M01", "codeSet": "mes-DE01"]))
        }
        if completed {
            data.append(.init(key: "completedAt", value: .string(time)))
            data.append(.init(key: "clearOpenReservations", value: false))
        }
        return envelope(
            id: id, type: completed ? "operation.completed" : "operation.reported", plant: plant, at: time,
            sourceEventId: sourceEventId, equipment: equipment, data: .object(JSONObject(data)))
    }

    /// `machine.cycle/v2` (or v1 without reworkCount).
    static func cycle(
        id: Int, at time: String, total: Int64, good: Int64, version: Int64 = 2, plant: String = "DE01",
        machine: String = "M05"
    ) -> JSONValue {
        var data: [JSONObject.Member] = [
            .init(key: "cycleId", value: .string("\(machine)-\(id)")),
            .init(key: "totalCount", value: .number(JSONNumber(total))),
            .init(key: "goodCount", value: .number(JSONNumber(good))),
            .init(key: "cycleTimeMs", value: 40000),
        ]
        if version >= 2 { data.append(.init(key: "reworkCount", value: 0)) }
        var equipment = Events.equipment
        if case .object(var object) = equipment {
            object.members = object.members.map {
                $0.key == "equipmentId" ? .init(key: "equipmentId", value: .string(machine)) : $0
            }
            equipment = .object(object)
        }
        return envelope(
            id: id, type: "machine.cycle", version: version, plant: plant, at: time,
            source: "edge://DE01/L2/\(machine)",
            equipment: equipment, data: .object(JSONObject(data)))
    }

    /// `material.consumed` of a batch.
    static func consumed(
        id: Int, at time: String, qty: String, uom: String = "KGM", batch: String = "B240311",
        material: String = "RM-100", order: String = "1000123"
    ) -> JSONValue {
        envelope(
            id: id, type: "material.consumed", at: time,
            data: [
                "orderId": .string(order), "materialId": .string(material), "lot": ["batchId": .string(batch)],
                "qty": Self.qty(qty, uom), "storageLocationId": "PS01", "mode": "SCANNED",
            ])
    }

    /// JSON text of a value.
    static func text(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.value(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
