/// The synthetic workloads `bench e2e` ships, each with a route job (A) and a window job (B).
public enum BenchWorkload: String, Sendable, CaseIterable {
    /// Catalogue `machine.cycle/v2` events in the canonical envelope: the shape the hot path was tuned for.
    case catalogue
    /// Flat line-controller cycles (`linectl.machine_cycle/v1`): plain JSON, no headers, 256 keys, 1 % invalid.
    case flat
    /// Sparkplug B DDATA of 256 devices, 10 aliased metrics each, after their births (protobuf, MQTT topic header).
    case sparkplug

    /// One line for the report.
    public var summary: String {
        switch self {
        case .catalogue: "catalogue machine.cycle/v2 events (canonical envelope)"
        case .flat: "flat linectl.machine_cycle/v1 events (plain JSON, no headers, 256 keys, 1 % invalid)"
        case .sparkplug:
            "Sparkplug B DDATA messages (protobuf, 10 aliased metrics each, 64 edge nodes × 4 devices, after births)"
        }
    }

    func generator(partitions: Int, startMs: Int64) -> any EventGenerator {
        switch self {
        case .catalogue: CycleStream(partitions: partitions, startMs: startMs)
        case .flat: FlatCycleStream(partitions: partitions, startMs: startMs)
        case .sparkplug: SparkplugStream(partitions: partitions, startMs: startMs)
        }
    }
}
