import JSON
import Schemas
import Testing
import Topology

@testable import Simulator

/// The generated stream against the repository's topology, reference data and schema catalogue.
@Suite struct SimulatorStreamTests {
    static let faults = "duplicates=0.05,out_of_order=120s,late=0.01,invalid=0.01"

    static func faultedConfiguration(seed: UInt64 = 11) throws -> SimulatorConfiguration {
        SimulatorConfiguration(
            seed: seed, cloudEventsBinaryShare: 0.1, cloudEventsStructuredShare: 0.05, holdsPerPlantPerDay: 200,
            faults: try FaultConfiguration(parsing: faults))
    }

    @Test func everyValidRecordValidatesAgainstTheNewestSchemaAndIsRoutedAsTheTopologyDeclares() throws {
        let registry = try Fixtures.registry.get()
        let scenario = try Fixtures.scenario()
        let records = try Fixtures.records(
            count: 20_000, scenario: scenario, configuration: Self.faultedConfiguration())
        var failures: [String] = []
        var types: Set<String> = []
        var envelopes: Set<SimulatedEnvelope> = []
        var validated = 0
        for record in records where !(record.fault?.isInvalid ?? false) {
            let event = try Fixtures.canonical(record)
            guard let type = Fixtures.text(event["type"]), let eventType = EventType(name: type),
                let version = Fixtures.text(event["schemaVersion"]).flatMap({ Int($0) }),
                let id = SchemaID(type: type, version: version), let schema = registry.schema(id)
            else {
                failures.append("no schema for \(event["type"] ?? .null) v\(event["schemaVersion"] ?? .null)")
                continue
            }
            if !schema.isLatest && !(eventType == .machineCycle && version == 1) {
                failures.append("\(id) is not the newest version")
            }
            let violations = schema.validator.validate(event)
            if !violations.isEmpty {
                failures.append("\(id) \(record.envelope): \(violations.prefix(3).map(\.description))")
            }
            guard let route = scenario.routing.routes[eventType] else {
                failures.append("\(type) has no route but was emitted")
                continue
            }
            if record.topic != route.topic {
                failures.append("\(type) sent to \(record.topic), expected \(route.topic)")
            }
            let key = route.key.map { Fixtures.text(Fixtures.value(event, $0)) ?? "" }.joined(separator: "|")
            if key != String(decoding: record.key, as: UTF8.self) {
                failures.append("\(type) keyed \(String(decoding: record.key, as: UTF8.self)), expected \(key)")
            }
            types.insert(type)
            envelopes.insert(record.envelope)
            validated += 1
        }
        #expect(failures.isEmpty, "\(failures.count) failures, e.g. \(failures.prefix(5))")
        #expect(validated > 19_000)
        #expect(envelopes == Set(SimulatedEnvelope.allCases).subtracting([.sparkplugB]))
        let routed = Set(scenario.routing.routes.keys.map(\.name)).subtracting(["machine.telemetry", "order.changed"])
        #expect(routed.subtracting(types).isEmpty, "never emitted: \(routed.subtracting(types).sorted())")
    }

    @Test func invalidRecordsFailTheWayTheirKindSays() throws {
        let registry = try Fixtures.registry.get()
        let records = try Fixtures.records(
            count: 20_000, scenario: Fixtures.scenario(), configuration: Self.faultedConfiguration())
        var kinds: [SimulatedFault: Int] = [:]
        var failures: [String] = []
        for record in records {
            guard let fault = record.fault, fault.isInvalid else { continue }
            kinds[fault, default: 0] += 1
            switch fault {
            case .invalidJSON, .invalidUTF8:
                if (try? JSONValue(parsing: record.value)) != nil { failures.append("\(fault) parses") }
            case .unknownType:
                let event = try Fixtures.canonical(record)
                if let type = Fixtures.text(event["type"]), registry.subject(named: type) != nil {
                    failures.append("unknown type \(type) is in the catalogue")
                }
            case .invalidSchema:
                let event = try Fixtures.canonical(record)
                let type = Fixtures.text(event["type"]) ?? ""
                let version = Fixtures.text(event["schemaVersion"]).flatMap { Int($0) } ?? 0
                if let id = SchemaID(type: type, version: version), let schema = registry.schema(id),
                    schema.validator.validate(event).isEmpty
                {
                    failures.append("schema violation of \(id) validates")
                }
            default:
                break
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        for kind in SimulatedFault.invalidKinds {
            #expect((kinds[kind] ?? 0) > 0, "no \(kind) record")
        }
    }

    @Test func faultCountsFollowTheRequestedShares() throws {
        var simulator = try PlantSimulator(scenario: Fixtures.scenario(), configuration: Self.faultedConfiguration())
        let records = simulator.records(count: 20_000)
        let statistics = simulator.statistics
        #expect(statistics.records == records.count)
        let events = Double(statistics.events)
        func share(_ fault: SimulatedFault) -> Double { Double(statistics.count(fault)) / events }
        // Binomial bounds of about ±4 standard deviations for 19 000 events.
        #expect((0.043...0.057).contains(share(.duplicate)), "duplicates \(share(.duplicate))")
        #expect((0.016...0.024).contains(share(.outOfOrder)), "out of order \(share(.outOfOrder))")
        #expect((0.007...0.013).contains(share(.late)), "late \(share(.late))")
        #expect((0.007...0.013).contains(Double(statistics.invalid) / events), "invalid \(statistics.invalid)")
        for kind in SimulatedFault.invalidKinds {
            #expect(Double(statistics.count(kind)) > 0.1 * Double(statistics.invalid), "\(kind)")
        }
        #expect(records.filter { $0.fault == .duplicate }.count == statistics.count(.duplicate))

        var seen: [EventID: SimulatedRecord] = [:]
        var latestOccurred = Int64.min
        var overtaken = 0
        for record in records where !(record.fault?.isInvalid ?? false) {
            let event = try Fixtures.canonical(record)
            let occurred = try #require(Fixtures.instant(event["occurredAt"]))
            let ingested = try #require(Fixtures.instant(event["ingestedAt"]))
            switch record.fault {
            case .duplicate:
                let original = try #require(seen[record.eventID], "a duplicate before its original")
                #expect(
                    original.value == record.value && original.key == record.key && original.headers == record.headers)
            case .outOfOrder:
                #expect(ingested - occurred > 0 && ingested - occurred <= 120_000 + 900)
                if occurred < latestOccurred { overtaken += 1 }
            case .late:
                #expect(ingested - occurred >= 15 * 60_000 && ingested - occurred <= 30 * 60_000 + 900)
                #expect(occurred < latestOccurred - 10 * 60_000)
            default:
                #expect(ingested - occurred >= 20 && ingested - occurred <= 900)
            }
            if record.fault != .duplicate { seen[record.eventID] = record }
            latestOccurred = max(latestOccurred, occurred)
        }
        #expect(overtaken > statistics.count(.outOfOrder) / 2, "out-of-order events arrive after later events")
    }

    @Test func sameSeedAndOptionsGiveByteIdenticalRecords() throws {
        let scenario = try Fixtures.scenario()
        let first = try Fixtures.records(count: 10_000, scenario: scenario, configuration: Self.faultedConfiguration())
        let second = try Fixtures.records(
            count: 10_000, scenario: Fixtures.scenario(), configuration: Self.faultedConfiguration())
        #expect(first == second)
        let other = try Fixtures.records(
            count: 10_000, scenario: scenario, configuration: Self.faultedConfiguration(seed: 12))
        #expect(first != other)
        #expect(Set(first.map(\.eventID)).isDisjoint(with: Set(other.map(\.eventID))))
    }

    @Test func faultsLeaveTheRestOfTheStreamUnchanged() throws {
        let scenario = try Fixtures.scenario()
        var clean = try Self.faultedConfiguration()
        clean.faults = .none
        let plain = try Fixtures.records(count: 10_000, scenario: scenario, configuration: clean)
        let faulted = try Fixtures.records(
            count: 10_000, scenario: scenario, configuration: Self.faultedConfiguration())
        let byID = Dictionary(plain.map { ($0.eventID, $0) }, uniquingKeysWith: { first, _ in first })
        var compared = 0
        for record in faulted where record.fault == nil {
            guard let original = byID[record.eventID] else { continue }
            #expect(original == record)
            compared += 1
        }
        #expect(compared > 9_000)
    }

    @Test func storedRecordsEqualTheBorrowedViews() throws {
        let scenario = try Fixtures.scenario()
        let owned = try Fixtures.records(count: 3_000, scenario: scenario, configuration: Self.faultedConfiguration())
        var simulator = try PlantSimulator(scenario: scenario, configuration: Self.faultedConfiguration())
        var viewed: [SimulatedRecord] = []
        simulator.generate(count: 3_000) { viewed.append($0.record) }
        #expect(owned == viewed)
    }
}
