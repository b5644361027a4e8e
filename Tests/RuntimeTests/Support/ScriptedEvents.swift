import JSON

/// Canonical plant events for the end-to-end tests, written with the JSON writer.
enum ScriptedEvents {
    static let production = "mfg.production.v1"
    static let machine = "mfg.machine.v1"
    static let quality = "mfg.quality.v1"

    /// A deterministic event id (UUID syntax).
    static func id(_ number: Int) -> String {
        let hex = String(number, radix: 16)
        return "01958f3a-6c1e-7b2a-9d4e-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    static let equipment: JSONValue = [
        "enterpriseId": "acme", "siteId": "DE01", "areaId": "A1", "lineId": "L1", "workCellId": "C1",
        "equipmentId": "M01",
    ]

    static func qty(_ value: String, _ uom: String) -> JSONValue { ["value": .string(value), "uom": .string(uom)] }

    static func envelope(
        id: Int, type: String, version: Int64 = 1, at time: String, source: String = "mes://DE01/mes1",
        equipment: JSONValue? = nil, data: JSONValue
    ) -> JSONValue {
        var members: [JSONObject.Member] = [
            .init(key: "specVersion", value: "mfg/1.0"),
            .init(key: "eventId", value: .string(self.id(id))),
            .init(key: "type", value: .string(type)),
            .init(key: "schemaVersion", value: .number(JSONNumber(version))),
            .init(key: "source", value: .string(source)),
            .init(key: "occurredAt", value: .string(time)),
            .init(key: "ingestedAt", value: .string(time)),
            .init(key: "plantId", value: "DE01"),
        ]
        if let equipment { members.append(.init(key: "equipment", value: equipment)) }
        members.append(.init(key: "data", value: data))
        return .object(JSONObject(members))
    }

    /// `operation.reported` (or `operation.completed`) of order 1000121 operation 0010 in pieces.
    static func operation(id: Int, at time: String, from start: String, yield: String, completed: Bool = false)
        -> JSONValue
    {
        var data: [JSONObject.Member] = [
            .init(key: "orderId", value: "1000121"), .init(key: "operationId", value: "0010"),
            .init(key: "sequenceId", value: "0"), .init(key: "workCenterId", value: "WC-CNC01"),
            .init(key: "interval", value: ["start": .string(start), "end": .string(time)]),
            .init(key: "yield", value: qty(yield, "H87")), .init(key: "scrap", value: qty("0", "H87")),
            .init(key: "rework", value: qty("0", "H87")),
            .init(key: "activities", value: [["activityKey": "MACHINE", "duration": qty("5", "MIN")]]),
        ]
        if completed {
            data.append(.init(key: "completedAt", value: .string(time)))
            data.append(.init(key: "clearOpenReservations", value: false))
        }
        return envelope(
            id: id, type: completed ? "operation.completed" : "operation.reported", at: time, equipment: equipment,
            data: .object(JSONObject(data)))
    }

    /// `material.consumed` of RM-100 for order 1000121.
    static func consumed(id: Int, at time: String, qty value: String, batch: String) -> JSONValue {
        envelope(
            id: id, type: "material.consumed", at: time,
            data: [
                "orderId": "1000121", "materialId": "RM-100", "lot": ["batchId": .string(batch)],
                "qty": qty(value, "KGM"), "storageLocationId": "PS01", "mode": "SCANNED",
            ])
    }

    /// `quality.hold.created` blocking one RM-100 batch.
    static func holdCreated(id: Int, at time: String, hold: String, batch: String) -> JSONValue {
        envelope(
            id: id, type: "quality.hold.created", at: time, source: "qms://DE01/qms",
            data: [
                "holdId": .string(hold), "holdType": "LOT", "materialId": "RM-100",
                "lots": [["batchId": .string(batch)]],
                "targetStockType": "BLOCKED", "reason": ["code": "CONTAM", "codeSet": "qms-DE01"],
                "requestedBy": "QA-1",
            ])
    }

    /// `quality.hold.released` with one line.
    static func holdReleased(id: Int, at time: String, hold: String, batch: String, disposition: String) -> JSONValue {
        envelope(
            id: id, type: "quality.hold.released", at: time, source: "qms://DE01/qms",
            data: [
                "holdId": .string(hold), "decidedBy": "QA-2",
                "lines": [["lot": ["batchId": .string(batch)], "disposition": .string(disposition)]],
            ])
    }

    /// `machine.cycle/v2` of DE01 M01.
    static func cycle(id: Int, at time: String, total: Int64, good: Int64) -> JSONValue {
        envelope(
            id: id, type: "machine.cycle", version: 2, at: time, source: "edge://DE01/L1/M01", equipment: equipment,
            data: [
                "cycleId": .string("M01-\(id)"), "totalCount": .number(JSONNumber(total)),
                "goodCount": .number(JSONNumber(good)), "reworkCount": 0, "cycleTimeMs": 38000,
            ])
    }

    /// A closed unplanned breakdown of DE01 M01.
    static func breakdown(id: Int, at time: String, from start: String) -> JSONValue {
        envelope(
            id: id, type: "downtime.recorded", at: time, source: "edge://DE01/L1/M01", equipment: equipment,
            data: [
                "downtimeId": "DT-1", "status": "CLOSED",
                "interval": ["start": .string(start), "end": .string(time)],
                "category": "UNPLANNED", "lossType": "EQUIPMENT_FAILURE",
                "reason": ["code": "M01", "codeSet": "oee-DE01"], "breakdown": true,
            ])
    }

    /// The JSON bytes of an event.
    static func bytes(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(value)
        return writer.bytes
    }
}

/// One scripted input record.
struct ScriptedRecord: Sendable {
    var topic: String
    var key: String
    var value: [UInt8]

    init(_ topic: String, _ key: String, _ event: JSONValue) {
        self.topic = topic
        self.key = key
        value = ScriptedEvents.bytes(event)
    }

    init(_ topic: String, _ key: String, raw: String) {
        self.topic = topic
        self.key = key
        value = Array(raw.utf8)
    }
}
