import Engine
import JSON
import PlantStreamTesting
import Testing
import Timekeeping
import Topology

@Suite struct DeterminismTests {
    static let unitRows: [JSONValue] = [
        ["plantId": "DE01", "materialId": "FG-1", "uom": "ST", "numerator": "1", "denominator": "1", "baseUom": "ST"],
        [
            "plantId": "DE01", "materialId": "FG-1", "uom": "KAR", "numerator": "12", "denominator": "1",
            "baseUom": "ST",
        ],
        ["plantId": "DE01", "materialId": "FG-1", "uom": "H87", "numerator": "1", "denominator": "1", "baseUom": "ST"],
    ]

    @Test func unitConversionCarriesTheResidueSoTotalsNeverDrift() throws {
        let window = Fixtures.confirmationWindow(emitEarly: X.op(.greaterOrEqual, X.path("reports"), X.number("1")))
        let convert = X.call("convert", X.path("yield"), X.path("unit"), X.string("KAR"), X.string("FG-1"))
        let pipeline = Fixtures.confirmations(
            window, tail: Fixtures.confirmationTail(yieldValue: convert, uom: X.string("KAR")))
        let driver = try Fixtures.driver(
            Fixtures.topology(pipelines: [pipeline], units: true), tables: ["material_uom": Self.unitRows])
        let start = RFC3339.parse("2026-04-14T10:00:00Z")!
        for index in 0..<10_000 {
            var event = Events.operation(id: index + 1, at: RFC3339.string(start + Int64(index) * 50), yield: "1")
            if case .object(var object) = event {
                object.members.removeAll { $0.key == "ingestedAt" }
                object.members.append(.init(key: "ingestedAt", value: "2026-04-14T11:00:00Z"))
                event = .object(object)
            }
            try driver.send(event)
        }
        let outputs = driver.records(output: "erp")
        let dead = driver.records(output: "dlq")
        #expect(dead.isEmpty, "\(dead.count) dead letters, first: \(dead.first?.header("ps_error_message") ?? "")")
        #expect(outputs.count == 10_000)
        var total = ExactDecimal.zero
        var smallest = ExactDecimal(1)
        for output in outputs {
            let value = try ExactDecimal(parsing: output.string("yield.value") ?? "x")
            total = try total.adding(value)
            smallest = min(smallest, value)
        }
        // 10,000 pieces are 833.333… cartons; rounding each 1/12 alone would post 830.000.
        #expect(total == (try ExactDecimal(parsing: "833.333")))
        #expect(smallest == (try ExactDecimal(parsing: "0.083")))
        #expect(outputs.last?.json?["window"]?["revision"] == 9999)
    }

    /// A mixed script: windows with threshold and late deltas, duplicates, a held lot, idle time.
    static func runScript(_ driver: TopologyTestDriver, restartAfter: Int? = nil) throws {
        var step = 0
        func maybeRestart() throws {
            step += 1
            if step == restartAfter { try driver.restartTask(topic: Fixtures.productionTopic) }
        }
        driver.pipeTableRecord(
            topic: Fixtures.lotStatusTopic, key: "DE01|RM-100|B240311",
            value: #"{"plantId":"DE01","materialId":"RM-100","batchId":"B240311","status":"HELD","holdId":"H-1"}"#)
        let events: [JSONValue] = [
            Events.operation(id: 1, at: "2026-03-29T00:50:00Z", yield: "6"),
            Events.consumed(id: 2, at: "2026-03-29T00:55:00Z", qty: "2.5"),
            Events.operation(id: 3, at: "2026-03-29T00:52:00Z", yield: "7", scrap: "1"),
            Events.operation(id: 3, at: "2026-03-29T00:52:00Z", yield: "7", scrap: "1"),
            Events.operation(id: 4, at: "2026-03-29T01:05:00Z", order: "1000124", yield: "1"),
            Events.consumed(id: 5, at: "2026-03-29T01:10:00Z", qty: "1.25", batch: "B2"),
            Events.operation(id: 6, at: "2026-03-29T01:20:00Z", yield: "2"),
            Events.operation(id: 7, at: "2026-03-29T00:58:00Z", yield: "3"),  // late: post_delta
            Events.consumed(id: 8, at: "2026-03-29T02:40:00Z", qty: "4"),
            Events.operation(id: 9, at: "2026-03-29T02:45:00Z", yield: "20", completed: true),
            Events.consumed(id: 10, at: "2026-03-29T03:30:00Z", qty: "1", batch: "B3"),
        ]
        for event in events {
            try driver.send(event)
            try maybeRestart()
        }
        driver.advanceWallClock(by: 3_600_000)
        try maybeRestart()
        driver.pipeTableRecord(
            topic: Fixtures.lotStatusTopic, key: "DE01|RM-100|B240311",
            value: #"{"plantId":"DE01","materialId":"RM-100","batchId":"B240311","status":"RELEASED"}"#)
        driver.flush()
    }

    static func topology() -> Topology {
        let window = Fixtures.confirmationWindow(
            alignment: .plantLocal, split: true, outOfOrderness: .minutes(2), grace: .minutes(3), idle: .minutes(5),
            emitEarly: X.op(.greaterOrEqual, X.path("yield"), X.number("10")),
            closeWhen: X.op(.equal, X.path("type"), X.string("operation.completed")), late: .postDelta)
        return Fixtures.topology(pipelines: [Fixtures.confirmations(window, dedupe: true), HoldStepTests.goodsIssues()])
    }

    static func outputs(_ driver: TopologyTestDriver) -> [TestRecord] {
        driver.allRecords.filter { $0.kind != .changelog }
    }

    @Test func replayingTheSameInputGivesByteIdenticalOutputs() throws {
        let start = RFC3339.parse("2026-03-29T01:00:00Z")!
        let first = try Fixtures.driver(Self.topology(), wallClock: start)
        try Self.runScript(first)
        let second = try Fixtures.driver(Self.topology(), wallClock: start + 86_400_000)
        try Self.runScript(second)
        let a = Self.outputs(first)
        let b = Self.outputs(second)
        #expect(a.count >= 8)
        #expect(a == b)
        #expect(
            first.records(output: "dlq").isEmpty,
            "\(first.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        let keys = a.filter { $0.name == "erp" }.compactMap { $0.string("idempotencyKey") }
        #expect(Set(keys).count == keys.count, "idempotency keys are unique: \(keys)")
        #expect(a.contains { $0.json?["window"]?["revision"] == 1 })
        #expect(a.contains { $0.string("finalType") == "FINAL" })
        #expect(a.contains { $0.string("exceptionKind") == "RELEASED" })
    }

    @Test(arguments: [1, 3, 5, 8, 10, 12])
    func restoringFromTheChangelogGivesTheSameResultsAsAnUninterruptedRun(restartAfter: Int) throws {
        let start = RFC3339.parse("2026-03-29T01:00:00Z")!
        let uninterrupted = try Fixtures.driver(Self.topology(), wallClock: start)
        try Self.runScript(uninterrupted)
        let restarted = try Fixtures.driver(Self.topology(), wallClock: start)
        try Self.runScript(restarted, restartAfter: restartAfter)
        #expect(Self.outputs(restarted) == Self.outputs(uninterrupted))
    }

    @Test func flushWritesOneChangelogRecordPerChangedKey() throws {
        let driver = try Fixtures.driver(
            Fixtures.topology(pipelines: [Fixtures.confirmations(Fixtures.confirmationWindow(late: .drop))]))
        for index in 0..<50 {
            try driver.send(Events.operation(id: index + 1, at: "2026-04-14T10:0\(index % 10):00Z", yield: "1"))
        }
        driver.flush()
        let records = driver.changelogRecords(store: "confirmations-window")
        // One window key and the stream-time entry, however many events changed them.
        #expect(records.count == 2)
        #expect(
            records.allSatisfy {
                $0.partition == 0 && $0.topic == "plantstream-eu-central-confirmations-window-changelog"
            })
        driver.flush()
        #expect(driver.changelogRecords(store: "confirmations-window").count == 2)
        try driver.send(Events.operation(id: 99, at: "2026-04-14T10:30:00Z", yield: "1"))
        driver.flush()
        // The closed window is forgotten (tombstone), a new one opens, stream time moved.
        let after = driver.changelogRecords(store: "confirmations-window").dropFirst(2)
        #expect(after.count == 3)
        #expect(after.contains { $0.value == nil })
    }
}
