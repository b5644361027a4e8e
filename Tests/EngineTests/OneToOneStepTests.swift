import Engine
import JSON
import PlantStreamTesting
import Testing
import Topology

/// dedupe, filter, explode, enrich, map and emit on 1:1 postings (goods receipts).
@Suite struct OneToOneStepTests {
    static let materialMaster = Table(
        name: "material_master", origin: .file("material_master.csv"), key: ["plantId", "materialId"], location: here)

    static let materials: [JSONValue] = [["plantId": "DE01", "materialId": "FG-4711", "baseUom": "H87"]]

    static func receiptMap(quantity: Expression = X.path("data.qty.value")) -> Step {
        let named = Fixtures.named
        return Fixtures.step(
            .map(
                MapStep(fields: [
                    named("plantId", X.path("plantId")), named("goodsMovementCode", X.string("02")),
                    named("orderId", X.path("data.orderId")), named("materialId", X.path("data.materialId")),
                    named("batchId", X.path("data.lot.batchId")),
                    named("storageLocationId", X.path("data.storageLocationId")), named("qty.value", quantity),
                    named("qty.uom", X.op(.coalesce, X.path("mat.baseUom"), X.path("data.qty.uom"))),
                    named("stockType", X.string("UNRESTRICTED")), named("movementType", X.string("101")),
                    named("mvtInd", X.string("F")),
                ])))
    }

    static let receiptEmit = Fixtures.step(
        .emit(
            EmitStep(
                output: "erp", schema: "erp.goods_receipt/v1", key: [X.path("plantId"), X.path("orderId")],
                idempotencyKey: [X.path("GR")], periodCheck: true)))

    static func receipts(_ middle: [Step], map: Step = receiptMap()) -> Pipeline {
        Pipeline(
            name: "goods-receipts", source: "production", types: ["material.produced"], deadLetter: "dlq",
            exceptions: "exceptions",
            steps: [Fixtures.step(.validate(ValidateStep()))] + middle + [map, receiptEmit], location: here)
    }

    func driver(_ pipeline: Pipeline) throws -> TopologyTestDriver {
        try Fixtures.driver(
            Fixtures.topology(pipelines: [pipeline], extraTables: [Self.materialMaster]),
            tables: ["material_master": Self.materials])
    }

    static func produced(
        id: Int, at time: String = "2026-04-14T10:00:00Z", material: String = "FG-4711", qty: String = "48",
        plant: String = "DE01", sourceEventId: String? = nil
    ) -> JSONValue {
        Events.envelope(
            id: id, type: "material.produced", plant: plant, at: time, sourceEventId: sourceEventId,
            data: [
                "orderId": "1000123", "materialId": .string(material), "lot": ["batchId": "FG250314A"],
                "qty": Events.qty(qty, "H87"), "storageLocationId": "FG01", "productionType": "MAIN",
            ])
    }

    @Test func oneToOnePostingsCarryTheFullERPHeader() throws {
        let driver = try driver(Self.receipts([]))
        try driver.send(Self.produced(id: 1, at: "2026-04-14T22:30:00Z", sourceEventId: "MES-9"))
        let outputs = driver.records(output: "erp")
        #expect(
            driver.records(output: "dlq").isEmpty,
            "\(driver.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        try #require(outputs.count == 1)
        let txn = try #require(outputs[0].json)
        #expect(txn["schemaVersion"] == 1)
        #expect(txn["txnType"] == "goods_receipt")
        #expect(txn["idempotencyKey"] == "GR|mes://DE01/mes1|MES-9")
        #expect(txn["txnId"] == .string(UUIDv5.string(name: "GR|mes://DE01/mes1|MES-9")))
        #expect(txn["targetSystem"] == "SAP_S4")
        // 22:30 UTC is already the next day in Berlin.
        #expect(txn["postingDate"] == "2026-04-15")
        #expect(txn["documentDate"] == "2026-04-15")
        #expect(txn["createdAt"] == "2026-04-14T22:30:00.000Z")
        #expect(txn["window"] == nil)
        #expect(txn["sources"]?["count"] == 1)
        #expect(txn["sources"]?["eventIds"] == [.string(Events.id(1))])
        #expect(txn["correlationId"] == .string(Events.id(1)))
        #expect(txn["lineage"] == ["topic": "mfg.production.v1", "partition": 0, "fromOffset": 0, "toOffset": 0])
        #expect(txn["qty"] == ["value": "48", "uom": "H87"])
        #expect(outputs[0].keyString == "DE01|1000123")
    }

    @Test func dedupeDropsRepeatsWithinTheTTLAndCountsThem() throws {
        let driver = try driver(Self.receipts([Fixtures.step(.dedupe(DedupeStep(key: [], ttl: .hours(1))))]))
        try driver.send(Self.produced(id: 1, at: "2026-04-14T10:00:00Z", sourceEventId: "MES-1"))
        try driver.send(Self.produced(id: 2, at: "2026-04-14T10:30:00Z", sourceEventId: "MES-1"))  // same source id
        try driver.send(Self.produced(id: 3, at: "2026-04-14T10:31:00Z"))
        try driver.send(Self.produced(id: 3, at: "2026-04-14T10:31:00Z"))  // exact repeat
        #expect(driver.records(output: "erp").count == 2)
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.duplicates == 2)
        // After the TTL (event time) the key is forgotten.
        try driver.send(Self.produced(id: 9, at: "2026-04-14T12:00:00Z"))
        try driver.send(Self.produced(id: 1, at: "2026-04-14T12:01:00Z", sourceEventId: "MES-1"))
        #expect(driver.records(output: "erp").count == 4)
        driver.flush()
        #expect(!driver.changelogRecords(store: "goods-receipts-dedupe").isEmpty)
    }

    @Test func filterKeepsMatchingRecords() throws {
        let filter = Fixtures.step(.filter(FilterStep(when: X.op(.greater, X.path("data.qty.value"), X.number("10")))))
        let driver = try driver(Self.receipts([filter]))
        try driver.send(Self.produced(id: 1, qty: "48"))
        try driver.send(Self.produced(id: 2, qty: "5"))
        #expect(driver.records(output: "erp").compactMap { $0.string("qty.value") } == ["48"])
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.filtered == 1)
    }

    @Test func enrichmentMissGoesToTheDeadLetterOutput() throws {
        let enrich = Fixtures.step(
            .enrich(
                EnrichStep(table: "material_master", key: [X.path("plantId"), X.path("data.materialId")], alias: "mat"))
        )
        let driver = try driver(Self.receipts([enrich]))
        try driver.send(Self.produced(id: 1, material: "FG-4711"))
        try driver.send(Self.produced(id: 2, material: "FG-0000"))
        #expect(driver.records(output: "erp").count == 1)
        let dead = driver.records(output: "dlq")
        try #require(dead.count == 1)
        #expect(dead[0].header("ps_error_code") == "ENRICHMENT_MISSING")
        #expect(dead[0].header("ps_error_message")?.contains("DE01|FG-0000") == true)
        #expect(dead[0].json?["eventId"] == .string(Events.id(2)))
    }

    @Test func enrichmentMissAsExceptionParksThePosting() throws {
        let enrich = Fixtures.step(
            .enrich(
                EnrichStep(
                    table: "material_master", key: [X.path("plantId"), X.path("data.materialId")], alias: "mat",
                    onMissing: .exception)))
        let driver = try driver(Self.receipts([enrich]))
        try driver.send(Self.produced(id: 2, material: "FG-0000"))
        #expect(driver.records(output: "erp").isEmpty)
        let exceptions = driver.records(output: "exceptions")
        try #require(
            exceptions.count == 1, "\(driver.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        #expect(exceptions[0].string("exceptionKind") == "PARKED")
        #expect(exceptions[0].string("reasonCode") == "ENRICHMENT_MISS")
        #expect(exceptions[0].string("txn.materialId") == "FG-0000")
        #expect(exceptions[0].string("idempotencyKey")?.hasPrefix("EXC|PARKED|ENRICHMENT_MISS|") == true)
    }

    @Test func enrichmentMissSkippedContinuesWithoutTheRow() throws {
        let enrich = Fixtures.step(
            .enrich(
                EnrichStep(
                    table: "material_master", key: [X.path("plantId"), X.path("data.materialId")], alias: "mat",
                    onMissing: .skip)))
        let driver = try driver(Self.receipts([enrich]))
        try driver.send(Self.produced(id: 2, material: "FG-0000"))
        #expect(driver.records(output: "erp").first?.string("qty.uom") == "H87")
    }

    @Test func invalidMappingIsADeadLetterWithTheSchemaReason() throws {
        // 48.12345 has more than the 3 decimals an ERP quantity allows.
        let driver = try driver(Self.receipts([], map: Self.receiptMap(quantity: X.number("48.12345"))))
        let offset = try driver.send(Self.produced(id: 1))
        #expect(driver.records(output: "erp").isEmpty)
        let dead = driver.records(output: "dlq")
        try #require(dead.count == 1)
        #expect(dead[0].header("ps_error_code") == "OUTPUT_INVALID")
        #expect(dead[0].header("ps_error_path") == "/qty/value")
        #expect(dead[0].header("ps_error_message")?.contains("erp.goods_receipt/v1") == true)
        #expect(dead[0].header("ps_source_offset") == String(offset))
        #expect(dead[0].json?["eventId"] == .string(Events.id(1)))
    }

    @Test func closedPostingPeriodParksWithAnException() throws {
        // CN01's only open period is May 2026.
        let driver = try driver(Self.receipts([]))
        try driver.send(Self.produced(id: 1, at: "2026-05-10T10:00:00Z", plant: "CN01"), key: "CN01|1000123")
        try driver.send(Self.produced(id: 2, at: "2026-06-10T10:00:00Z", plant: "CN01"), key: "CN01|1000123")
        #expect(driver.records(output: "erp").count == 1)
        let exceptions = driver.records(output: "exceptions")
        try #require(exceptions.count == 1)
        #expect(exceptions[0].string("reasonCode") == "PERIOD_CLOSED")
        #expect(exceptions[0].string("txn.postingDate") == "2026-06-10")
    }

    @Test func unknownPlantIsADeadLetter() throws {
        let driver = try driver(Self.receipts([]))
        try driver.send(Self.produced(id: 1, plant: "XX01"), key: "XX01|1000123")
        #expect(driver.records(output: "dlq").first?.header("ps_error_code") == "UNKNOWN_PLANT")
    }

    @Test func explodeEmitsOnePostingPerElementWithDistinctKeys() throws {
        let named = Fixtures.named
        let pipeline = Pipeline(
            name: "hold-lots", source: "production", types: ["quality.hold.created"], deadLetter: "dlq",
            steps: [
                Fixtures.step(.validate(ValidateStep())),
                Fixtures.step(
                    .explode(ExplodeStep(path: FieldPath(segments: [.member("data"), .member("lots")]), alias: "lot"))),
                Fixtures.step(
                    .map(
                        MapStep(fields: [
                            named("plantId", X.path("plantId")), named("materialId", X.path("data.materialId")),
                            named("batchId", X.path("lot.batchId")), named("status", X.string("HELD")),
                            named("holdId", X.path("data.holdId")),
                        ]))),
                Fixtures.step(
                    .emit(
                        EmitStep(
                            output: "cycles", schema: "",
                            key: [X.path("plantId"), X.path("materialId"), X.path("batchId")],
                            idempotencyKey: [], erpHeader: false))),
            ], location: here)
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [pipeline]))
        let created = Events.envelope(
            id: 1, type: "quality.hold.created", at: "2026-04-14T10:00:00Z",
            data: [
                "holdId": "H-1", "holdType": "LOT", "materialId": "RM-100",
                "lots": [["batchId": "B1"], ["batchId": "B2"], ["batchId": "B3"]], "targetStockType": "BLOCKED",
                "reason": ["code": "Q1", "codeSet": "qms-DE01"], "requestedBy": "QA-1",
            ])
        try driver.send(created, topic: Fixtures.productionTopic, key: "DE01|H-1")
        let rows = driver.records(output: "cycles")
        #expect(
            driver.records(output: "dlq").isEmpty,
            "\(driver.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        #expect(rows.compactMap(\.keyString) == ["DE01|RM-100|B1", "DE01|RM-100|B2", "DE01|RM-100|B3"])
        #expect(
            rows.first?.valueString
                == #"{"plantId":"DE01","materialId":"RM-100","batchId":"B1","status":"HELD","holdId":"H-1"}"#)
    }
}
