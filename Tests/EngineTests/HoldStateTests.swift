import Engine
import JSON
import PlantStreamTesting
import Testing
import Topology

/// Parked postings survive what a topology change or a bad lot-status row can do to them: they are stored by
/// output name (not an index), kept and reported when their output is gone, and a hold check that cannot decide
/// parks (fail safe).
@Suite struct HoldStateTests {
    let held = HoldStepTests()

    /// The goods-issues pipeline with its emit writing to `output`.
    static func goodsIssues(output: String) -> Pipeline {
        var pipeline = HoldStepTests.goodsIssues()
        if case .emit(var emit) = pipeline.steps[pipeline.steps.count - 1].kind {
            emit.output = output
            pipeline.steps[pipeline.steps.count - 1] = Fixtures.step(.emit(emit))
        }
        return pipeline
    }

    /// A topology whose outputs are listed in another order, plus an extra `erp-b` output first.
    static func reordered(_ pipelines: [Pipeline]) -> Topology {
        var topology = Fixtures.topology(pipelines: pipelines)
        topology.outputs.insert(Output(name: "erp-b", topic: "erp.txn.b", location: here), at: 0)
        topology.outputs.reverse()
        return topology
    }

    /// Parks two postings in a first driver and returns its changelog records.
    func parkedChangelog() throws -> [TestRecord] {
        let first = try Fixtures.driver(Fixtures.topology(pipelines: [HoldStepTests.goodsIssues()]))
        try held.parkTwoPostings(first)
        first.flush()
        return first.changelogRecords(store: "goods-issues-hold")
    }

    func restore(_ records: [TestRecord], into driver: TopologyTestDriver) throws {
        let task = try driver.task(topic: Fixtures.productionTopic)
        for record in records {
            try (record.key ?? []).withUnsafeBytes { key in
                if let value = record.value {
                    try value.withUnsafeBytes { try task.restore(topic: record.topic, key: key, value: $0) }
                } else {
                    try task.restore(topic: record.topic, key: key, value: nil)
                }
            }
        }
    }

    func release(_ driver: TopologyTestDriver) {
        driver.pipeTableRecord(
            topic: Fixtures.lotStatusTopic, key: held.lot,
            value: #"{"plantId":"DE01","materialId":"RM-100","batchId":"B240311","status":"RELEASED"}"#)
    }

    @Test func aRestoredPostingGoesToItsOutputByNameAfterTheOutputsWereReordered() throws {
        let changelog = try parkedChangelog()
        let driver = try Fixtures.driver(Self.reordered([HoldStepTests.goodsIssues()]))
        try restore(changelog, into: driver)
        release(driver)
        #expect(driver.records(topic: "erp.txn.v1").compactMap { $0.string("qty.value") } == ["4.000", "3.000"])
        #expect(driver.records(topic: "erp.txn.b").isEmpty)
    }

    @Test func aPostingForAnOutputThatIsGoneStaysParkedAndIsReported() throws {
        let changelog = try parkedChangelog()
        // The emit now writes to `cycles`; the parked postings were for `erp`, which this topology still has —
        // so rename the destination away entirely: a topology without an `erp` output.
        var topology = Fixtures.topology(pipelines: [Self.goodsIssues(output: "cycles")])
        topology.outputs.removeAll { $0.name == "erp" }
        let driver = try Fixtures.driver(topology)
        try restore(changelog, into: driver)
        try driver.task(topic: Fixtures.productionTopic).restoreCompleted()  // reports them once
        driver.clearRecords()
        release(driver)  // and again: the lot is free, the output still gone
        #expect(driver.records(topic: "erp.txn.v1").isEmpty)
        #expect(driver.records(output: "cycles").isEmpty)
        let reports = driver.records(output: "exceptions")
        try #require(reports.count == 2)
        for report in reports {
            #expect(report.string("exceptionKind") == "PARKED")
            #expect(report.string("reasonCode") == "OUTPUT_UNKNOWN")
            #expect(report.string("message")?.contains("output 'erp'") == true)
        }
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.parked == 2, "nothing was dropped")
    }

    /// The goods-issues pipeline held while the row's `level + 1 > 1` (a text level cannot be added to).
    static func heldByLevel() -> Pipeline {
        var pipeline = HoldStepTests.goodsIssues()
        for (index, step) in pipeline.steps.enumerated() {
            guard case .hold(var hold) = step.kind else { continue }
            hold.heldWhen = X.op(.greater, X.op(.add, X.path("level"), X.number("1")), X.number("1"))
            pipeline.steps[index] = Fixtures.step(.hold(hold))
        }
        return pipeline
    }

    @Test func aHoldCheckThatFailsParksThePosting() throws {
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Self.heldByLevel()]))
        driver.pipeTableRecord(
            topic: Fixtures.lotStatusTopic, key: held.lot,
            value: #"{"plantId":"DE01","materialId":"RM-100","batchId":"B240311","level":"high"}"#)
        try driver.send(Events.consumed(id: 1, at: "2026-04-14T08:05:00Z", qty: "2"))
        try driver.send(Events.consumed(id: 2, at: "2026-04-14T09:30:00Z", qty: "1", batch: "B2"))
        try driver.send(Events.consumed(id: 3, at: "2026-04-14T10:40:00Z", qty: "1", batch: "B3"))
        #expect(driver.records(output: "erp").compactMap { $0.string("batchId") } == ["B2"])
        let parked = driver.records(output: "exceptions")
        try #require(parked.count == 1)
        #expect(parked[0].string("reasonCode") == "HOLD_CHECK_FAILED")
        #expect(parked[0].string("message")?.contains("heldWhen failed") == true)
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.parked == 1)
    }
}
