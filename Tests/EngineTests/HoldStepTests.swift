import Engine
import JSON
import PlantStreamTesting
import Testing
import Topology

@Suite struct HoldStepTests {
    static func goodsIssues() -> Pipeline {
        let named = Fixtures.named
        return Pipeline(
            name: "goods-issues", source: "production", types: ["material.consumed"], deadLetter: "dlq",
            exceptions: "exceptions",
            steps: [
                Fixtures.step(.validate(ValidateStep())),
                Fixtures.step(
                    .window(
                        WindowStep(
                            groupBy: [
                                named("plantId", X.path("plantId")), named("orderId", X.path("data.orderId")),
                                named("materialId", X.path("data.materialId")),
                                named("batchId", X.path("data.lot.batchId")),
                                named("storageLocationId", X.path("data.storageLocationId")),
                            ], shape: .tumbling(size: .hours(1)), alignment: .plantLocal, splitAtLocalMidnight: true,
                            aggregates: [
                                Aggregate(
                                    name: "net", function: .sum, argument: X.path("data.qty.value"), location: here),
                                Aggregate(
                                    name: "unit", function: .last, argument: X.path("data.qty.uom"), location: here),
                            ], late: .postDelta))),
                Fixtures.step(
                    .map(
                        MapStep(fields: [
                            named("plantId", X.path("plantId")), named("goodsMovementCode", X.string("03")),
                            named("orderId", X.path("orderId")), named("materialId", X.path("materialId")),
                            named("batchId", X.path("batchId")),
                            named("storageLocationId", X.path("storageLocationId")),
                            named("qty.value", X.call("round", X.path("net"), X.number("3"))),
                            named("qty.uom", X.path("unit")), named("movementType", X.string("261")),
                        ]))),
                Fixtures.step(
                    .hold(
                        HoldStep(
                            table: "lot_status", lot: [X.path("plantId"), X.path("materialId"), X.path("batchId")],
                            heldWhen: X.op(.equal, X.path("status"), X.string("HELD")),
                            cancelWhen: X.op(.equal, X.path("disposition"), X.string("SCRAP"))))),
                Fixtures.step(
                    .emit(
                        EmitStep(
                            output: "erp", schema: "erp.goods_issue/v1", key: [X.path("plantId"), X.path("orderId")],
                            idempotencyKey: [
                                X.path("GI"), X.path("plantId"), X.path("orderId"), X.path("materialId"),
                                X.path("batchId"), X.path("storageLocationId"),
                            ]))),
            ], location: here)
    }

    let lot = "DE01|RM-100|B240311"

    func hold(_ driver: TopologyTestDriver) {
        driver.pipeTableRecord(
            topic: Fixtures.lotStatusTopic, key: lot,
            value: #"{"plantId":"DE01","materialId":"RM-100","batchId":"B240311","status":"HELD","holdId":"H-17"}"#)
    }

    func parkTwoPostings(_ driver: TopologyTestDriver) throws {
        hold(driver)
        try driver.send(Events.consumed(id: 1, at: "2026-04-14T08:05:00Z", qty: "2.500"))
        try driver.send(Events.consumed(id: 2, at: "2026-04-14T08:20:00Z", qty: "1.500"))
        try driver.send(Events.consumed(id: 3, at: "2026-04-14T09:30:00Z", qty: "1", batch: "B2"))  // closes 08:00
        // Closes B2's 09:00 window.
        try driver.send(Events.consumed(id: 4, at: "2026-04-14T10:10:00Z", qty: "3", batch: "B240311"))
        try driver.send(Events.consumed(id: 5, at: "2026-04-14T11:05:00Z", qty: "1", batch: "B9"))  // closes 10:00
    }

    @Test func heldLotPostingsAreParkedThenReleasedInOrder() throws {
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Self.goodsIssues()]))
        try parkTwoPostings(driver)
        #expect(
            driver.records(output: "dlq").isEmpty,
            "\(driver.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        let direct = driver.records(output: "erp")
        try #require(direct.count == 1)
        #expect(direct[0].string("batchId") == "B2")
        let parked = driver.records(output: "exceptions")
        try #require(parked.count == 2)
        for exception in parked {
            #expect(exception.string("exceptionKind") == "PARKED")
            #expect(exception.string("reasonCode") == "QUALITY_HOLD")
            #expect(exception.string("holdId") == "H-17")
            #expect(exception.string("txn.batchId") == "B240311")
            #expect(exception.string("plantId") == "DE01")
        }
        #expect(parked[0].string("txn.qty.value") == "4.000")
        #expect(parked[1].string("txn.qty.value") == "3.000")
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.parked == 2)

        driver.clearRecords()
        driver.pipeTableRecord(
            topic: Fixtures.lotStatusTopic, key: lot,
            value:
                #"{"plantId":"DE01","materialId":"RM-100","batchId":"B240311","status":"RELEASED","disposition":"RELEASE"}"#
        )
        let released = driver.records(output: "erp")
        try #require(released.count == 2)
        #expect(released[0].string("qty.value") == "4.000")
        #expect(released[1].string("qty.value") == "3.000")
        #expect(released[0].string("txnId") == parked[0].string("txn.txnId"))
        #expect(released[0].valueString == Events.text(parked[0].json!["txn"]!))
        let notice = driver.records(output: "exceptions")
        try #require(notice.count == 1)
        #expect(notice[0].string("exceptionKind") == "RELEASED")
        #expect(notice[0].string("reasonCode") == "HOLD_RELEASED")
        #expect(
            notice[0].json?["releasedTxnIds"] == [
                .string(released[0].string("txnId")!), .string(released[1].string("txnId")!),
            ])
        let metrics = try #require(driver.metrics(topic: Fixtures.productionTopic))
        #expect(metrics.parked == 0)
        #expect(metrics.released == 2)
        #expect(driver.records(output: "dlq").isEmpty)
        // Nothing stays parked: a later change of the row releases nothing more.
        driver.clearRecords()
        hold(driver)
        #expect(driver.allRecords.filter { $0.kind != .changelog }.isEmpty)
    }

    @Test func scrapDispositionCancelsParkedPostings() throws {
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Self.goodsIssues()]))
        try parkTwoPostings(driver)
        driver.clearRecords()
        driver.pipeTableRecord(
            topic: Fixtures.lotStatusTopic, key: lot,
            value:
                #"{"plantId":"DE01","materialId":"RM-100","batchId":"B240311","status":"RELEASED","disposition":"SCRAP"}"#
        )
        #expect(driver.records(output: "erp").isEmpty)
        let cancelled = driver.records(output: "exceptions")
        try #require(cancelled.count == 2)
        for exception in cancelled {
            #expect(exception.string("exceptionKind") == "CANCELLED")
            #expect(exception.string("reasonCode") == "HOLD_DISPOSITION_SCRAP")
            #expect(exception.string("holdId") == "H-17")
        }
        #expect(cancelled[0].string("txn.qty.value") == "4.000")
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.cancelled == 2)
        #expect(driver.records(output: "dlq").isEmpty)
    }

    @Test func parkedPostingsSurviveARestartFromTheChangelog() throws {
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Self.goodsIssues()]))
        try parkTwoPostings(driver)
        driver.flush()
        #expect(driver.changelogRecords(store: "goods-issues-hold").count >= 3)
        try driver.restartTask(topic: Fixtures.productionTopic)
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.parked == 2)
        driver.clearRecords()
        driver.pipeTableRecord(
            topic: Fixtures.lotStatusTopic, key: lot,
            value: #"{"plantId":"DE01","materialId":"RM-100","batchId":"B240311","status":"RELEASED"}"#)
        let released = driver.records(output: "erp")
        #expect(released.compactMap { $0.string("qty.value") } == ["4.000", "3.000"])
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.parked == 0)
    }

    @Test func aReleaseWhileThePartitionWasAwayIsAppliedAfterRestore() throws {
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Self.goodsIssues()]))
        try parkTwoPostings(driver)
        driver.flush()
        // The lot is released while no task of this partition is running.
        try driver.task(topic: Fixtures.productionTopic).close()
        driver.pipeTableRecord(
            topic: Fixtures.lotStatusTopic, key: lot,
            value: #"{"plantId":"DE01","materialId":"RM-100","batchId":"B240311","status":"RELEASED"}"#)
        driver.clearRecords()
        try driver.restartTask(topic: Fixtures.productionTopic)
        #expect(driver.records(output: "erp").compactMap { $0.string("qty.value") } == ["4.000", "3.000"])
    }
}
