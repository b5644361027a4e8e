import JSON
import Schemas
import Testing
import Topology

@testable import Simulator

/// What the stream says about the plants: entities of the reference data, realistic timing, complete
/// lifecycles (operations, downtime episodes, holds).
@Suite struct SimulatorPlantTests {
    /// Fault-free events of a run with many holds, as canonical events in emission order.
    static func events(count: Int = 20_000, routing: EventRouting? = nil, types: Set<EventType>? = nil) throws
        -> [JSONValue]
    {
        var scenario = try Fixtures.scenario()
        if let routing { scenario.routing = routing }
        let configuration = SimulatorConfiguration(
            seed: 5, eventTypes: types, cloudEventsBinaryShare: 0.1, cloudEventsStructuredShare: 0.05,
            holdsPerPlantPerDay: 200)
        return try Fixtures.records(count: count, scenario: scenario, configuration: configuration).map(
            Fixtures.canonical)
    }

    @Test func everyEntityExistsInTheReferenceData() throws {
        let equipment = try Fixtures.rows("equipment_master", file: "equipment_master.csv")
        let materials = try Fixtures.rows("material_master", file: "material_master.csv")
        let units = try Fixtures.rows("material_uom", file: "material_uom.csv")
        let locations = try Fixtures.rows("storage_locations", file: "storage_locations.csv")
        let reasons = try Fixtures.rows("reason_code_map", file: "reason_code_map.csv")
        let operations = try Fixtures.rows("order_operations", file: "order_operations.csv")
        let activities = try Fixtures.rows("work_center_activities", file: "work_center_activities.yaml")
        let batches = try Fixtures.rows("batch_stock", file: "batch_stock.csv")
        func has(_ rows: [[String: String]], _ fields: [String: String?]) -> Bool {
            rows.contains { row in fields.allSatisfy { row[$0.key] == $0.value } }
        }
        var failures: Set<String> = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { failures.insert(message()) }
        }
        for event in try Self.events() {
            let plant = Fixtures.text(event["plantId"])
            let data = event["data"]
            let type = Fixtures.text(event["type"]) ?? ""
            if let machine = event["equipment"] {
                let id = Fixtures.text(machine["equipmentId"])
                check(
                    has(equipment, ["plantId": plant, "equipmentId": id, "lineId": Fixtures.text(machine["lineId"])]),
                    "equipment \(plant ?? "")/\(id ?? "")")
            }
            if let order = Fixtures.text(data?["orderId"]), let operation = Fixtures.text(data?["operationId"]) {
                check(
                    has(operations, ["plantId": plant, "orderId": order, "operationId": operation]),
                    "operation \(order)/\(operation)")
                if let workCenter = Fixtures.text(data?["workCenterId"]) {
                    check(
                        has(operations, ["plantId": plant, "orderId": order, "workCenterId": workCenter]),
                        "work center \(workCenter) of \(order)")
                    for activity in data?["activities"]?.arrayValue ?? [] {
                        let key = Fixtures.text(activity["activityKey"])
                        check(
                            has(activities, ["plantId": plant, "workCenterId": workCenter, "activityKey": key]),
                            "activity \(key ?? "") of \(workCenter)")
                    }
                }
            }
            let material = Fixtures.text(data?["materialId"])
            if let material {
                check(has(materials, ["plantId": plant, "materialId": material]), "material \(material)")
            }
            for field in ["qty", "yield", "scrap", "rework"] {
                guard let uom = Fixtures.text(data?[field]?["uom"]), let material else { continue }
                let base = materials.first { $0["plantId"] == plant && $0["materialId"] == material }?["baseUom"]
                check(
                    uom == base || has(units, ["plantId": plant, "materialId": material, "uom": uom]),
                    "unit \(uom) of \(material)")
            }
            for field in ["storageLocationId", "fromStorageLocationId", "toStorageLocationId"] {
                if let location = Fixtures.text(data?[field]) {
                    check(has(locations, ["plantId": plant, "storageLocationId": location]), "location \(location)")
                }
            }
            for field in ["reason", "scrapReason"] {
                if let reason = data?[field] {
                    let code = Fixtures.text(reason["code"])
                    let codeSet = Fixtures.text(reason["codeSet"])
                    check(
                        has(reasons, ["plantId": plant, "codeSet": codeSet, "code": code]),
                        "reason \(codeSet ?? "")/\(code ?? "")")
                }
            }
            if type == "quality.hold.created", let lot = Fixtures.text(data?["lots"]?[0]?["batchId"]) {
                check(
                    has(batches, ["plantId": plant, "materialId": material, "batchId": lot]),
                    "held batch \(material ?? "")/\(lot)")
            }
            if Fixtures.text(data?["lot"]?["batchId"]) != nil, let material,
                let row = materials.first(where: { $0["plantId"] == plant && $0["materialId"] == material })
            {
                check(row["batchManaged"] == "true", "\(material) is not batch-managed but has a lot")
            } else if type == "material.consumed", let material,
                materials.first(where: { $0["plantId"] == plant && $0["materialId"] == material })?["batchManaged"]
                    == "true"
            {
                failures.insert("consumption of batch-managed \(material) without a lot")
            }
        }
        #expect(failures.isEmpty, "\(failures.sorted().prefix(10))")
    }

    @Test func timingAndLifecyclesAreRealistic() throws {
        let events = try Self.events()
        var previous = Int64.min
        var first = Int64.max
        var last = Int64.min
        var cycleTimes: [Int64] = []
        var openBreakdowns: Set<String> = []
        var longBreakdowns = 0
        var operationsStarted: [String: Set<String>] = [:]
        var operationsCompleted: Set<String> = []
        var heldCreated: Set<String> = []
        var dispositions: Set<String> = []
        var failures: [String] = []
        for event in events {
            let type = Fixtures.text(event["type"]) ?? ""
            let data = event["data"]
            let occurred = try #require(Fixtures.instant(event["occurredAt"]))
            if occurred < previous { failures.append("event time goes back at \(type)") }
            previous = occurred
            first = min(first, occurred)
            last = max(last, occurred)
            switch type {
            case "machine.cycle":
                cycleTimes.append(Int64(Fixtures.text(data?["cycleTimeMs"]) ?? "") ?? 0)
                if let good = Int(Fixtures.text(data?["goodCount"]) ?? ""),
                    let total = Int(Fixtures.text(data?["totalCount"]) ?? ""), good > total
                {
                    failures.append("goodCount > totalCount")
                }
            case "downtime.recorded":
                let id = Fixtures.text(data?["downtimeId"]) ?? ""
                let breakdown = data?["breakdown"]?.boolValue ?? false
                if Fixtures.text(data?["status"]) == "OPEN" {
                    openBreakdowns.insert(id)
                } else if breakdown {
                    if !openBreakdowns.contains(id) { failures.append("breakdown \(id) closed before it opened") }
                    let start = try #require(Fixtures.instant(data?["interval"]?["start"]))
                    let end = try #require(Fixtures.instant(data?["interval"]?["end"]))
                    if Fixtures.text(data?["category"]) != "UNPLANNED" { failures.append("breakdown not UNPLANNED") }
                    if end - start >= 600_000 { longBreakdowns += 1 }
                }
            case "operation.started":
                let key = (Fixtures.text(data?["orderId"]) ?? "") + "/" + (Fixtures.text(data?["operationId"]) ?? "")
                let phase = Fixtures.text(data?["phase"]) ?? ""
                if phase == "SETUP" {
                    // A new run of an order of the order master starts over.
                    operationsStarted[key] = []
                    operationsCompleted.remove(key)
                }
                operationsStarted[key, default: []].insert(phase)
            case "operation.reported", "operation.completed":
                let key = (Fixtures.text(data?["orderId"]) ?? "") + "/" + (Fixtures.text(data?["operationId"]) ?? "")
                if operationsStarted[key] != ["SETUP", "PROCESSING"] {
                    failures.append("\(type) of \(key) before it started")
                }
                if operationsCompleted.contains(key) { failures.append("\(type) of \(key) after completion") }
                if type == "operation.completed" { operationsCompleted.insert(key) }
                let start = try #require(Fixtures.instant(data?["interval"]?["start"]))
                let end = try #require(Fixtures.instant(data?["interval"]?["end"]))
                if end < start || end != occurred { failures.append("report interval of \(key)") }
            case "quality.hold.created":
                heldCreated.insert(Fixtures.text(data?["holdId"]) ?? "")
            case "quality.hold.released":
                let id = Fixtures.text(data?["holdId"]) ?? ""
                if !heldCreated.contains(id) { failures.append("hold \(id) released before it was created") }
                for line in data?["lines"]?.arrayValue ?? [] {
                    dispositions.insert(Fixtures.text(line["disposition"]) ?? "")
                }
            default:
                break
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        let hours = Double(last - first) / 3_600_000
        #expect(hours > 1 && hours < 12, "simulated \(hours) h")
        #expect(cycleTimes.allSatisfy { (10_000...70_000).contains($0) })
        #expect(longBreakdowns > 0, "no breakdown of 10 minutes or more")
        #expect(!operationsCompleted.isEmpty)
        #expect(dispositions.isSubset(of: ["RELEASE", "SCRAP"]))
        // Machines run most of the time: ~72 machines × hours × 3 600 s / 12–42 s ideal cycles.
        let perMachineHour = Double(cycleTimes.count) / 72 / hours
        #expect(perMachineHour > 40 && perMachineHour < 300, "\(perMachineHour) cycles per machine and hour")
    }

    @Test func holdsAreReleasedOrScrappedHoursLater() throws {
        let events = try Self.events(count: 400, types: [.qualityHoldCreated, .qualityHoldReleased])
        var created: [String: Int64] = [:]
        var released: Set<String> = []
        var dispositions: [String: Int] = [:]
        for event in events {
            let data = event["data"]
            let id = try #require(Fixtures.text(data?["holdId"]))
            let occurred = try #require(Fixtures.instant(event["occurredAt"]))
            if Fixtures.text(event["type"]) == "quality.hold.created" {
                #expect(created[id] == nil)
                created[id] = occurred
                #expect(["LOT", "ORDER_OUTPUT"].contains(Fixtures.text(data?["holdType"])))
            } else {
                let since = try #require(created[id], "hold \(id) released before it was created")
                #expect(occurred - since >= 3_600_000 && occurred - since <= 8 * 3_600_000 + 60_000)
                #expect(released.insert(id).inserted)
                for line in data?["lines"]?.arrayValue ?? [] {
                    dispositions[Fixtures.text(line["disposition"]) ?? "", default: 0] += 1
                }
            }
        }
        let total = Double(dispositions.values.reduce(0, +))
        #expect(total > 50)
        #expect(Set(dispositions.keys) == ["RELEASE", "SCRAP"])
        #expect(abs(Double(dispositions["SCRAP"] ?? 0) / total - 0.3) < 0.15, "\(dispositions)")
    }

    @Test func everyCatalogueTypeIsGeneratedWithTheConventionalTopics() throws {
        let registry = try Fixtures.registry.get()
        let events = try Self.events(
            count: 20_000, routing: .conventional,
            types: Set(EventType.allCases).subtracting([.machineCycle, .machineTelemetry, .machineState]))
        var types = Set(events.compactMap { Fixtures.text($0["type"]) })
        types.formUnion(try Self.events(count: 500, routing: .conventional).compactMap { Fixtures.text($0["type"]) })
        #expect(
            types == Set(EventType.allCases.map(\.name)),
            "missing \(Set(EventType.allCases.map(\.name)).subtracting(types))")
        for event in events {
            let type = Fixtures.text(event["type"]) ?? ""
            let version = Int(Fixtures.text(event["schemaVersion"]) ?? "") ?? 0
            let schema = try #require(SchemaID(type: type, version: version).flatMap { registry.schema($0) })
            #expect(schema.validator.validate(event).isEmpty, "\(type)")
        }
    }
}
