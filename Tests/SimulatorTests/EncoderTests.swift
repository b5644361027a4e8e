import JSON
import Testing
import Topology

@testable import Simulator

/// Envelopes, keys and invalid records, on small hand-built streams.
@Suite struct EncoderTests {
    static func records(
        envelope: EnvelopeFormat,
        key: [String],
        faults: FaultConfiguration = .none,
        count: Int = 300
    ) throws -> [SimulatedRecord] {
        var scenario = try Fixtures.scenario(plants: 1)
        var routes = EventRouting.conventional.routes
        for (type, route) in routes {
            var changed = route
            changed.envelope = envelope
            changed.key = key.map { FieldPath(segments: $0.split(separator: ".").map { .member(String($0)) }) }
            routes[type] = changed
        }
        scenario.routing = EventRouting(routes: routes)
        var simulator = try PlantSimulator(
            scenario: scenario, configuration: SimulatorConfiguration(seed: 3, cycleV1Share: 0.5, faults: faults))
        return simulator.records(count: count)
    }

    @Test func binaryModePutsTheEnvelopeIntoHeadersAndDataIntoTheBody() throws {
        let records = try Self.records(envelope: .cloudEventsBinary, key: ["plantId"])
        let names = ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_dataschema", "content-type"]
        for record in records {
            #expect(record.envelope == .cloudEventsBinary)
            let headers = Dictionary(record.headers.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
            #expect(names.allSatisfy { headers[$0] != nil })
            #expect(headers["ce_specversion"] == "1.0" && headers["ce_id"] == record.eventID.description)
            #expect(
                headers["ce_dataschema"]?.hasPrefix("https://schemas.plantstream.dev/\(record.eventType.name)/v")
                    == true)
            let body = try JSONValue(parsing: record.value)
            #expect(body["specVersion"] == nil && body["eventId"] == nil)
        }
    }

    @Test func plainModeHasNoHeadersAndV1CyclesHaveNoReworkCount() throws {
        let records = try Self.records(envelope: .plain, key: ["plantId"], count: 2000)
        var versions: Set<Int> = []
        for record in records {
            #expect(record.headers.isEmpty)
            let event = try JSONValue(parsing: record.value)
            guard record.eventType == .machineCycle else { continue }
            let version = Int(Fixtures.text(event["schemaVersion"]) ?? "") ?? 0
            versions.insert(version)
            #expect((event["data"]?["reworkCount"] != nil) == (version == 2))
        }
        #expect(versions == [1, 2])
    }

    @Test func keysJoinTheKeyFieldsWithBars() throws {
        for record in try Self.records(envelope: .plain, key: ["plantId", "type", "data.orderId"]) {
            let event = try JSONValue(parsing: record.value)
            let expected = ["DE01", record.eventType.name, Fixtures.text(event["data"]?["orderId"]) ?? ""]
            #expect(String(decoding: record.key, as: UTF8.self) == expected.joined(separator: "|"))
        }
    }

    @Test func keyPathsTheSimulatorHasNoFieldForAreReadFromTheBody() throws {
        for envelope in [EnvelopeFormat.plain, .cloudEventsBinary, .cloudEventsStructured] {
            for record in try Self.records(envelope: envelope, key: ["data.cycleId", "data.reason.code"]) {
                let event = try Fixtures.canonical(record)
                let expected = [
                    Fixtures.text(event["data"]?["cycleId"]) ?? "",
                    Fixtures.text(event["data"]?["reason"]?["code"]) ?? "",
                ]
                #expect(String(decoding: record.key, as: UTF8.self) == expected.joined(separator: "|"))
            }
        }
    }

    @Test(arguments: [EnvelopeFormat.plain, .cloudEventsBinary, .cloudEventsStructured])
    func invalidRecordsKeepTheKeyAndBreakTheBody(envelope: EnvelopeFormat) throws {
        let records = try Self.records(
            envelope: envelope, key: ["plantId"], faults: FaultConfiguration(invalidShare: 0.5), count: 600)
        var kinds: Set<SimulatedFault> = []
        for (index, record) in records.enumerated() where record.fault?.isInvalid ?? false {
            kinds.insert(record.fault!)
            let original = records[..<index].last { $0.eventID == record.eventID && $0.fault == nil }
            #expect(original?.key == record.key && original?.topic == record.topic)
            #expect(original?.value != record.value || original?.headers != record.headers)
        }
        #expect(kinds == Set(SimulatedFault.invalidKinds))
    }
}
