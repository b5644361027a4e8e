import Engine
import JSON
import PlantStreamTesting
import Testing
import Timekeeping
import Topology

@Suite struct ValidateStepTests {
    static func cyclesPipeline(maxBytes: Int = 1 << 20) -> Pipeline {
        Pipeline(
            name: "cycles", source: "machine", types: ["machine.cycle"], deadLetter: "dlq",
            steps: [
                Fixtures.step(.validate(ValidateStep(maxBytes: maxBytes))),
                Fixtures.step(
                    .emit(
                        EmitStep(
                            output: "cycles", schema: "machine.cycle/v2",
                            key: [X.path("plantId"), X.path("equipment.equipmentId")], idempotencyKey: [],
                            erpHeader: false))),
            ], location: here)
    }

    func driver(maxBytes: Int = 1 << 20, plants: [String] = []) throws -> TopologyTestDriver {
        var topology = Fixtures.topology(pipelines: [Self.cyclesPipeline(maxBytes: maxBytes)])
        topology.regions[0].plants = plants
        return try Fixtures.driver(topology)
    }

    let cycle = Events.cycle(id: 1, at: "2026-04-14T10:00:00.120+02:00", total: 4, good: 3)

    @Test func plainEventsPassThroughUnchanged() throws {
        let driver = try driver()
        let text = Events.text(cycle)
        try driver.pipe(topic: Fixtures.machineTopic, key: "DE01|M05", value: text)
        let outputs = driver.records(output: "cycles")
        try #require(outputs.count == 1)
        #expect(outputs[0].valueString == text)
        #expect(outputs[0].keyString == "DE01|M05")
        #expect(outputs[0].timestamp == RFC3339.parse("2026-04-14T08:00:00.120Z"))
    }

    @Test func olderVersionsAreUpcastToTheNewest() throws {
        let driver = try driver()
        try driver.send(
            Events.cycle(id: 1, at: "2026-04-14T10:00:00Z", total: 4, good: 3, version: 1), topic: Fixtures.machineTopic
        )
        let outputs = driver.records(output: "cycles")
        try #require(outputs.count == 1, "\(driver.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        #expect(outputs[0].json?["schemaVersion"] == 2)
        #expect(outputs[0].json?["data"]?["reworkCount"] == 0)
        #expect(driver.metrics(topic: Fixtures.machineTopic)?.upcast == 1)
    }

    @Test func cloudEventsBinaryModeIsRoutedUnchangedAndReadAsTheCanonicalEnvelope() throws {
        let driver = try driver()
        let data = Events.text([
            "cycleId": "M05-1", "totalCount": 4, "goodCount": 3, "reworkCount": 0, "cycleTimeMs": 40000,
        ])
        let headers: [(String, String)] = [
            ("ce_specversion", "1.0"), ("ce_id", Events.id(7)), ("ce_source", "edge://DE01/L2/M05"),
            ("ce_type", "machine.cycle"), ("ce_time", "2026-04-14T10:00:00Z"),
            ("ce_dataschema", "https://schemas.plantstream.dev/machine.cycle/v2.json"), ("ce_plantid", "DE01"),
            ("ce_enterpriseid", "acme"), ("ce_siteid", "DE01"), ("ce_areaid", "A1"), ("ce_lineid", "L2"),
            ("ce_equipmentid", "M05"), ("ce_ingestedat", "2026-04-14T10:00:01Z"), ("content-type", "application/json"),
        ]
        try driver.pipe(topic: Fixtures.machineTopic, key: "DE01|M05", value: data, headers: headers)
        let outputs = driver.records(output: "cycles")
        try #require(outputs.count == 1, "\(driver.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        // Routed unchanged: the bytes, headers and key received (validated as the canonical event).
        #expect(outputs[0].valueString == data)
        #expect(
            outputs[0].headers.map { "\($0.name)=\(String(decoding: $0.value ?? [], as: UTF8.self))" }
                == headers.map { "\($0.0)=\($0.1)" })
        #expect(outputs[0].keyString == "DE01|M05")
        // Steps see the canonical envelope: a map copies it.
        let fields = [
            "specVersion", "eventId", "type", "schemaVersion", "occurredAt", "ingestedAt", "equipment", "data",
        ]
        var mapped = Self.cyclesPipeline()
        mapped.steps = [
            mapped.steps[0],
            Fixtures.step(.map(MapStep(fields: fields.map { NamedExpression(name: $0, expression: X.path($0)) }))),
            Fixtures.step(
                .emit(
                    EmitStep(
                        output: "cycles", schema: "", key: [X.path("equipment.equipmentId")], idempotencyKey: [],
                        erpHeader: false))),
        ]
        let mappedDriver = try Fixtures.driver(Fixtures.topology(pipelines: [mapped]))
        try mappedDriver.pipe(topic: Fixtures.machineTopic, key: "DE01|M05", value: data, headers: headers)
        let event = try #require(mappedDriver.records(output: "cycles").first?.json)
        #expect(event["specVersion"] == "mfg/1.0")
        #expect(event["eventId"] == .string(Events.id(7)))
        #expect(event["type"] == "machine.cycle")
        #expect(event["schemaVersion"] == 2)
        #expect(event["occurredAt"] == "2026-04-14T10:00:00Z")
        #expect(event["ingestedAt"] == "2026-04-14T10:00:01Z")
        #expect(event["equipment"]?["equipmentId"] == "M05")
        #expect(event["data"]?["goodCount"] == 3)
    }

    @Test func cloudEventsStructuredModeIsNormalised() throws {
        let driver = try driver()
        let structured: JSONValue = [
            "specversion": "1.0", "id": .string(Events.id(8)), "source": "edge://DE01/L2/M05", "type": "machine.cycle",
            "time": "2026-04-14T10:00:00Z", "dataschema": "machine.cycle/v1", "datacontenttype": "application/json",
            "plantid": "DE01", "enterpriseid": "acme", "siteid": "DE01", "areaid": "A1", "lineid": "L2",
            "equipmentid": "M05",
            "data": ["cycleId": "M05-1", "totalCount": 4, "goodCount": 4, "cycleTimeMs": 40000],
        ]
        try driver.pipe(
            topic: Fixtures.machineTopic, key: "DE01|M05", value: Events.text(structured),
            headers: [("content-type", "application/cloudevents+json")])
        let outputs = driver.records(output: "cycles")
        try #require(outputs.count == 1, "\(driver.records(output: "dlq").map { $0.header("ps_error_message") ?? "" })")
        #expect(outputs[0].json?["eventId"] == .string(Events.id(8)))
        #expect(outputs[0].json?["schemaVersion"] == 2)  // v1 upcast
        #expect(outputs[0].json?["data"]?["reworkCount"] == 0)
        // Auto-detected without the content-type header too.
        try driver.pipe(topic: Fixtures.machineTopic, key: "DE01|M05", value: Events.text(structured))
        #expect(driver.records(output: "cycles").count == 2)
    }

    struct BadRecord: Sendable, CustomStringConvertible {
        var name: String
        var value: [UInt8]?
        var headers: [(String, String)] = []
        var code: String
        var description: String { name }
    }

    static let badRecords: [BadRecord] = [
        BadRecord(name: "malformed", value: Array(#"{"type": "machine.cycle", "#.utf8), code: "MALFORMED_JSON"),
        BadRecord(
            name: "invalid UTF-8", value: Array(#"{"type":"machine."#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
            code: "INVALID_UTF8"),
        BadRecord(name: "binary", value: [0x00, 0x01, 0xFF, 0xFE, 0x89, 0x50, 0x4E, 0x47], code: "MALFORMED_JSON"),
        BadRecord(name: "tombstone", value: nil, code: "EMPTY_VALUE"),
        BadRecord(name: "not an object", value: Array("[1,2,3]".utf8), code: "INVALID_ENVELOPE"),
        BadRecord(name: "no schema id", value: Array(#"{"type":"machine.cycle"}"#.utf8), code: "INVALID_ENVELOPE"),
        BadRecord(
            name: "unknown type", value: Array(#"{"type":"machine.teleport","schemaVersion":1}"#.utf8),
            code: "UNKNOWN_SCHEMA"),
        BadRecord(
            name: "unknown version", value: Array(#"{"type":"machine.cycle","schemaVersion":9}"#.utf8),
            code: "UNKNOWN_SCHEMA"),
        BadRecord(
            name: "CloudEvents binary without id",
            value: Array("{}".utf8), headers: [("ce_specversion", "1.0"), ("ce_type", "machine.cycle")],
            code: "INVALID_ENVELOPE"),
        BadRecord(
            name: "CloudEvents base64 data",
            value: Array(
                #"{"specversion":"1.0","id":"x","source":"s","type":"machine.cycle","time":"2026-01-01T00:00:00Z","data_base64":"AAEC"}"#
                    .utf8),
            code: "BINARY_DATA_UNSUPPORTED"),
        BadRecord(
            name: "CloudEvents XML data",
            value: Array("{}".utf8),
            headers: [
                ("ce_specversion", "1.0"), ("ce_id", "x"), ("ce_source", "s"), ("ce_type", "machine.cycle"),
                ("ce_time", "2026-01-01T00:00:00Z"), ("ce_dataschema", "machine.cycle/v2"),
                ("content-type", "application/xml"),
            ],
            code: "UNSUPPORTED_CONTENT_TYPE"),
    ]

    @Test(arguments: badRecords)
    func badRecordsBecomeDeadLettersWithTheOriginalBytes(record: BadRecord) throws {
        let driver = try driver()
        let offset = try driver.pipe(
            topic: Fixtures.machineTopic, key: "DE01|M05", value: record.value,
            headers: record.headers.map { ($0.0, Array($0.1.utf8)) })
        let dead = driver.records(output: "dlq")
        try #require(dead.count == 1)
        #expect(dead[0].header("ps_error_code") == record.code, "\(dead[0].header("ps_error_message") ?? "")")
        #expect(dead[0].value == record.value)
        #expect(dead[0].keyString == "DE01|M05")
        #expect(dead[0].header("ps_source_offset") == String(offset))
        #expect(dead[0].header("ps_source_partition") == "0")
        #expect(dead[0].header("ps_pipeline") == "cycles")
        #expect(dead[0].header("ps_error_message")?.isEmpty == false)
        for header in record.headers { #expect(dead[0].header(header.0) == header.1) }
        #expect(driver.records(output: "cycles").isEmpty)
    }

    @Test func schemaViolationNamesThePathAndKeyword() throws {
        let driver = try driver()
        let bad = Events.cycle(id: 1, at: "2026-04-14T10:00:00Z", total: -4, good: 3)
        try driver.send(bad, topic: Fixtures.machineTopic)
        let dead = driver.records(output: "dlq")
        try #require(dead.count == 1)
        #expect(dead[0].header("ps_error_code") == "SCHEMA_VIOLATION")
        #expect(dead[0].header("ps_error_path") == "/data/totalCount")
        #expect(dead[0].header("ps_error_message")?.contains("minimum") == true)
        #expect(dead[0].header("ps_schema_id") == "machine.cycle/v2")
    }

    @Test func hugeRecordsAreDeadLetters() throws {
        let driver = try driver(maxBytes: 2048)
        var event = Events.text(cycle)
        event.removeLast()
        event += ", \"padding\": \"" + String(repeating: "x", count: 4096) + "\"}"
        try driver.pipe(topic: Fixtures.machineTopic, key: "DE01|M05", value: event)
        #expect(driver.records(output: "dlq").first?.header("ps_error_code") == "RECORD_TOO_LARGE")
        #expect(driver.records(output: "dlq").first?.valueString == event)
    }

    @Test func typesNoPipelineTakesAndForeignPlantsAreCountedAndSkipped() throws {
        let driver = try driver(plants: ["CN01"])
        try driver.send(cycle, topic: Fixtures.machineTopic)
        let state = Events.envelope(
            id: 2, type: "machine.state", at: "2026-04-14T10:00:00Z", equipment: Events.equipment,
            data: ["state": "Execute", "category": "PRODUCING", "since": "2026-04-14T10:00:00Z"])
        try driver.send(state, topic: Fixtures.machineTopic)
        let metrics = try #require(driver.metrics(topic: Fixtures.machineTopic))
        #expect(metrics.skippedPlants == 1)
        #expect(metrics.skippedTypes == 1)
        #expect(driver.records(output: "cycles").isEmpty)
        #expect(driver.records(output: "dlq").isEmpty)
    }
}
