import Engine
import JSON
import PlantStreamTesting
import Testing
import Timekeeping

/// The repository's default `topology.yaml` and `reference/` through the driver: every pipeline once.
@Suite struct DefaultTopologyTests {
    static let equipment: JSONValue = [
        "enterpriseId": "acme", "siteId": "DE01", "areaId": "A1", "lineId": "L1", "workCellId": "C1",
        "equipmentId": "M01",
    ]

    func driver() throws -> TopologyTestDriver {
        try TopologyTestDriver(
            topologyFile: TestPaths.packageRoot + "/topology.yaml", region: "eu-central",
            wallClock: RFC3339.parse("2026-04-14T08:00:00Z")!)
    }

    static func operation(id: Int, at time: String, from: String, yield: String, completed: Bool) -> JSONValue {
        var data: [JSONObject.Member] = [
            .init(key: "orderId", value: "1000121"), .init(key: "operationId", value: "0010"),
            .init(key: "sequenceId", value: "0"), .init(key: "workCenterId", value: "WC-CNC01"),
            .init(key: "interval", value: ["start": .string(from), "end": .string(time)]),
            .init(key: "yield", value: Events.qty(yield, "H87")), .init(key: "scrap", value: Events.qty("0", "H87")),
            .init(key: "rework", value: Events.qty("0", "H87")),
            .init(key: "activities", value: [["activityKey": "MACHINE", "duration": Events.qty("5", "MIN")]]),
        ]
        if completed {
            data.append(.init(key: "completedAt", value: .string(time)))
            data.append(.init(key: "clearOpenReservations", value: true))
        }
        return Events.envelope(
            id: id, type: completed ? "operation.completed" : "operation.reported", at: time, equipment: equipment,
            data: .object(JSONObject(data)))
    }

    static func cycle(id: Int, at time: String, total: Int64, good: Int64) -> JSONValue {
        Events.envelope(
            id: id, type: "machine.cycle", version: 2, at: time, source: "edge://DE01/L1/M01", equipment: equipment,
            data: [
                "cycleId": .string("M01-\(id)"), "totalCount": .number(JSONNumber(total)),
                "goodCount": .number(JSONNumber(good)), "reworkCount": 0, "cycleTimeMs": 38000,
            ])
    }

    func deadLetters(_ driver: TopologyTestDriver) -> String {
        driver.records(output: "dlq").map {
            "\($0.header("ps_pipeline") ?? ""): \($0.header("ps_error_code") ?? "") \($0.header("ps_error_path") ?? "") "
                + ($0.header("ps_error_message") ?? "")
        }.joined(separator: "\n")
    }

    @Test func everyPipelineOfTheDefaultTopologyProducesValidRecords() throws {
        let driver = try driver()
        let production = "mfg.production.v1"
        // T1: a report, then the completion closes the window at once (FINAL).
        try driver.send(
            Self.operation(
                id: 101, at: "2026-04-14T08:01:00Z", from: "2026-04-14T07:56:00Z", yield: "6", completed: false),
            topic: production, key: "DE01|1000121")
        try driver.send(
            Self.operation(
                id: 102, at: "2026-04-14T08:10:00Z", from: "2026-04-14T08:05:00Z", yield: "4", completed: true),
            topic: production, key: "DE01|1000121")
        // T3: a receipt, 1:1.
        try driver.send(
            Events.envelope(
                id: 103, type: "material.produced", at: "2026-04-14T08:15:00Z",
                data: [
                    "orderId": "1000121", "materialId": "FG-4711", "lot": ["batchId": "FG260414A"],
                    "qty": Events.qty("10", "H87"), "storageLocationId": "FG01", "productionType": "MAIN",
                ]), topic: production, key: "DE01|1000121")
        #expect(driver.records(output: "dlq").isEmpty, "\(deadLetters(driver))")
        let erp = driver.records(output: "erp")
        let confirmation = try #require(erp.first { $0.string("txnType") == "production_confirmation" })
        #expect(confirmation.string("finalType") == "FINAL")
        #expect(confirmation.string("yield.value") == "10.000")
        #expect(confirmation.string("workCenterId") == "WC-CNC01")
        #expect(confirmation.json?["activities"]?[0]?["slot"] == 2)
        #expect(confirmation.json?["activities"]?[0]?["qty"] == ["value": "10.000", "uom": "MIN"])
        #expect(confirmation.json?["clearOpenReservations"] == true)
        #expect(confirmation.string("postingDate") == "2026-04-14")
        let receipt = try #require(erp.first { $0.string("txnType") == "goods_receipt" })
        #expect(receipt.string("stockType") == "UNRESTRICTED")
        #expect(receipt.string("idempotencyKey") == "GR|mes://DE01/mes1|" + Events.id(103))

        // T5 block + lot-status row, then a consumption of the held batch is parked.
        let quality = "mfg.quality.v1"
        try driver.send(
            Events.envelope(
                id: 201, type: "quality.hold.created", at: "2026-04-14T08:20:00Z", source: "qms://DE01/qms",
                data: [
                    "holdId": "QH-1", "holdType": "LOT", "materialId": "RM-100", "lots": [["batchId": "B240311"]],
                    "targetStockType": "BLOCKED", "reason": ["code": "CONTAM", "codeSet": "qms-DE01"],
                    "requestedBy": "QA-1",
                ]), topic: quality, key: "DE01|QH-1")
        #expect(driver.records(output: "dlq").isEmpty, "\(deadLetters(driver))")
        let block = try #require(driver.records(output: "erp").first { $0.string("txnType") == "stock_status_change" })
        #expect(block.string("action") == "BLOCK")
        #expect(block.string("movementType") == "344")
        #expect(driver.engine.table(named: "lot_status")?.lookup("DE01|RM-100|B240311") != nil)

        try driver.send(
            Events.consumed(id: 104, at: "2026-04-14T08:30:00Z", qty: "2.5", order: "1000121"), topic: production,
            key: "DE01|1000121")
        try driver.send(
            Events.consumed(id: 105, at: "2026-04-14T09:40:00Z", qty: "1", batch: "B240312", order: "1000121"),
            topic: production, key: "DE01|1000121")
        #expect(driver.records(output: "dlq").isEmpty, "\(deadLetters(driver))")
        let parked = try #require(driver.records(output: "exceptions").first { $0.string("exceptionKind") == "PARKED" })
        #expect(parked.string("reasonCode") == "QUALITY_HOLD")
        #expect(parked.string("holdId") == "QH-1")
        #expect(parked.string("txn.qty.value") == "2.500")
        #expect(!driver.records(output: "erp").contains { $0.string("txnType") == "goods_issue" })

        // The release moves the stock back (T5 RELEASE) and lets the parked goods issue continue.
        try driver.send(
            Events.envelope(
                id: 202, type: "quality.hold.released", at: "2026-04-14T09:45:00Z", source: "qms://DE01/qms",
                data: [
                    "holdId": "QH-1", "decidedBy": "QA-2",
                    "lines": [["lot": ["batchId": "B240311"], "disposition": "RELEASE"]],
                ]),
            topic: quality, key: "DE01|QH-1")
        #expect(driver.records(output: "dlq").isEmpty, "\(deadLetters(driver))")
        let issue = try #require(driver.records(output: "erp").first { $0.string("txnType") == "goods_issue" })
        #expect(issue.string("batchId") == "B240311")
        #expect(issue.string("movementType") == "261")
        #expect(issue.string("txnId") == parked.string("txn.txnId"))
        #expect(driver.records(output: "erp").contains { $0.string("action") == "RELEASE" })
        #expect(driver.records(output: "exceptions").contains { $0.string("exceptionKind") == "RELEASED" })

        // OEE and T7 on the machine source.
        let machine = "mfg.machine.v1"
        try driver.send(
            Self.cycle(id: 301, at: "2026-04-14T08:05:00Z", total: 4, good: 3), topic: machine, key: "DE01|M01")
        try driver.send(
            Events.envelope(
                id: 302, type: "downtime.recorded", at: "2026-04-14T08:40:00Z", source: "edge://DE01/L1/M01",
                equipment: Self.equipment,
                data: [
                    "downtimeId": "DT-1", "status": "CLOSED",
                    "interval": ["start": "2026-04-14T08:20:00.000Z", "end": "2026-04-14T08:40:00.000Z"],
                    "category": "UNPLANNED", "lossType": "EQUIPMENT_FAILURE",
                    "reason": ["code": "M01", "codeSet": "oee-DE01"], "breakdown": true,
                ]), topic: machine, key: "DE01|M01")
        try driver.send(
            Self.cycle(id: 303, at: "2026-04-14T09:10:00Z", total: 2, good: 2), topic: machine, key: "DE01|M01")
        #expect(driver.records(output: "dlq").isEmpty, "\(deadLetters(driver))")
        let notification = try #require(
            driver.records(output: "erp").first { $0.string("txnType") == "maintenance_notification" })
        #expect(notification.string("technicalObject") == "11004701")
        #expect(notification.string("malfunctionStart.time") == "10:20:00")
        let oee = try #require(driver.records(output: "oee").first)
        #expect(oee.json?["totalCount"] == 4)
        #expect(oee.json?["goodCount"] == 3)
        #expect(oee.string("window.start") == "2026-04-14T08:00:00.000Z")
        #expect(oee.string("businessDate") == "2026-04-14")
        #expect(oee.string("recordId") != nil)
        #expect(oee.json?["downtimeSec"]?["EQUIPMENT_FAILURE"] == "1200")
    }

    /// Consumption reported in grams and in kilograms within one hour is converted per event and posted as one
    /// goods issue in the base unit; the third-decimal rounding residue moves to the next window (a window whose
    /// rounded quantity is zero posts nothing), so the posted total equals the exact total minus the residue.
    @Test func goodsIssuesMixEntryUnitsWithoutDrift() throws {
        let driver = try driver()
        var id = 500
        func consume(_ qty: String, _ uom: String, at time: String) throws {
            id += 1
            try driver.send(
                Events.consumed(id: id, at: time, qty: qty, uom: uom, batch: "B240312", order: "1000121"),
                topic: "mfg.production.v1", key: "DE01|1000121")
        }
        try consume("1.25", "KGM", at: "2026-04-14T08:05:00Z")  // 08:00 window: 1.2508 kg → 1.251, residue −0.0002
        try consume("0.4", "GRM", at: "2026-04-14T08:10:00Z")
        try consume("0.4", "GRM", at: "2026-04-14T08:20:00Z")
        try consume("0.1", "GRM", at: "2026-04-14T09:10:00Z")  // 09:00 window: −0.0001 → 0.000, not posted
        try consume("2", "KGM", at: "2026-04-14T10:30:00Z")  // 10:00 window: 1.9999 → 2.000
        try consume("1", "KGM", at: "2026-04-14T11:30:00Z")  // closes the 10:00 window; its own stays open
        #expect(driver.records(output: "dlq").isEmpty, "\(deadLetters(driver))")
        let issues = driver.records(output: "erp").filter { $0.string("txnType") == "goods_issue" }
        #expect(issues.map { $0.string("qty.value") } == ["1.251", "2.000"])
        #expect(issues.map { $0.string("qty.uom") } == ["KGM", "KGM"])
        #expect(issues.map { $0.string("movementType") } == ["261", "261"])
    }
}
