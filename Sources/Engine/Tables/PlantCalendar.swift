import JSON
import Timekeeping
import Topology

/// Plant time zones and open posting periods from the `plantCalendar` table.
///
/// Zone transition tables are built when the table is loaded or changes (off the hot path, through
/// Foundation); per-record lookups hash the plant id and search plain integers.
final class PlantCalendar {
    /// What the calendar knows about one plant.
    struct Plant {
        var zone: ZoneRules
        /// Open posting periods as inclusive local-day ranges; `nil` when the row lists none (all open).
        var openPeriods: [(from: Int64, to: Int64)]?
    }

    let table: GlobalTable?
    private var plants = ByteKeyMap<Int>()
    private var entries: [Plant] = []
    private var builtVersion = -1
    private var zoneCache: [String: ZoneRules] = [:]
    /// Plants whose row could not be used (unknown zone), with the reason (for logs and tests).
    private(set) var problems: [String] = []

    init(table: GlobalTable?) {
        self.table = table
    }

    /// Rebuilds from the table if it changed.
    /// - Throws: ``EngineError/Code/unknownTimeZone`` when `strict` and a row names an unknown zone.
    func refresh(strict: Bool = false) throws(EngineError) {
        guard let table, table.version != builtVersion else { return }
        builtVersion = table.version
        plants = ByteKeyMap()
        entries = []
        problems = []
        for row in table.allRows {
            let root = row.document.root
            guard let plantNode = root[table.keyColumns.first ?? "plantId"], let plantId = Value.node(plantNode).string
            else { continue }
            let zoneName = root["timeZone"]?.string ?? "UTC"
            guard let zone = self.zone(named: zoneName) else {
                let problem = "plant \(plantId): unknown time zone \(zoneName)"
                if strict { throw EngineError(.unknownTimeZone, "table \(table.name): \(problem)") }
                problems.append(problem)
                continue
            }
            var periods: [(from: Int64, to: Int64)]?
            if let list = root["openPeriods"], list.kind == .array {
                var parsed: [(from: Int64, to: Int64)] = []
                for period in list.elements {
                    guard let from = period["from"].flatMap(Self.day), let to = period["to"].flatMap(Self.day) else {
                        continue
                    }
                    parsed.append((from, to))
                }
                periods = parsed
            }
            let key = Array(plantId.utf8)
            if plants.index(of: key) == nil {
                plants.insert(key, value: entries.count)
                entries.append(Plant(zone: zone, openPeriods: periods))
            }
        }
    }

    private func zone(named name: String) -> ZoneRules? {
        if let cached = zoneCache[name] { return cached }
        guard let zone = ZoneRules(identifier: name) else { return nil }
        zoneCache[name] = zone
        return zone
    }

    private static func day(_ node: JSONNode) -> Int64? {
        node.withUnescapedBytes { RFC3339.parseDate($0) } ?? nil
    }

    /// `true` when no calendar is configured (everything is UTC, every period open).
    var isAbsent: Bool { table == nil }

    /// The plant's entry, or `nil` when the calendar does not know it.
    @inline(__always)
    func plant(_ plantId: UnsafeRawBufferPointer) -> Plant? {
        if table?.version != builtVersion { try? refresh() }
        guard let index = plants.index(of: plantId) else { return nil }
        return entries[index]
    }

    /// The zone for a plant-id value: UTC without a calendar, `nil` for an unknown plant.
    func zone(for plantId: Value) -> ZoneRules? {
        if isAbsent { return .utc }
        return plantId.withString { plant($0)?.zone } ?? nil
    }
}
