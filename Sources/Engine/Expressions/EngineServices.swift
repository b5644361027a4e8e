import Topology

/// Engine-wide resources the compiled expressions and steps use: global tables, the plant
/// calendar, unit factors and the target system.
final class EngineServices {
    let tables: [String: GlobalTable]
    let calendar: PlantCalendar
    let units: GlobalTable?
    let targetSystem: String
    let topology: Topology

    init(topology: Topology, tables: [String: GlobalTable]) throws(EngineError) {
        self.topology = topology
        self.tables = tables
        if let binding = topology.plantCalendar {
            guard let table = tables[binding.table] else {
                throw EngineError(
                    .unknownTable, "plantCalendar names unknown table \(binding.table)", at: binding.location)
            }
            calendar = PlantCalendar(table: table)
        } else {
            calendar = PlantCalendar(table: nil)
        }
        if let binding = topology.units {
            guard let table = tables[binding.table] else {
                throw EngineError(.unknownTable, "units names unknown table \(binding.table)", at: binding.location)
            }
            units = table
        } else {
            units = nil
        }
        targetSystem = topology.defaults.targetSystem
        try calendar.refresh(strict: true)
    }
}
