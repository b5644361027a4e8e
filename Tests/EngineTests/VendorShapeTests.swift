import Engine
import JSON
import PlantStreamTesting
import Testing
import Timekeeping

/// The two vendor shapes the default topology ships — an MES's operation confirmations in SAP PP vocabulary and
/// a line controller's flat cycles — normalized and fed to the catalogue's sources, produce the same ERP
/// postings and OEE records as the canonical events they stand for.
@Suite struct VendorShapeTests {
    func driver() throws -> TopologyTestDriver {
        try TopologyTestDriver(
            topologyFile: TestPaths.packageRoot + "/topology.yaml", region: "eu-central",
            wallClock: RFC3339.parse("2026-04-14T08:00:00Z")!)
    }

    /// What a record of `output` would be on the topic it feeds: piped there, as Kafka would.
    func feed(_ driver: TopologyTestDriver, output: String, into topic: String) throws {
        for record in driver.records(output: output) {
            try driver.pipe(
                topic: topic, key: record.keyString, value: record.value,
                headers: record.headers.map { ($0.name, $0.value) })
        }
    }

    /// A record without what names its input events (their ids differ between the two runs).
    static func posting(_ record: TestRecord) -> String {
        guard case .object(var object)? = record.json else { return record.valueString ?? "" }
        object.members.removeAll { ["sources", "correlationId"].contains($0.key) }
        return "\(record.keyString ?? "") \(JSONValue.object(object))"
    }

    static func mes(
        id: Int, from: String, to: String, yield: Int, scrap: Int = 0, reason: String? = nil, final: Bool
    ) -> String {
        let reasonMember = reason.map { #""GRUND":"\#($0)","# } ?? ""
        return #"{"MSGID":"7d1e3b52-0c44-4f5e-9d0a-\#(String(format: "%012d", id))","SYSID":"MES-DE01","#
            + #""WERKS":"DE01","AUFNR":"1000121","VORNR":"0010","APLFL":"0","ARBPL":"WC-CNC01","EQUNR":"M01","#
            + #""LMNGA":\#(yield),"XMNGA":\#(scrap),"RMNGA":0,"MEINH":"ST",\#(reasonMember)"#
            + #""ISDD":"\#(from)","IEDD":"\#(to)","ERSDA":"\#(to)","AUERU":\#(final)}"#
    }

    @Test func mesConfirmationsPostWhatCanonicalReportsPost() throws {
        let canonical = try driver()
        try canonical.send(
            DefaultTopologyTests.operation(
                id: 101, at: "2026-04-14T08:01:00Z", from: "2026-04-14T07:56:00Z", yield: "6", completed: false),
            topic: "mfg.production.v1", key: "DE01|1000121")
        try canonical.send(
            DefaultTopologyTests.operation(
                id: 102, at: "2026-04-14T08:10:00Z", from: "2026-04-14T08:05:00Z", yield: "4", completed: true),
            topic: "mfg.production.v1", key: "DE01|1000121")
        let expected = canonical.records(output: "erp").map(Self.posting)
        try #require(expected.count == 1, "\(canonical.records(output: "dlq").map { $0.header("ps_error_message") })")

        let vendor = try driver()
        try vendor.pipe(
            topic: "acmemes.opconf.v1", key: "DE01|1000121",
            value: Self.mes(id: 1, from: "2026-04-14T07:56:00Z", to: "2026-04-14T08:01:00Z", yield: 6, final: false))
        try vendor.pipe(
            topic: "acmemes.opconf.v1", key: "DE01|1000121",
            value: Self.mes(id: 2, from: "2026-04-14T08:05:00Z", to: "2026-04-14T08:10:00Z", yield: 4, final: true))
        let dlq = vendor.records(output: "dlq").map { $0.header("ps_error_message") ?? "" }
        #expect(dlq.isEmpty, "\(dlq)")
        let fed = vendor.records(output: "production-feed")
        #expect(fed.map(\.keyString) == ["DE01|1000121", "DE01|1000121"])
        #expect(fed.map { $0.string("type") } == ["operation.reported", "operation.completed"])
        #expect(fed.first?.json?["data"]?["yield"] == ["value": "6", "uom": "H87"])
        #expect(fed.first?.string("source") == "MES-DE01")
        try feed(vendor, output: "production-feed", into: "mfg.production.v1")
        #expect(vendor.records(output: "erp").map(Self.posting) == expected)
    }

    @Test func lineControllerCyclesMakeTheOEERecordsCanonicalCyclesMake() throws {
        let canonical = try driver()
        let cycles: [(id: Int, at: String, good: Int64, scrap: Int64)] = [
            (301, "2026-04-14T08:05:00Z", 2, 1), (302, "2026-04-14T08:35:00Z", 3, 0),
            (303, "2026-04-14T09:10:00Z", 1, 0),
        ]
        for cycle in cycles {
            try canonical.send(
                DefaultTopologyTests.cycle(
                    id: cycle.id, at: cycle.at, total: cycle.good + cycle.scrap, good: cycle.good),
                topic: "mfg.machine.v1", key: "DE01|M01")
        }
        let expected = canonical.records(output: "oee").map(Self.posting)
        try #require(expected.count == 1)

        let vendor = try driver()
        for cycle in cycles {
            let text =
                #"{"event_id":"a3535e36-bd31-4524-8fbc-\#(String(format: "%012d", cycle.id))","plant":"DE01","#
                + #""line":"L1","work_center":"C1","machine":"M01","event_time":"\#(cycle.at)","#
                + #""good_qty":\#(cycle.good),"scrap_qty":\#(cycle.scrap),"cycle_ms":38000}"#
            try vendor.pipe(topic: "linectl.cycles.v1", key: "DE01/L1/C1", value: text)
        }
        let dlq = vendor.records(output: "dlq").map { $0.header("ps_error_message") ?? "" }
        #expect(dlq.isEmpty, "\(dlq)")
        let fed = vendor.records(output: "machine-feed")
        #expect(fed.map(\.keyString) == ["DE01|M01", "DE01|M01", "DE01|M01"])
        #expect(fed.first?.json?["equipment"]?["areaId"] == "A1")
        try feed(vendor, output: "machine-feed", into: "mfg.machine.v1")
        #expect(vendor.records(output: "oee").map(Self.posting) == expected)
    }

    @Test func aRecordThatCannotBeNormalizedIsADeadLetterNamingBothSchemas() throws {
        let vendor = try driver()
        // A plant without an equipment master row for the machine: the event lacks its equipment hierarchy.
        try vendor.pipe(
            topic: "linectl.cycles.v1", key: "DE01/L1/C1",
            value: #"{"plant":"DE01","line":"L1","work_center":"C1","machine":"M99","#
                + #""event_time":"2026-04-14T08:05:00Z","good_qty":1,"scrap_qty":0,"cycle_ms":38000}"#)
        let letter = try #require(vendor.records(output: "dlq").first)
        #expect(letter.header("ps_error_code") == "SCHEMA_VIOLATION")
        #expect(letter.header("ps_schema_id") == "linectl.machine_cycle/v1")
        #expect(letter.header("ps_error_message")?.contains("to machine.cycle/v2") == true)
        #expect(letter.header("ps_pipeline") == "normalize-line-cycles")
        #expect(vendor.records(output: "machine-feed").isEmpty)
    }
}
