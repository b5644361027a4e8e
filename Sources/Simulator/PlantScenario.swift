/// The plants to simulate and where their events go: built from the topology and its reference data
/// (`PlantScenario.load`), so every plant, machine, work center, material, storage location and reason
/// code in the stream exists in the tables the processor joins.
public struct PlantScenario: Sendable {
    var plants: [ScenarioPlant]
    /// Where each event type goes.
    public var routing: EventRouting
    /// Problems that did not stop loading (e.g. a table the simulator replaces with defaults).
    public internal(set) var warnings: [String]
    /// The start used when the configuration names none (and the instant effective-dated rows were
    /// chosen for): 06:00 plant-local time of the first plant on 2025-03-17, or on the first day of its
    /// last open posting period when that date is not open.
    public let defaultStartMs: Int64

    init(plants: [ScenarioPlant], routing: EventRouting, warnings: [String] = [], defaultStartMs: Int64) {
        self.plants = plants
        self.routing = routing
        self.warnings = warnings
        self.defaultStartMs = defaultStartMs
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
}
