import Engine
import JSON
import PlantStreamTesting
import Testing
import Timekeeping
import Topology

@Suite struct WindowStepTests {
    func ms(_ text: String) -> Int64 { RFC3339.parse(text)! }

    @Test func confirmationWindowClosesWhenTheWatermarkPassesItsEnd() throws {
        let driver = try Fixtures.driver(
            Fixtures.topology(pipelines: [Fixtures.confirmations(Fixtures.confirmationWindow())]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:01:00Z", yield: "5"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:07:30Z", yield: "7", scrap: "1"))
        #expect(driver.records(output: "erp").isEmpty)
        try driver.send(Events.operation(id: 3, at: "2026-04-14T10:16:00Z", yield: "1"))
        let outputs = driver.records(output: "erp")
        #expect(
            driver.records(output: "dlq").isEmpty,
            "\(driver.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        try #require(outputs.count == 1)
        let txn = outputs[0]
        #expect(txn.keyString == "DE01|1000123")
        #expect(txn.string("txnType") == "production_confirmation")
        #expect(txn.string("yield.value") == "12")
        #expect(txn.string("scrap.value") == "1")
        #expect(txn.string("window.start") == "2026-04-14T10:00:00.000Z")
        #expect(txn.string("window.end") == "2026-04-14T10:15:00.000Z")
        #expect(txn.json?["window"]?["sizeSec"] == 900)
        #expect(txn.json?["window"]?["revision"] == 0)
        #expect(txn.string("finalType") == "PARTIAL")
        #expect(txn.string("idempotencyKey") == "CONF|DE01|1000123|0|0010|2026-04-14T10:00:00Z|900|0")
        #expect(txn.string("txnId") == UUIDv5.string(name: "CONF|DE01|1000123|0|0010|2026-04-14T10:00:00Z|900|0"))
        #expect(txn.string("postingDate") == "2026-04-14")
        #expect(txn.string("createdAt") == "2026-04-14T10:07:30.000Z")
        #expect(txn.json?["sources"]?["count"] == 2)
        #expect(txn.json?["sources"]?["eventIds"] == [.string(Events.id(1)), .string(Events.id(2))])
        #expect(txn.json?["lineage"] == ["topic": "mfg.production.v1", "partition": 0, "fromOffset": 0, "toOffset": 1])
        #expect(txn.string("correlationId") == Events.id(1))
        #expect(txn.timestamp == ms("2026-04-14T10:07:30Z"))
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.windowEmissions == 1)
    }

    @Test func outOfOrdernessAndGraceDelayTheClose() throws {
        let window = Fixtures.confirmationWindow(outOfOrderness: .minutes(2), grace: .minutes(5))
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Fixtures.confirmations(window)]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:01:00Z", yield: "5"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:21:59Z", yield: "1"))  // watermark 10:19:59
        #expect(driver.records(output: "erp").isEmpty)
        try driver.send(Events.operation(id: 3, at: "2026-04-14T10:12:00Z", yield: "2"))  // out of order, in time
        try driver.send(Events.operation(id: 4, at: "2026-04-14T10:22:00Z", yield: "1"))  // watermark 10:20
        let outputs = driver.records(output: "erp")
        try #require(outputs.count == 1)
        #expect(outputs[0].string("yield.value") == "7")
    }

    @Test func thresholdEmitsEarlyAndTheRestFollowsWithTheNextRevision() throws {
        let window = Fixtures.confirmationWindow(emitEarly: X.op(.greaterOrEqual, X.path("yield"), X.number("10")))
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Fixtures.confirmations(window)]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:01:00Z", yield: "6"))
        #expect(driver.records(output: "erp").isEmpty)
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:02:00Z", yield: "5"))
        try driver.send(Events.operation(id: 3, at: "2026-04-14T10:03:00Z", yield: "3"))
        try driver.send(Events.operation(id: 4, at: "2026-04-14T10:30:00Z", yield: "1"))
        let outputs = driver.records(output: "erp")
        try #require(outputs.count == 2)
        #expect(outputs[0].string("yield.value") == "11")
        #expect(outputs[0].json?["window"]?["revision"] == 0)
        #expect(outputs[0].string("idempotencyKey")?.hasSuffix("|900|0") == true)
        #expect(outputs[1].string("yield.value") == "3")
        #expect(outputs[1].json?["window"]?["revision"] == 1)
        #expect(outputs[1].json?["sources"]?["count"] == 1)
        #expect(outputs[1].string("idempotencyKey")?.hasSuffix("|900|1") == true)
        #expect(outputs[0].string("txnId") != outputs[1].string("txnId"))
    }

    @Test func idlePartitionClosesByWallClock() throws {
        let window = Fixtures.confirmationWindow(outOfOrderness: .minutes(1), grace: .minutes(2), idle: .minutes(5))
        let start = ms("2026-04-14T10:02:00Z")
        let driver = try Fixtures.driver(
            Fixtures.topology(pipelines: [Fixtures.confirmations(window)]), wallClock: start)
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:01:00Z", yield: "4"))
        driver.advanceWallClock(by: 4 * 60_000)  // 10:06: not idle long enough
        #expect(driver.records(output: "erp").isEmpty)
        driver.advanceWallClock(by: 2 * 60_000)  // 10:08: idle, watermark 10:07 < 10:17
        #expect(driver.records(output: "erp").isEmpty)
        driver.advanceWallClock(by: 10 * 60_000)  // 10:18: watermark 10:17 = end + grace
        let outputs = driver.records(output: "erp")
        try #require(outputs.count == 1)
        #expect(outputs[0].string("yield.value") == "4")
        #expect(outputs[0].string("window.end") == "2026-04-14T10:15:00.000Z")
        // createdAt stays event-time derived even though the wall clock closed the window.
        #expect(outputs[0].string("createdAt") == "2026-04-14T10:01:00.000Z")
    }

    @Test func closeWhenPostsTheFinalConfirmationAtOnce() throws {
        let window = Fixtures.confirmationWindow(
            closeWhen: X.op(.equal, X.path("type"), X.string("operation.completed")))
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Fixtures.confirmations(window)]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:01:00Z", yield: "5"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:04:00Z", yield: "3", completed: true))
        let outputs = driver.records(output: "erp")
        try #require(outputs.count == 1)
        #expect(outputs[0].string("finalType") == "FINAL")
        #expect(outputs[0].string("yield.value") == "8")
    }

    @Test(arguments: [
        // Berlin spring forward: the local day has 23 hours.
        ("DE01", "2026-03-29T10:00:00Z", "2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z", 82_800, "2026-03-29"),
        // Berlin fall back: 25 hours.
        ("DE01", "2026-10-25T10:00:00Z", "2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z", 90_000, "2026-10-25"),
        // Chicago spring forward.
        ("US01", "2026-03-08T12:00:00Z", "2026-03-08T06:00:00.000Z", "2026-03-09T05:00:00.000Z", 82_800, "2026-03-08"),
        // Chicago fall back.
        ("US01", "2026-11-01T12:00:00Z", "2026-11-01T05:00:00.000Z", "2026-11-02T06:00:00.000Z", 90_000, "2026-11-01"),
    ])
    func plantLocalDaysFollowDST(
        plant: String, time: String, start: String, end: String, size: Int64, postingDate: String
    ) throws {
        let window = Fixtures.confirmationWindow(
            shape: .tumbling(size: .hours(24)), alignment: .plantLocal, split: true)
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Fixtures.confirmations(window)]))
        try driver.send(Events.operation(id: 1, at: time, yield: "2", plant: plant))
        try driver.send(Events.operation(id: 2, at: "2026-12-31T00:00:00Z", yield: "1", plant: plant))
        let outputs = driver.records(output: "erp")
        #expect(driver.records(output: "dlq").isEmpty)
        try #require(outputs.count == 1)
        #expect(outputs[0].string("window.start") == start)
        #expect(outputs[0].string("window.end") == end)
        #expect(outputs[0].json?["window"]?["sizeSec"] == .number(JSONNumber(size)))
        #expect(outputs[0].string("postingDate") == postingDate)
    }

    @Test func utcWindowsAreSplitAtPlantLocalMidnight() throws {
        // 6-hour UTC windows in Berlin on the spring-forward day: local midnight of 2026-03-30 is 22:00 UTC.
        let window = Fixtures.confirmationWindow(shape: .tumbling(size: .hours(6)), alignment: .utc, split: true)
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Fixtures.confirmations(window)]))
        try driver.send(Events.operation(id: 1, at: "2026-03-29T21:30:00Z", yield: "2"))
        try driver.send(Events.operation(id: 2, at: "2026-03-29T22:30:00Z", yield: "3"))
        try driver.send(Events.operation(id: 3, at: "2026-03-30T06:00:00Z", yield: "1"))
        let outputs = driver.records(output: "erp")
        try #require(outputs.count == 2)
        #expect(outputs[0].string("window.start") == "2026-03-29T18:00:00.000Z")
        #expect(outputs[0].string("window.end") == "2026-03-29T22:00:00.000Z")
        #expect(outputs[0].string("postingDate") == "2026-03-29")
        #expect(outputs[1].string("window.start") == "2026-03-29T22:00:00.000Z")
        #expect(outputs[1].string("window.end") == "2026-03-30T00:00:00.000Z")
        #expect(outputs[1].string("postingDate") == "2026-03-30")
    }

    @Test func latePostDeltaPostsAnAdditiveRevision() throws {
        let driver = try Fixtures.driver(
            Fixtures.topology(pipelines: [Fixtures.confirmations(Fixtures.confirmationWindow(late: .postDelta))]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:01:00Z", yield: "5"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:20:00Z", yield: "1"))
        try driver.send(Events.operation(id: 3, at: "2026-04-14T10:05:00Z", yield: "2"))  // late for 10:00-10:15
        let outputs = driver.records(output: "erp")
        try #require(outputs.count == 2)
        #expect(outputs[0].string("yield.value") == "5")
        #expect(outputs[1].string("yield.value") == "2")
        #expect(outputs[1].json?["window"]?["revision"] == 1)
        #expect(outputs[1].string("window.start") == "2026-04-14T10:00:00.000Z")
        #expect(outputs[1].json?["sources"]?["eventIds"] == [.string(Events.id(3))])
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.lateDeltas == 1)
        // A late event for a window that never existed posts revision 0.
        try driver.send(Events.operation(id: 4, at: "2026-04-14T09:50:00Z", yield: "9"))
        let late = driver.records(output: "erp").last
        #expect(late?.string("window.start") == "2026-04-14T09:45:00.000Z")
        #expect(late?.json?["window"]?["revision"] == 0)
    }

    @Test func lateDeadLetterKeepsTheOriginalRecord() throws {
        let driver = try Fixtures.driver(
            Fixtures.topology(pipelines: [Fixtures.confirmations(Fixtures.confirmationWindow(late: .deadLetter))]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:01:00Z", yield: "5"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:20:00Z", yield: "1"))
        let lateEvent = Events.text(Events.operation(id: 3, at: "2026-04-14T10:05:00Z", yield: "2"))
        try driver.pipe(
            topic: Fixtures.productionTopic, key: "DE01|1000123", value: lateEvent, headers: [("trace", "t-1")])
        let dead = driver.records(output: "dlq")
        try #require(dead.count == 1)
        #expect(dead[0].valueString == lateEvent)
        #expect(dead[0].keyString == "DE01|1000123")
        #expect(dead[0].header("trace") == "t-1")
        #expect(dead[0].header("ps_error_code") == "LATE_EVENT")
        #expect(dead[0].header("ps_source_offset") == "2")
        #expect(dead[0].header("ps_source_topic") == Fixtures.productionTopic)
        #expect(dead[0].header("ps_pipeline") == "confirmations")
        #expect(dead[0].header("ps_schema_id") == "operation.reported/v1")
        #expect(driver.records(output: "erp").count == 1)
    }

    @Test func lateDropIsCounted() throws {
        let driver = try Fixtures.driver(
            Fixtures.topology(pipelines: [Fixtures.confirmations(Fixtures.confirmationWindow(late: .drop))]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:01:00Z", yield: "5"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:20:00Z", yield: "1"))
        try driver.send(Events.operation(id: 3, at: "2026-04-14T10:05:00Z", yield: "2"))
        #expect(driver.records(output: "erp").count == 1)
        #expect(driver.records(output: "dlq").isEmpty)
        #expect(driver.metrics(topic: Fixtures.productionTopic)?.lateDropped == 1)
    }

    @Test func hoppingWindowsCountAnEventInEveryCoveringWindow() throws {
        let window = Fixtures.confirmationWindow(shape: .hopping(size: .minutes(15), advance: .minutes(5)))
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Fixtures.confirmations(window)]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:07:00Z", yield: "5"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T11:00:00Z", yield: "1"))
        let starts = driver.records(output: "erp").compactMap { $0.string("window.start") }
        #expect(starts == ["2026-04-14T09:55:00.000Z", "2026-04-14T10:00:00.000Z", "2026-04-14T10:05:00.000Z"])
    }

    @Test func sessionWindowsMergeOnGapsAndSplitOnSilence() throws {
        let window = Fixtures.confirmationWindow(shape: .session(gap: .minutes(10)))
        let driver = try Fixtures.driver(Fixtures.topology(pipelines: [Fixtures.confirmations(window)]))
        try driver.send(Events.operation(id: 1, at: "2026-04-14T10:00:00Z", yield: "1"))
        try driver.send(Events.operation(id: 2, at: "2026-04-14T10:08:00Z", yield: "2"))
        try driver.send(Events.operation(id: 3, at: "2026-04-14T10:30:00Z", yield: "4"))  // closes [10:00, 10:18)
        try driver.send(Events.operation(id: 4, at: "2026-04-14T11:00:00Z", yield: "8"))  // closes [10:30, 10:40)
        let outputs = driver.records(output: "erp")
        try #require(outputs.count == 2)
        #expect(outputs[0].string("yield.value") == "3")
        #expect(outputs[0].string("window.start") == "2026-04-14T10:00:00.000Z")
        #expect(outputs[0].string("window.end") == "2026-04-14T10:18:00.000Z")
        #expect(outputs[1].string("yield.value") == "4")
    }
}
