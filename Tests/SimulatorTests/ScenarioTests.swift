import Foundation
import Testing
import Timekeeping
import Topology

@testable import Simulator

/// Building plants from the reference data and reading the topology.
@Suite struct ScenarioTests {
    @Test func plantsLinesAndMachinesComeFromTheEquipmentMaster() throws {
        let scenario = try Fixtures.scenario()
        #expect(scenario.plantIDs == ["DE01", "US01", "CN01"])
        #expect(scenario.lineCount == 12)
        #expect(scenario.machineCount == 72)
        #expect(scenario.warnings.isEmpty, "\(scenario.warnings)")
        let plant = scenario.plants[0]
        #expect(plant.timeZone == "Europe/Berlin")
        #expect(plant.lines.map(\.id) == ["L1", "L2", "L3", "L4"])
        #expect(plant.machines[4].equipmentId == "M05" && plant.machines[4].workCenterId == "WC-CNC05")
        #expect(plant.productionStorageLocation == "FG01")
        #expect(plant.issueStorageLocation == "PS01")
        #expect(plant.warehouseStorageLocation == "RM01")
        #expect(plant.orders.count == 8)
        #expect(plant.orders[0].operations.map(\.id) == ["0010", "0020", "0030", "0040"])
        #expect(plant.orders[0].plannedQty == 240)
        // Lines make what their orders make.
        let products = plant.lines.map { $0.products.map { plant.materials[plant.products[$0].material].id } }
        #expect(products == [["FG-4711"], ["FG-4711"], ["FG-4712"], ["FG-4713"]])
        #expect(plant.reasons(for: .downtime(lossType: "EQUIPMENT_FAILURE")).map(\.code) == ["M01", "E01", "H01"])
        #expect(plant.reasons(for: .scrap).allSatisfy { $0.codeSet == "mes-DE01" })
        #expect(plant.reasons(for: .inventoryScrap).map(\.code) == ["INV1", "INV2"])
        #expect(plant.reasons(for: .quality).map(\.code) == ["CONTAM", "CAL"])
        #expect(plant.workCenter("WC-CNC01")?.activityKeys == ["SETUP", "MACHINE", "LABOR"])
        #expect(plant.breakTimes == [2, 10, 18].map { $0 * CivilTime.hourMs })
        #expect(scenario.plants[2].breakTimes == [0, 4, 12, 16].map { $0 * CivilTime.hourMs })
    }

    @Test func theStartPicksEffectiveDatedEquipmentRows() throws {
        let march = try Fixtures.scenario(plants: 1)
        #expect(march.plants[0].machines[4].defaultIdealCycleMs == 38_000)
        #expect(march.defaultStartMs == RFC3339.parseLenient("2025-03-17T06:00:00+01:00"))
        let july = try Fixtures.scenario(plants: 1, start: RFC3339.parseLenient("2025-07-01T06:00:00Z"))
        #expect(july.plants[0].machines[4].defaultIdealCycleMs == 34_200)
    }

    @Test func regionsAndLimitsSelectPlants() throws {
        #expect(try Fixtures.scenario(region: "eu-central").plantIDs == ["DE01", "CN01"])
        #expect(try Fixtures.scenario(region: "americas").plantIDs == ["US01"])
        #expect(try Fixtures.scenario(plants: 2).plantIDs == ["DE01", "US01"])
        #expect {
            try Fixtures.scenario(region: "mars")
        } throws: { error in
            (error as? SimulatorError)?.message.contains("eu-central") ?? false
        }
    }

    @Test func billsOfMaterialsAreDerivedFromTheComponents() throws {
        let plant = try Fixtures.scenario(plants: 1).plants[0]
        for product in plant.products {
            let components = product.components.map { plant.materials[$0.material] }
            #expect(components.contains { !$0.isDiscrete && $0.batchManaged })
            #expect(components.contains { $0.isDiscrete && $0.batchManaged })
            #expect(product.components.contains { $0.backflush && !plant.materials[$0.material].batchManaged })
            #expect(product.components.allSatisfy { plant.materials[$0.material].kind == .component })
        }
    }

    @Test func sourcesRouteTypesByPipelineAndByConventionalTopic() throws {
        let routing = EventRouting(topology: try Fixtures.topology())
        #expect(routing.routes[.machineCycle]?.topic == "mfg.machine.v1")
        #expect(routing.routes[.machineCycle]?.key.map(\.description) == ["plantId", "equipment.equipmentId"])
        #expect(routing.routes[.materialConsumed]?.topic == "mfg.production.v1")
        #expect(routing.routes[.operationStarted]?.topic == "mfg.production.v1")
        #expect(routing.routes[.qualityHoldReleased]?.key.map(\.description) == ["plantId", "data.holdId"])
        #expect(routing.routes[.machineTelemetry] == nil)
        #expect(routing.routes[.orderReleased] == nil)
        #expect(routing.topics == ["mfg.machine.v1", "mfg.production.v1", "mfg.quality.v1"])
    }

    @Test func aTopologyWithErrorsIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-broken-topology.yaml").path
        try "application: x\nsources: [ { name: a } ]\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try PlantScenario.readTopology(file: path)
        } throws: { error in
            guard let error = error as? SimulatorError else { return false }
            return error.code == .invalidTopology && error.message.contains(path + ":")
        }
    }

    @Test(arguments: [("1250.5", Int64(1_250_500)), ("980", 980_000), ("0.001", 1), (".5", 500), ("1.23456", 1234)])
    func decimalsParseToThousandths(text: String, milli: Int64) {
        #expect(ScenarioBuilder.milli(text) == milli)
    }

    @Test func listsOfObjectsBecomeEntries() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-calendar.yaml").path
        try """
        - plantId: P1
          timeZone: Europe/Berlin
          shifts:
            - { id: A, start: "06:00", end: "18:00" }
            - { id: B, start: "18:00", end: "06:00" }
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let rows = try ReferenceTables.read(path: path)
        #expect(rows.count == 1 && rows[0]["timeZone"] == "Europe/Berlin")
        let shifts = ReferenceTables.entries(rows[0]["shifts"])
        #expect(
            shifts == [["id": "A", "start": "06:00", "end": "18:00"], ["id": "B", "start": "18:00", "end": "06:00"]])
    }

    @Test func aMissingReferenceDirectoryIsAnError() {
        #expect {
            try PlantScenario.load(referenceDirectory: "/nonexistent/reference")
        } throws: { error in
            (error as? SimulatorError)?.code == .invalidReferenceData
        }
    }
}
