import Engine
import JSON
import PlantStreamTesting
import Testing
import Topology

/// Sources of foreign records (`envelope: none`): a line controller's flat JSON, read as it is.
@Suite struct ForeignSourceTests {
    static let topic = "linectl.cycles"

    static func yaml(source: String = Self.source, plants: String = "[]", pipelines: String = Self.pipelines) -> String
    {
        """
        application: plantstream
        regions:
          - { name: eu, bootstrapServers: "127.0.0.1:9092", plants: \(plants) }
        sources:
        \(source)
        outputs:
          - { name: cycles, topic: plant.cycles.v1 }
          - { name: totals, topic: plant.cycle_totals.v1 }
          - { name: dlq, topic: plant.dlq.v1, kind: dead_letter }
          - { name: ids, topic: plant.ids.v1, kind: table }
        pipelines:
        \(pipelines)
        """
    }

    static let source = """
          - name: line-controllers
            topic: linectl.cycles
            key: [plant, line, work_center]
            envelope: none
            schema: linectl.machine_cycle/v1
            eventTime: event_time
            eventId: event_id
            plant: plant
        """

    static let pipelines = """
          - name: route
            source: line-controllers
            types: [linectl.machine_cycle]
            deadLetter: dlq
            steps:
              - validate: {}
              - emit: { output: cycles, schema: linectl.machine_cycle/v1, header: none }
          - name: totals
            source: line-controllers
            types: [linectl.machine_cycle]
            deadLetter: dlq
            steps:
              - validate: {}
              - window:
                  tumbling: 60s
                  groupBy: [plant, line, work_center]
                  aggregates: { good: sum(good_qty), scrap: sum(scrap_qty), cycles: count() }
              - map:
                  plant: plant
                  line: line
                  work_center: work_center
                  window_start: window.start
                  window_end: window.end
                  good_qty: good
                  scrap_qty: scrap
                  cycles: cycles
              - emit: { output: totals, schema: linectl.cycle_totals/v1, key: [plant, line, work_center], header: none }
        """

    static func cycle(
        id: Int, at time: String, good: Int = 1, scrap: Int = 0, plant: String = "P05", workCenter: String = "WC04"
    ) -> String {
        let eventId = "a3535e36-bd31-4524-8fbc-\(String(repeating: "0", count: 12 - String(id).count))\(id)"
        return #"{"event_id":"\#(eventId)","schema":"linectl.machine_cycle/v1","plant":"\#(plant)","line":"L4","#
            + #""work_center":"\#(workCenter)","machine":"M5404-1","order_id":"2550000","operation":"0010","#
            + #""event_time":"\#(time)","good_qty":\#(good),"scrap_qty":\#(scrap),"cycle_ms":919}"#
    }

    func driver(_ yaml: String = ForeignSourceTests.yaml()) throws -> TopologyTestDriver {
        try TopologyTestDriver(yaml: yaml, schemasDirectory: TestPaths.schemas)
    }

    @Test func validRecordsAreRoutedByteForByteWithTheirKeyAndHeaders() throws {
        let driver = try driver()
        // Whitespace and member order as the producer wrote them.
        let value =
            "  " + Self.cycle(id: 1, at: "2026-01-05T06:00:01.200Z").replacingOccurrences(of: ",", with: ", ")
            + "\n"
        let headers = [("x-gateway", "edge-07"), ("traceparent", "00-4bf92f3577b34da6-00f067aa0ba902b7-01")]
        try driver.pipe(topic: Self.topic, key: "P05/L4/WC04", value: value, headers: headers)
        let routed = driver.records(output: "cycles")
        try #require(routed.count == 1, "\(driver.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        #expect(routed[0].valueString == value)
        #expect(routed[0].keyString == "P05/L4/WC04")
        #expect(routed[0].headers.map(\.name) == ["x-gateway", "traceparent"])
        #expect(routed[0].header("x-gateway") == "edge-07")
        #expect(driver.records(output: "dlq").isEmpty)
    }

    @Test func invalidRecordsAreDeadLettersWithTheReasonAndTheirBytes() throws {
        let driver = try driver()
        let wrongType = Self.cycle(id: 2, at: "2026-01-05T06:00:02Z").replacingOccurrences(
            of: #""good_qty":1"#, with: #""good_qty":"1""#)
        try driver.pipe(topic: Self.topic, key: "P05/L4/WC04", value: wrongType)
        try driver.pipe(topic: Self.topic, key: "P05/L4/WC04", value: "[1,2]")
        try driver.pipe(topic: Self.topic, key: "P05/L4/WC04", value: "{\"plant\":")
        let letters = driver.records(output: "dlq")
        try #require(letters.count == 3)
        #expect(
            letters.map { $0.header("ps_error_code") } == ["SCHEMA_VIOLATION", "INVALID_ENVELOPE", "MALFORMED_JSON"])
        #expect(letters[0].valueString == wrongType)
        #expect(letters[0].header("ps_error_path") == "/good_qty")
        #expect(letters[0].header("ps_schema_id") == "linectl.machine_cycle/v1")
        #expect(letters[0].header("ps_pipeline") == "route")
        #expect(driver.records(output: "cycles").isEmpty)
    }

    @Test func tumblingWindowsSumTheRecordsOwnFields() throws {
        let driver = try driver()
        try driver.pipe(topic: Self.topic, key: "P05/L4/WC04", value: Self.cycle(id: 1, at: "2026-01-05T06:00:01.200Z"))
        try driver.pipe(
            topic: Self.topic, key: "P05/L4/WC04",
            value: Self.cycle(id: 2, at: "2026-01-05T06:00:30Z", good: 0, scrap: 1))
        try driver.pipe(topic: Self.topic, key: "P05/L4/WC04", value: Self.cycle(id: 3, at: "2026-01-05T06:00:59.999Z"))
        try driver.pipe(
            topic: Self.topic, key: "P05/L4/WC05",
            value: Self.cycle(id: 4, at: "2026-01-05T06:00:10Z", workCenter: "WC05"))
        #expect(driver.records(output: "totals").isEmpty)
        // The next minute's first cycle moves the watermark past the end of the first minute.
        try driver.pipe(topic: Self.topic, key: "P05/L4/WC04", value: Self.cycle(id: 5, at: "2026-01-05T06:01:00Z"))
        let totals = driver.records(output: "totals")
        #expect(
            totals.map { "\($0.keyString ?? "") \($0.valueString ?? "")" } == [
                #"P05|L4|WC04 {"plant":"P05","line":"L4","work_center":"WC04","window_start":"2026-01-05T06:00:00.000Z","#
                    + #""window_end":"2026-01-05T06:01:00.000Z","good_qty":2,"scrap_qty":1,"cycles":3}"#,
                #"P05|L4|WC05 {"plant":"P05","line":"L4","work_center":"WC05","window_start":"2026-01-05T06:00:00.000Z","#
                    + #""window_end":"2026-01-05T06:01:00.000Z","good_qty":1,"scrap_qty":0,"cycles":1}"#,
            ])
    }

    @Test func withoutAnEventIdTheIdIsDerivedFromTheRecordsPosition() throws {
        let source = Self.source.replacingOccurrences(of: "    eventId: event_id\n", with: "")
        let pipelines = """
              - name: ids
                source: line-controllers
                types: [linectl.machine_cycle]
                deadLetter: dlq
                steps:
                  - validate: {}
                  - map: { plant: plant, id: eventId(), system: sourceSystem() }
                  - emit: { output: ids, key: [plant], header: none }
            """
        let driver = try driver(Self.yaml(source: source, pipelines: pipelines))
        try driver.pipe(topic: Self.topic, key: "P05/L4/WC04", value: Self.cycle(id: 1, at: "2026-01-05T06:00:01Z"))
        try driver.pipe(topic: Self.topic, key: "P05/L4/WC04", value: Self.cycle(id: 1, at: "2026-01-05T06:00:01Z"))
        let rows = driver.records(output: "ids")
        try #require(rows.count == 2)
        let ids = rows.map { $0.json?["id"]?.stringValue }
        #expect(ids == [UUIDv5.string(name: "linectl.cycles|0|0"), UUIDv5.string(name: "linectl.cycles|0|1")])
        #expect(rows.map { $0.json?["system"]?.stringValue } == ["line-controllers", "line-controllers"])
    }

    @Test func theSchemaCanBeNamedByEachRecord() throws {
        let source = Self.source.replacingOccurrences(
            of: "schema: linectl.machine_cycle/v1", with: "schema: { field: schema }")
        let driver = try driver(Self.yaml(source: source))
        let valid = Self.cycle(id: 1, at: "2026-01-05T06:00:01Z")
        try driver.pipe(topic: Self.topic, key: "k", value: valid)
        try driver.pipe(
            topic: Self.topic, key: "k",
            value: valid.replacingOccurrences(of: "linectl.machine_cycle/v1", with: "linectl.machine_cycle/v7"))
        try driver.pipe(
            topic: Self.topic, key: "k", value: valid.replacingOccurrences(of: "linectl.machine_cycle/v1", with: "v1"))
        #expect(driver.records(output: "cycles").map(\.valueString) == [valid])
        let letters = driver.records(output: "dlq")
        #expect(letters.map { $0.header("ps_error_code") } == ["UNKNOWN_SCHEMA", "UNKNOWN_SCHEMA"])
        #expect(letters.map { $0.header("ps_error_path") } == ["/schema", "/schema"])
        #expect(letters.first?.header("ps_schema_id") == "linectl.machine_cycle/v7")
    }

    @Test func theEventTimeMayBeEpochMillisecondsInAHeader() throws {
        let source = Self.source.replacingOccurrences(of: "eventTime: event_time", with: "eventTime: { header: ts }")
        let driver = try driver(Self.yaml(source: source))
        let cycle = Self.cycle(id: 1, at: "2026-01-05T06:00:01Z")
        try driver.pipe(topic: Self.topic, key: "k", value: cycle, headers: [("ts", "1767592801000")])
        try driver.pipe(topic: Self.topic, key: "k", value: cycle, headers: [("ts", "2026-01-05T06:00:02Z")])
        try driver.pipe(topic: Self.topic, key: "k", value: cycle, headers: [("ts", "soon")])
        try driver.pipe(topic: Self.topic, key: "k", value: cycle)
        #expect(driver.records(output: "cycles").map(\.timestamp) == [1_767_592_801_000, 1_767_592_802_000])
        let letters = driver.records(output: "dlq")
        #expect(letters.map { $0.header("ps_error_code") } == ["INVALID_EVENT_TIME", "INVALID_EVENT_TIME"])
        #expect(letters.first?.header("ps_error_path") == "ts")
    }

    @Test func regionsFilterForeignRecordsByTheirPlant() throws {
        let driver = try driver(Self.yaml(plants: "[P05]"))
        try driver.pipe(topic: Self.topic, key: "k", value: Self.cycle(id: 1, at: "2026-01-05T06:00:01Z", plant: "P06"))
        try driver.pipe(topic: Self.topic, key: "k", value: Self.cycle(id: 2, at: "2026-01-05T06:00:02Z"))
        #expect(driver.records(output: "cycles").count == 1)
        #expect(driver.metrics(topic: Self.topic)?.skippedPlants == 1)
    }

    @Test func theDefaultDedupeKeyUsesTheForeignEventId() throws {
        let pipelines = """
              - name: route
                source: line-controllers
                types: [linectl.machine_cycle]
                deadLetter: dlq
                steps:
                  - validate: {}
                  - dedupe: { ttl: 1h }
                  - emit: { output: cycles, schema: linectl.machine_cycle/v1, header: none }
            """
        let driver = try driver(Self.yaml(pipelines: pipelines))
        let cycle = Self.cycle(id: 1, at: "2026-01-05T06:00:01Z")
        try driver.pipe(topic: Self.topic, key: "k", value: cycle)
        try driver.pipe(topic: Self.topic, key: "k", value: cycle)
        try driver.pipe(topic: Self.topic, key: "k", value: Self.cycle(id: 2, at: "2026-01-05T06:00:01Z"))
        #expect(driver.records(output: "cycles").count == 2)
        #expect(driver.metrics(topic: Self.topic)?.duplicates == 1)
    }
}
