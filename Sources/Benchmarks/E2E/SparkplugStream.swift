import KafkaClient
import Sparkplug

/// Synthetic Sparkplug B traffic as an MQTT bridge writes it: the protobuf payload as the value, the key
/// `<group>|<edge node>` (so a node's messages share a partition), the MQTT topic in the `mqtt_topic` header.
/// 64 edge nodes (4 groups × 16 nodes), 4 devices each. Events `0..<64` are the NBIRTHs, `64..<320` the
/// DBIRTHs (10 metrics with names, aliases, datatypes and an engineering unit), then DDATA round by round over
/// the devices, every 10 s of event time: 10 metrics each, alias and value only (counters, a state text,
/// temperatures, pressures), the sequence number running per node. Every message decodes; none is invalid.
struct SparkplugStream: EventGenerator {
    static let groups = 4
    static let nodesPerGroup = 16
    static let nodes = groups * nodesPerGroup
    static let devicesPerNode = 4
    static let devices = nodes * devicesPerNode
    static let metricsPerMessage = 10
    /// The header holding the MQTT topic.
    static let topicHeader = "mqtt_topic"
    static let births = nodes + devices
    /// Event time between two DDATA of one device.
    static let roundMs: Int64 = 10_000

    let partitions: Int
    let startMs: Int64
    private var value: [UInt8] = []
    private var key: [UInt8] = []

    init(partitions: Int, startMs: Int64) {
        self.partitions = max(partitions, 1)
        self.startMs = startMs
    }

    func indexesByPartition(count: Int) -> [Int] {
        var byPartition = [[Int]](repeating: [], count: partitions)
        for index in 0..<count { byPartition[Int(partition(ofNode: node(of: index)))].append(index) }
        return byPartition.flatMap { $0 }
    }

    func invalidCount(of count: Int) -> Int { 0 }

    /// Job A writes one record per metric: the births' and 10 per DDATA.
    func routedCount(of count: Int) -> Int {
        let nodeBirths = min(count, Self.nodes)
        let deviceBirths = min(max(count - Self.nodes, 0), Self.devices)
        let data = max(count - Self.births, 0)
        return nodeBirths * 2 + (deviceBirths + data) * Self.metricsPerMessage
    }

    /// The edge node of event `index` (`0..<nodes`).
    private func node(of index: Int) -> Int {
        if index < Self.nodes { return index }
        return device(of: index) / Self.devicesPerNode
    }

    /// The device of a DBIRTH or DDATA event (`0..<devices`).
    private func device(of index: Int) -> Int { (index - Self.nodes) % Self.devices }

    private func partition(ofNode node: Int) -> Int32 { Int32(node % partitions) }

    private static func names(ofNode node: Int) -> (group: String, node: String) {
        (
            "P" + CycleStream.digits(node / nodesPerGroup + 1, 2),
            "line-" + CycleStream.digits(node % nodesPerGroup + 1, 2)
        )
    }

    mutating func header(of index: Int) -> KafkaHeader? {
        let node = node(of: index)
        let (group, edgeNode) = Self.names(ofNode: node)
        let type = index < Self.nodes ? "NBIRTH" : index < Self.births ? "DBIRTH" : "DDATA"
        let device = index < Self.nodes ? "" : "/M" + CycleStream.digits(device(of: index) % Self.devicesPerNode + 1, 2)
        return KafkaHeader(name: Self.topicHeader, string: "spBv1.0/\(group)/\(type)/\(edgeNode)\(device)")
    }

    /// The definitions of a device's metrics: name, datatype, unit.
    static let metrics: [(String, SparkplugDataType, String)] = [
        ("Counters/Good", .int64, "PCS"), ("Counters/Reject", .int64, "PCS"), ("State", .string, ""),
        ("Temperature/Spindle", .float, "Cel"), ("Temperature/Coolant", .float, "Cel"),
        ("Pressure/Hydraulic", .double, "bar"), ("Speed", .double, "1/min"), ("Power", .float, "kW"),
        ("Cycle/TimeMs", .uint32, "ms"), ("Door/Open", .boolean, ""),
    ]

    private func value(of metric: Int, round: Int, device: Int) -> SparkplugWireValue {
        let wiggle = Double((round * 7 + device * 3 + metric) % 20) / 10
        switch metric {
        case 0: return .longValue(UInt64(round * 4 + device % 3))
        case 1: return .longValue(UInt64(round / 25))
        case 2: return .stringValue(round % 40 == 39 ? "IDLE" : "RUNNING")
        case 3: return .floatValue(Float(41 + wiggle))
        case 4: return .floatValue(Float(22 + wiggle / 2))
        case 5: return .doubleValue(180 + wiggle * 3)
        case 6: return .doubleValue(1450 + wiggle * 10)
        case 7: return .floatValue(Float(11 + wiggle))
        case 8: return .intValue(UInt32(30_000 + (round % 50)))
        default: return .booleanValue(round % 100 == 99)
        }
    }

    mutating func withEvent<R>(
        _ index: Int, _ body: (_ partition: Int32, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> R
    ) -> R {
        let node = node(of: index)
        let (group, edgeNode) = Self.names(ofNode: node)
        key = Array("\(group)|\(edgeNode)".utf8)
        let payload: SparkplugPayload
        if index < Self.nodes {
            payload = SparkplugPayload(
                timestamp: UInt64(startMs),
                metrics: [
                    SparkplugMetric(name: "bdSeq", datatype: .int64, value: .longValue(0)),
                    SparkplugMetric(name: "Node Control/Rebirth", datatype: .boolean, value: .booleanValue(false)),
                ], seq: 0)
        } else {
            let device = device(of: index)
            let round = index < Self.births ? -1 : (index - Self.births) / Self.devices
            // Per node: NBIRTH 0, the 4 DBIRTHs 1…4, then its devices' DDATA in turn.
            let seq = UInt64((1 + device % Self.devicesPerNode + (round + 1) * Self.devicesPerNode) % 256)
            var metrics: [SparkplugMetric] = []
            for (number, definition) in Self.metrics.enumerated() {
                let wire = value(of: number, round: max(round, 0), device: device)
                if round < 0 {
                    let unit = SparkplugPropertySet(
                        keys: ["engUnit"], values: [SparkplugPropertyValue(type: .string, value: .string(definition.2))]
                    )
                    metrics.append(
                        SparkplugMetric(
                            name: definition.0, alias: UInt64(number + 1), datatype: definition.1, value: wire,
                            properties: definition.2.isEmpty ? nil : unit))
                } else {
                    metrics.append(SparkplugMetric(alias: UInt64(number + 1), value: wire))
                }
            }
            let time =
                startMs + Int64(max(round, 0)) * Self.roundMs + Int64(device) * Self.roundMs / Int64(Self.devices)
            payload = SparkplugPayload(timestamp: UInt64(time), metrics: metrics, seq: seq)
        }
        value = payload.encoded()
        let partition = partition(ofNode: node)
        return key.withUnsafeBytes { key in value.withUnsafeBytes { body(partition, key, $0) } }
    }
}
