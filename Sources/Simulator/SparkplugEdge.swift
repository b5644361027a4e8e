import Sparkplug

/// The plant's line controllers as Sparkplug B edge nodes (group = plant, edge node = line, device = machine):
/// NBIRTH and DBIRTH certificates, DATA with aliases and only the metrics that changed, a sequence number per
/// edge node, and the faults of a real MQTT link — a lost message (a sequence gap) and a reconnect (NDEATH, then
/// NBIRTH and DBIRTHs with the current values).
///
/// Counters are cumulative, as PLCs keep them: a lost message loses no parts, the next value includes them.
struct SparkplugEdge: Sendable {
    /// The metrics every device declares in its DBIRTH; the alias is the position + 1.
    enum Metric: Int, CaseIterable {
        case good, reject, rework, state, temperature, power, vibration

        var name: String {
            switch self {
            case .good: "Counters/Good"
            case .reject: "Counters/Reject"
            case .rework: "Counters/Rework"
            case .state: "State"
            case .temperature: "Spindle/Temperature"
            case .power: "Drive/Power"
            case .vibration: "Spindle/Vibration"
            }
        }

        var datatype: SparkplugDataType {
            switch self {
            case .good, .reject, .rework: .uint64
            case .state: .int32
            case .temperature, .power, .vibration: .double
            }
        }

        var alias: UInt64 { UInt64(rawValue + 1) }

        /// The engineering unit (a UN/ECE Rec 20 code) in the BIRTH's properties.
        var unit: String? {
            switch self {
            case .good, .reject, .rework: "H87"
            case .state: nil
            case .temperature: "CEL"
            case .power: "KWT"
            case .vibration: "C16"
            }
        }
    }

    /// What a machine event changes on its device.
    enum Update {
        /// Parts counted by a cycle (added to the cumulative counters).
        case parts(good: UInt64, reject: UInt64, rework: UInt64)
        /// A PackML state code (ISA-TR88.00.02 numbering).
        case state(Int32)
        /// One telemetry sample; quality 192 is good, 64 uncertain (OPC quality codes).
        case samples(temperature: Double, power: Double, vibration: Double, quality: Int32, sampledAt: Int64)
    }

    /// One MQTT message as the bridge puts it on Kafka.
    struct Message {
        var topic: SparkplugTopic
        var payload: [UInt8]
    }

    private struct Node {
        var born = false
        var seq: UInt64 = 0
        var bdSeq: UInt64 = 0
    }

    private struct Device {
        var born = false
        var values: [SparkplugWireValue?] = [.longValue(0), .longValue(0), .longValue(0), .intValue(4), nil, nil, nil]
    }

    let lostShare: Double
    let reconnectShare: Double
    private var nodes: [String: Node] = [:]
    private var devices: [Int: Device] = [:]
    /// The edge node (`group/node`) of each machine that has reported.
    private var machineNodes: [Int: String] = [:]
    private var random: RandomSource
    private(set) var lostMessages = 0
    private(set) var reconnects = 0

    init(configuration: SparkplugSimulation, seed: UInt64) {
        lostShare = configuration.lostShare
        reconnectShare = configuration.reconnectShare
        random = RandomSource(seed: seed, stream: 4)
    }

    /// The messages one machine event makes: the node's and device's BIRTHs when they are not born yet, the
    /// DDATA (unless the link loses it), and after it, for a reconnect, the node's NDEATH.
    mutating func messages(
        machine: Int, group: String, node nodeId: String, device deviceId: String, at time: Int64, _ update: Update
    ) -> [Message] {
        var messages: [Message] = []
        let nodeKey = group + "/" + nodeId
        var node = nodes[nodeKey] ?? Node()
        var device = devices[machine] ?? Device()
        let timestamp = UInt64(max(0, time))
        if !node.born {
            node.born = true
            node.seq = 0
            let birth = SparkplugPayload(
                timestamp: timestamp,
                metrics: [
                    SparkplugMetric(
                        name: "bdSeq", timestamp: timestamp, datatype: .uint64, value: .longValue(node.bdSeq)),
                    SparkplugMetric(
                        name: "Node Control/Rebirth", timestamp: timestamp, datatype: .boolean,
                        value: .booleanValue(false)),
                ], seq: 0)
            messages.append(Message(topic: topic(group, .nodeBirth, nodeId), payload: birth.encoded()))
        }
        // A device births with its values before the event (as it connects before it produces).
        if !device.born {
            device.born = true
            node.seq = (node.seq + 1) & 0xFF
            let metrics = Metric.allCases.map { metric in
                SparkplugMetric(
                    name: metric.name, alias: metric.alias, timestamp: timestamp, datatype: metric.datatype,
                    value: device.values[metric.rawValue],
                    properties: metric.unit.map {
                        SparkplugPropertySet(
                            keys: ["engUnit"], values: [SparkplugPropertyValue(type: .string, value: .string($0))])
                    })
            }
            let birth = SparkplugPayload(timestamp: timestamp, metrics: metrics, seq: node.seq)
            messages.append(Message(topic: topic(group, .deviceBirth, nodeId, deviceId), payload: birth.encoded()))
        }
        var changed: [Metric] = []
        var sampledAt = timestamp
        var quality: Int32 = 192
        switch update {
        case .parts(let good, let reject, let rework):
            for (metric, count) in [(Metric.good, good), (.reject, reject), (.rework, rework)] where count > 0 {
                if case .longValue(let total)? = device.values[metric.rawValue] {
                    device.values[metric.rawValue] = .longValue(total + count)
                }
                changed.append(metric)
            }
        case .state(let code):
            device.values[Metric.state.rawValue] = .intValue(UInt32(bitPattern: code))
            changed.append(.state)
        case .samples(let temperature, let power, let vibration, let sampleQuality, let at):
            device.values[Metric.temperature.rawValue] = .doubleValue(temperature)
            device.values[Metric.power.rawValue] = .doubleValue(power)
            device.values[Metric.vibration.rawValue] = .doubleValue(vibration)
            changed = [.temperature, .power, .vibration]
            sampledAt = UInt64(max(0, at))
            quality = sampleQuality
        }
        if !changed.isEmpty {
            node.seq = (node.seq + 1) & 0xFF
            let metrics = changed.map { metric in
                var value = SparkplugMetric(
                    alias: metric.alias, timestamp: metric.datatype == .double ? sampledAt : timestamp,
                    datatype: nil, value: device.values[metric.rawValue])
                if metric.datatype == .double && quality != 192 {
                    value.properties = SparkplugPropertySet(
                        keys: ["Quality"], values: [SparkplugPropertyValue(type: .int32, value: .int(Int64(quality)))])
                }
                return value
            }
            let data = SparkplugPayload(timestamp: timestamp, metrics: metrics, seq: node.seq)
            if random.chance(lostShare) {
                lostMessages += 1
            } else {
                messages.append(Message(topic: topic(group, .deviceData, nodeId, deviceId), payload: data.encoded()))
            }
        }
        if random.chance(reconnectShare) {
            // The broker publishes the node's will; the node reconnects with a new bdSeq and rebirths.
            let death = SparkplugPayload(
                timestamp: timestamp,
                metrics: [
                    SparkplugMetric(
                        name: "bdSeq", timestamp: timestamp, datatype: .uint64, value: .longValue(node.bdSeq))
                ])
            messages.append(Message(topic: topic(group, .nodeDeath, nodeId), payload: death.encoded()))
            node.born = false
            node.bdSeq += 1
            reconnects += 1
            for index in devices.keys.sorted() where machineNodes[index] == nodeKey {
                devices[index]?.born = false
            }
            device.born = false
        }
        nodes[nodeKey] = node
        devices[machine] = device
        machineNodes[machine] = nodeKey
        return messages
    }

    private func topic(
        _ group: String, _ type: SparkplugTopic.MessageType, _ node: String, _ device: String? = nil
    ) -> SparkplugTopic {
        SparkplugTopic(group: group, messageType: type, edgeNode: node, device: device)
    }
}

/// `--sparkplug`: machine events as Sparkplug B from the line controllers, with the link's faults.
public struct SparkplugSimulation: Sendable, Hashable {
    /// Share of DATA messages the link loses (the edge node's sequence shows the gap).
    public var lostShare: Double
    /// Share of DATA messages after which the edge node reconnects (NDEATH, then NBIRTH and DBIRTHs).
    public var reconnectShare: Double

    /// Creates the settings.
    public init(lostShare: Double = 0, reconnectShare: Double = 0) {
        self.lostShare = lostShare
        self.reconnectShare = reconnectShare
    }
}
