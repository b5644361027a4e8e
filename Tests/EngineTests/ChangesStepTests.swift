import Engine
import JSON
import PlantStreamTesting
import Testing
import Topology

/// `changes:` — report by exception on `sparkplug.metric` records read as foreign JSON (the shape the step is for).
@Suite struct ChangesStepTests {
    static let topic = "telemetry.metrics"
    static let t0: Int64 = 1_742_198_400_000

    static let emitUnchanged = "- emit: { output: changed, schema: sparkplug.metric/v1, header: none }"

    static func yaml(_ changes: String, then steps: String = emitUnchanged) -> String {
        """
        application: plantstream
        regions:
          - { name: eu, bootstrapServers: "127.0.0.1:9092" }
        sources:
          - name: metrics
            topic: telemetry.metrics
            key: [group, edgeNode]
            envelope: none
            schema: sparkplug.metric/v1
            eventTime: timestamp
            eventId: eventId
            plant: group
        tables:
          - { name: deadbands, file: deadbands.csv, key: [name] }
        outputs:
          - { name: changed, topic: plant.changed.v1 }
          - { name: dlq, topic: plant.dlq.v1, kind: dead_letter }
        pipelines:
          - name: report-by-exception
            source: metrics
            types: [sparkplug.metric]
            deadLetter: dlq
            steps:
              - validate: {}
              - changes: \(changes)
              \(steps)
        """
    }

    func driver(_ changes: String, then steps: String = emitUnchanged) throws -> TopologyTestDriver {
        try TopologyTestDriver(
            yaml: Self.yaml(changes, then: steps), schemasDirectory: TestPaths.schemas,
            tables: [
                "deadbands": [["name": "Temperature", "absolute": "0.5"], ["name": "Pressure", "absolute": "0.01"]]
            ])
    }

    /// Pipes a metric record; returns whether it passed.
    @discardableResult
    func pipe(
        _ driver: TopologyTestDriver, _ name: String, _ value: String, at offset: Int64 = 0, quality: String = "GOOD",
        device: String = "PRESS-07"
    ) throws -> Bool {
        let before = driver.records(output: "changed").count
        let number = String(driver.allRecords.count + Int(offset) + 1)
        let id = String(repeating: "0", count: max(0, 12 - number.count)) + number
        let record =
            #"{"eventId":"00000000-0000-4000-8000-\#(id.suffix(12))","topic":"spBv1.0/DE01/DDATA/line-4/\#(device)","#
            + #""group":"DE01","messageType":"DDATA","edgeNode":"line-4","device":"\#(device)","name":"\#(name)","#
            + #""datatype":"Double","value":\#(value),"timestamp":\#(Self.t0 + offset),"quality":"\#(quality)"}"#
        try driver.pipe(topic: Self.topic, key: "DE01|line-4", value: record)
        #expect(
            driver.records(output: "dlq").isEmpty,
            "\(driver.records(output: "dlq").map { $0.header("ps_error_message") })")
        return driver.records(output: "changed").count > before
    }

    @Test func numbersPassOnlyBeyondTheAbsoluteDeadband() throws {
        let driver = try driver("{ key: [group, edgeNode, device, name], absolute: 0.5 }")
        let passed = try ["20.0", "20.3", "20.6", "20.9", "21.2", "20.7"].map { try pipe(driver, "Temperature", $0) }
        // Compared with the last value passed on (20.0, then 20.6, then 21.2), not with the previous record.
        #expect(passed == [true, false, true, false, true, false])
        #expect(driver.metrics(topic: Self.topic)?.filtered == 3)
    }

    @Test func thePercentDeadbandIsRelativeToTheLastValuePassed() throws {
        let driver = try driver("{ key: [group, edgeNode, device, name], percent: 2 }")
        let passed = try ["100", "101", "102", "102.5", "100.4", "-3", "-3.05"].map { try pipe(driver, "Speed", $0) }
        #expect(passed == [true, false, false, true, true, true, false])
    }

    @Test func withBothDeadbandsAChangeMustExceedBoth() throws {
        let driver = try driver("{ key: [group, edgeNode, device, name], absolute: 1, percent: 10 }")
        let passed = try ["100", "105", "111", "112.5"].map { try pipe(driver, "Speed", $0) }
        #expect(passed == [true, false, true, false])
    }

    @Test func deadbandsCanComeFromATablePerMetric() throws {
        let driver = try driver(
            "{ key: [group, edgeNode, device, name], absolute: \"lookup('deadbands', 'absolute', name)\" }")
        #expect(try pipe(driver, "Temperature", "20.0"))
        #expect(try !pipe(driver, "Temperature", "20.4"))
        #expect(try pipe(driver, "Pressure", "1.00"))
        #expect(try pipe(driver, "Pressure", "1.02"))
        // No row: no deadband, every change passes.
        #expect(try pipe(driver, "Speed", "7"))
        #expect(try pipe(driver, "Speed", "7.001"))
        #expect(try !pipe(driver, "Speed", "7.001"))
    }

    @Test func textAndFlagsPassWhenTheyDifferAndSeriesAreKeptApart() throws {
        let driver = try driver("{ key: [group, edgeNode, device, name] }")
        let passed = try [
            ("State", "\"RUNNING\"", "PRESS-07"), ("State", "\"RUNNING\"", "PRESS-07"),
            ("State", "\"RUNNING\"", "PRESS-08"),
            ("State", "\"IDLE\"", "PRESS-07"), ("Alarm", "true", "PRESS-07"), ("Alarm", "true", "PRESS-07"),
            ("Alarm", "false", "PRESS-07"), ("State", "null", "PRESS-07"),
        ].map { try pipe(driver, $0.0, $0.1, device: $0.2) }
        #expect(passed == [true, false, true, true, true, false, true, true])
    }

    @Test func aChangeOfAlsoPassesWithoutADeadband() throws {
        let driver = try driver("{ key: [group, edgeNode, device, name], also: [quality], absolute: 5 }")
        #expect(try pipe(driver, "Temperature", "20"))
        #expect(try pipe(driver, "Temperature", "20", quality: "STALE"))
        #expect(try !pipe(driver, "Temperature", "21", quality: "STALE"))
        #expect(try pipe(driver, "Temperature", "21", quality: "GOOD"))
    }

    @Test func theHeartbeatPassesAnUnchangedValueAfterItsInterval() throws {
        let driver = try driver("{ key: [group, edgeNode, device, name], absolute: 0.5, heartbeat: 5m }")
        #expect(try pipe(driver, "Temperature", "20", at: 0))
        #expect(try !pipe(driver, "Temperature", "20.1", at: 240_000))
        #expect(try pipe(driver, "Temperature", "20.1", at: 300_000))
        #expect(try !pipe(driver, "Temperature", "20", at: 540_000))
        #expect(try pipe(driver, "Temperature", "20", at: 600_000))
    }

    @Test func theLastValuesSurviveARestart() throws {
        let driver = try driver("{ key: [group, edgeNode, device, name], absolute: 0.5 }")
        #expect(try pipe(driver, "Temperature", "20"))
        driver.flush()
        try driver.restartTask(topic: Self.topic)
        #expect(try !pipe(driver, "Temperature", "20.4"))
        #expect(try pipe(driver, "Temperature", "20.6"))
    }

    /// A cumulative counter's increase per change, from `previous` (value and event time of the last record passed).
    @Test func previousBindsTheLastRecordPassedOfTheKey() throws {
        let driver = try driver(
            "{ key: [group, edgeNode, device, name], previous: last }",
            then: [
                "- map: { eventId: eventId, topic: topic, group: group, messageType: messageType, edgeNode: edgeNode,",
                "    device: device, name: name, datatype: datatype, quality: quality,",
                "    value: \"if(last == null, 'first', value - last.value)\",",
                "    timestamp: \"if(last == null, 0, timestamp - last.at)\" }",
                "- emit: { output: changed, schema: sparkplug.metric/v1, key: [group, edgeNode], header: none }",
            ].joined(separator: "\n      "))
        let steps: [(String, String, Int64)] = [
            ("Counters/Good", "100", 0), ("Counters/Good", "100", 10_000), ("Counters/Good", "104", 20_000),
            ("Counters/Reject", "7", 25_000), ("Counters/Good", "109", 30_000), ("Counters/Good", "2", 40_000),
        ]
        for (name, value, offset) in steps { try pipe(driver, name, value, at: offset) }
        let passed = driver.records(output: "changed").map { record in
            [record.string("name"), record.string("value"), record.string("timestamp")].map { $0 ?? "-" }
                .joined(separator: " ")
        }
        // First of a key: no previous; an unchanged value does not pass, so the next delta spans it; a counter reset
        // shows as a negative increase (the mapping decides what it means).
        #expect(
            passed == [
                "Counters/Good first 0", "Counters/Good 4 20000", "Counters/Reject first 0", "Counters/Good 5 10000",
                "Counters/Good -107 10000",
            ])
        driver.flush()
        try driver.restartTask(topic: Self.topic)
        try pipe(driver, "Counters/Reject", "9", at: 50_000)
        #expect(driver.records(output: "changed").last?.string("value") == "2")
    }

    @Test func aKeyWithoutThePartitioningKeyIsALintError() {
        #expect {
            try TopologyLoader().load(text: Self.yaml("{ key: [device, name] }"), file: "t.yaml")
        } throws: { error in
            "\(error)".contains("changes key does not contain 'group'")
        }
    }
}
