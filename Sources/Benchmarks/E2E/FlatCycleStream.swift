import JSON

/// Synthetic flat machine cycles as a line controller publishes them (`linectl.machine_cycle/v1`: plain JSON,
/// snake_case, no envelope, no headers), the shape users bring: 256 keys (4 plants × 8 lines × 8 work
/// centers, key `plant|line|work_center`) spread over the partitions, 4 machines per work center, one event
/// per machine every 30 s, and 1 % invalid on purpose (`scrap_qty` −1) so that a validating job dead-letters
/// them.
///
/// ```json
/// {"event_id":"0195f3a0-6c1e-7b2a-9d4e-000000000001","schema":"linectl.machine_cycle/v1","plant":"P01",
///  "line":"L01","work_center":"WC01","machine":"M0001","order_id":"1000000","operation":"0010",
///  "event_time":"2026-04-14T08:00:00.000Z","good_qty":4,"scrap_qty":0,"cycle_ms":30000}
/// ```
struct FlatCycleStream: EventGenerator {
    static let plants = 4
    static let lines = 8
    static let workCenters = 8
    static let machinesPerWorkCenter = 4
    /// Keys (plant, line, work center).
    static let keyCount = plants * lines * workCenters
    static let machineCount = keyCount * machinesPerWorkCenter
    /// Simulated seconds between two cycles of one machine.
    static let cycleSeconds: Int64 = 30
    /// Cycles of one work center per production order.
    static let roundsPerOrder = 120

    /// Partitions of the input topic (key `k` goes to partition `k % partitions`).
    let partitions: Int
    /// Event time of the first event (ms).
    let startMs: Int64
    private var writer = JSONWriter(capacity: 512)
    private var keyBuffer: [UInt8] = []

    init(partitions: Int, startMs: Int64) {
        self.partitions = max(partitions, 1)
        self.startMs = startMs
    }

    func indexesByPartition(count: Int) -> [Int] {
        let machines = Self.machineCount
        let rounds = (count + machines - 1) / machines
        var result: [Int] = []
        result.reserveCapacity(count)
        for partition in 0..<partitions {
            for round in 0..<rounds {
                // The keys of a partition interleaved round by round: event time never goes back in a partition.
                for key in stride(from: partition, to: Self.keyCount, by: partitions) {
                    for offset in 0..<Self.machinesPerWorkCenter {
                        let index = round * machines + key * Self.machinesPerWorkCenter + offset
                        if index < count { result.append(index) }
                    }
                }
            }
        }
        return result
    }

    func invalidCount(of count: Int) -> Int { (count + 1) / 100 }

    /// Whether event `index` is one of the invalid ones.
    static func isInvalid(_ index: Int) -> Bool { index % 100 == 99 }

    mutating func withEvent<R>(
        _ index: Int, _ body: (_ partition: Int32, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> R
    ) -> R {
        let machines = Self.machineCount
        let machine = index % machines
        let round = index / machines
        let keyIndex = machine / Self.machinesPerWorkCenter
        let plant = keyIndex / (Self.lines * Self.workCenters)
        let line = keyIndex / Self.workCenters % Self.lines
        let workCenter = keyIndex % Self.workCenters
        let time =
            startMs + Int64(round) * Self.cycleSeconds * 1000 + Int64(machine) * Self.cycleSeconds * 1000
            / Int64(machines)
        let plantID = "P" + CycleStream.digits(plant + 1, 2)
        let lineID = "L" + CycleStream.digits(line + 1, 2)
        let workCenterID = "WC" + CycleStream.digits(workCenter + 1, 2)
        let total = Int64(4 + index % 3)
        let scrap: Int64 = Self.isInvalid(index) ? -1 : (index % 11 == 0 ? 1 : 0)

        CycleStream.writeKey(plantID, lineID, workCenterID, into: &keyBuffer)

        writer.reset()
        writer.beginObject()
        writer.key("event_id")
        writer.string(CycleStream.eventID(index))
        writer.key("schema")
        writer.string("linectl.machine_cycle/v1")
        writer.key("plant")
        writer.string(plantID)
        writer.key("line")
        writer.string(lineID)
        writer.key("work_center")
        writer.string(workCenterID)
        writer.key("machine")
        writer.string("M" + CycleStream.digits(machine + 1, 4))
        writer.key("order_id")
        writer.string(String(1_000_000 + keyIndex * 1000 + round / Self.roundsPerOrder))
        writer.key("operation")
        writer.string("0010")
        writer.key("event_time")
        writer.string(RFC3339Text.format(time))
        writer.key("good_qty")
        writer.int(max(total - max(scrap, 0), 0))
        writer.key("scrap_qty")
        writer.int(scrap)
        writer.key("cycle_ms")
        writer.int(Self.cycleSeconds * 1000 - Int64(index % 500))
        writer.endObject()
        let partition = Int32(keyIndex % partitions)
        return keyBuffer.withUnsafeBytes { key in
            writer.withBytes { value in body(partition, key, value) }
        }
    }
}
