/// The plants to simulate and where their events go: built from the topology and its reference data
/// (`PlantScenario.load`), so every plant, machine, work center, material, storage location and reason
/// code in the stream exists in the tables the processor joins.
public struct PlantScenario: Sendable {
    var plants: [ScenarioPlant]
    /// Where each event type goes.
    public var routing: EventRouting
    /// Problems that did not stop loading (e.g. a column the simulator fills with a default).
    public internal(set) var warnings: [String]

    init(plants: [ScenarioPlant], routing: EventRouting, warnings: [String] = []) {
        self.plants = plants
        self.routing = routing
        self.warnings = warnings
    }

    /// The plant ids, in simulation order.
    public var plantIDs: [String] { plants.map(\.id) }

    /// Machines across all plants.
    public var machineCount: Int { plants.reduce(0) { $0 + $1.machines.count } }

    /// Lines across all plants.
    public var lineCount: Int { plants.reduce(0) { $0 + $1.lines.count } }

    /// The same scenario restricted to the first `count` plants.
    public func limited(toPlants count: Int) -> PlantScenario {
        var copy = self
        copy.plants = Array(plants.prefix(max(0, count)))
        return copy
    }

    /// The same scenario restricted to the named plants (in the scenario's order).
    public func restricted(to plantIDs: [String]) -> PlantScenario {
        var copy = self
        copy.plants = plants.filter { plantIDs.contains($0.id) }
        return copy
    }

    /// 06:00 plant-local time on the first day of the newest open posting period of the first plant, or
    /// 2025-03-10T06:00Z without a calendar.
    public var defaultStartMs: Int64 {
        let fallback = CivilTime.days(year: 2025, month: 3, day: 10) * CivilTime.msPerDay + 6 * CivilTime.msPerHour
        guard let plant = plants.first, let period = plant.openPeriods.max(by: { $0.from < $1.from }) else {
            return fallback
        }
        let localSix = period.from * CivilTime.msPerDay + 6 * CivilTime.msPerHour
        guard let zone = ZoneOffsetTable(identifier: plant.timeZone, from: localSix) else { return localSix }
        return localSix - Int64(zone.offset(at: localSix)) * CivilTime.msPerSecond
    }
}
