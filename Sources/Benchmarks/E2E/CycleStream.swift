import JSON

/// Synthetic `machine.cycle/v2` events of many machines (domain.md §2.8's load profile: plants × lines ×
/// work centers × machines), in event-time order, for the end-to-end benchmark.
///
/// Each (plant, line, work center) — the key of both benchmark jobs — goes to its own partition, so the input
/// spreads evenly over the partitions and fits the embedded broker's retention.
struct CycleStream: EventGenerator {
    /// Plants × lines × work centers = keys = partitions.
    let plants: Int
    let lines: Int
    let workCenters: Int
    /// Machines per work center.
    let machinesPerWorkCenter: Int
    /// Simulated seconds between two cycles of one machine.
    let cycleSeconds: Int64
    /// Event time of the first event (ms).
    let startMs: Int64
    private var writer = JSONWriter(capacity: 512)
    private var keyBuffer: [UInt8] = []

    init(partitions: Int, machinesPerWorkCenter: Int = 4, cycleSeconds: Int64 = 30, startMs: Int64) {
        // Spread the partitions over plants, lines and work centers (4 plants × 8 lines × 4 work centers = 128).
        var remaining = partitions
        plants = Self.factor(&remaining, preferring: 4)
        lines = Self.factor(&remaining, preferring: 8)
        workCenters = remaining
        self.machinesPerWorkCenter = machinesPerWorkCenter
        self.cycleSeconds = cycleSeconds
        self.startMs = startMs
    }

    /// Keys (= partitions).
    var keyCount: Int { plants * lines * workCenters }

    /// Machines in all.
    var machineCount: Int { keyCount * machinesPerWorkCenter }

    /// The indexes `0..<count` grouped by partition (ascending within each, i.e. in event-time order).
    func indexesByPartition(count: Int) -> [Int] {
        let machines = machineCount
        let rounds = (count + machines - 1) / machines
        var result: [Int] = []
        result.reserveCapacity(count)
        for key in 0..<keyCount {
            for round in 0..<rounds {
                for offset in 0..<machinesPerWorkCenter {
                    let index = round * machines + key * machinesPerWorkCenter + offset
                    if index < count { result.append(index) }
                }
            }
        }
        return result
    }

    /// Writes event `index` and hands its partition, key and value to `body`.
    mutating func withEvent<R>(
        _ index: Int, _ body: (_ partition: Int32, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> R
    ) -> R {
        let machines = machineCount
        let machine = index % machines
        let round = Int64(index / machines)
        let keyIndex = machine / machinesPerWorkCenter
        let plant = keyIndex / (lines * workCenters)
        let line = keyIndex / workCenters % lines
        let workCenter = keyIndex % workCenters
        let time = startMs + round * cycleSeconds * 1000 + Int64(machine) * cycleSeconds * 1000 / Int64(machines)
        let plantID = "P" + Self.digits(plant + 1, 2)
        let lineID = "L" + Self.digits(line + 1, 2)
        let workCenterID = "WC" + Self.digits(workCenter + 1, 2)
        let equipmentID = "M" + Self.digits(machine + 1, 5)
        let total = Int64(4 + index % 3)
        let rework = index % 17 == 0 ? Int64(1) : 0
        let scrap = index % 11 == 0 ? Int64(1) : 0
        let timestamp = RFC3339Text.format(time)

        Self.writeKey(plantID, lineID, workCenterID, into: &keyBuffer)

        writer.reset()
        writer.beginObject()
        writer.key("specVersion")
        writer.string("mfg/1.0")
        writer.key("eventId")
        writer.string(Self.eventID(index))
        writer.key("type")
        writer.string("machine.cycle")
        writer.key("schemaVersion")
        writer.int(2)
        writer.key("source")
        writer.string("edge://\(plantID)/\(lineID)/\(equipmentID)")
        writer.key("occurredAt")
        writer.string(timestamp)
        writer.key("ingestedAt")
        writer.string(timestamp)
        writer.key("plantId")
        writer.string(plantID)
        writer.key("equipment")
        writer.beginObject()
        writer.key("enterpriseId")
        writer.string("acme")
        writer.key("siteId")
        writer.string(plantID)
        writer.key("areaId")
        writer.string("A1")
        writer.key("lineId")
        writer.string(lineID)
        writer.key("workCellId")
        writer.string(workCenterID)
        writer.key("equipmentId")
        writer.string(equipmentID)
        writer.endObject()
        writer.key("data")
        writer.beginObject()
        writer.key("cycleId")
        writer.string("\(equipmentID)-\(round + 1)")
        writer.key("totalCount")
        writer.int(total)
        writer.key("goodCount")
        writer.int(total - scrap - rework)
        writer.key("reworkCount")
        writer.int(rework)
        writer.key("cycleTimeMs")
        writer.int(cycleSeconds * 1000 - Int64(index % 500))
        writer.endObject()
        writer.endObject()
        let partition = Int32(keyIndex)
        return keyBuffer.withUnsafeBytes { key in
            writer.withBytes { value in body(partition, key, value) }
        }
    }

    func invalidCount(of count: Int) -> Int { 0 }

    /// The key `plant|line|work center` of both workloads, written into `buffer`.
    static func writeKey(_ plant: String, _ line: String, _ workCenter: String, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: plant.utf8)
        buffer.append(0x7C)
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x7C)
        buffer.append(contentsOf: workCenter.utf8)
    }

    /// A UUIDv7-shaped id from the index.
    static func eventID(_ index: Int) -> String {
        let hex = String(index, radix: 16)
        return "01958f3a-6c1e-7b2a-9d4e-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func factor(_ remaining: inout Int, preferring preferred: Int) -> Int {
        var factor = min(preferred, remaining)
        while factor > 1 && remaining % factor != 0 { factor -= 1 }
        factor = max(factor, 1)
        remaining /= factor
        return factor
    }
}

/// RFC 3339 UTC timestamps with milliseconds, without Foundation.
enum RFC3339Text {
    /// `2026-04-14T08:00:00.000Z`.
    static func format(_ milliseconds: Int64) -> String {
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let rest = milliseconds - days * 86_400_000
        let (year, month, day) = civil(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3_600_000, 2)):"
            + "\(pad(rest / 60_000 % 60, 2)):\(pad(rest / 1000 % 60, 2)).\(pad(rest % 1000, 3))Z"
    }

    /// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
    private static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
