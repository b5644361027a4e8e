import Foundation
import JSON
import Sparkplug
import Testing

@testable import Simulator

/// `--sparkplug`: the machines' signals as their line controllers publish them — births, aliased DATA, sequence
/// numbers, a lost message, a reconnect — while the rest of the plant stays its JSON twin.
@Suite struct SparkplugSimulationTests {
    /// Three simulated hours of plant DE01.
    static func records(_ sparkplug: SparkplugSimulation?) throws -> [SimulatedRecord] {
        var simulator = try PlantSimulator(
            scenario: try Fixtures.scenario(region: "eu-central", plants: 1),
            configuration: SimulatorConfiguration(seed: 11, sparkplug: sparkplug))
        let end = simulator.startMs + 3 * 3_600_000
        var records: [SimulatedRecord] = []
        while let record = simulator.next(), record.timestampMs < end { records.append(record) }
        return records
    }

    @Test func everyOtherRecordIsItsJSONTwinsByteForByte() throws {
        let json = try Self.records(nil)
        let sparkplug = try Self.records(SparkplugSimulation(lostShare: 0.01, reconnectShare: 0.005))
        let others = json.filter { !$0.eventType.isMachineSignal }
        #expect(others.count > 1000)
        #expect(sparkplug.filter { $0.envelope != .sparkplugB } == others)
        #expect(sparkplug.filter { $0.envelope == .sparkplugB }.allSatisfy { $0.topic == "uns.sparkplug.v1" })
    }

    /// One edge node's session as a Sparkplug host application tracks it.
    struct Node {
        var born = false
        var bdSeq: UInt64 = 0
        var nextSeq: UInt64 = 0
        var devices: Set<String> = []
    }

    @Test func edgeNodesFollowTheSparkplugRules() throws {
        let configuration = SparkplugSimulation(lostShare: 0.01, reconnectShare: 0.005)
        let records = try Self.records(configuration)
        var nodes: [String: Node] = [:]
        var counters: [String: UInt64] = [:]
        var missing = 0
        var deaths = 0
        var failures: [String] = []
        for record in records where record.envelope == .sparkplugB {
            let text = try #require(record.headers.first { $0.name == "mqtt_topic" }?.text)
            let topic = try #require(try SparkplugTopic(parsing: text))
            #expect(String(decoding: record.key, as: UTF8.self) == "\(topic.group)|\(topic.edgeNode)")
            let payload = try SparkplugPayload(decoding: record.value)
            let name = topic.group + "/" + topic.edgeNode
            var node = nodes[name] ?? Node()
            switch topic.messageType {
            case .nodeBirth:
                if node.born { failures.append("\(name): NBIRTH while born") }
                if payload.seq != 0 { failures.append("\(name): NBIRTH seq \(String(describing: payload.seq))") }
                let bdSeq = payload.metrics.first { $0.name == "bdSeq" }?.value
                if bdSeq != .longValue(node.bdSeq) {
                    failures.append("\(name): NBIRTH bdSeq \(String(describing: bdSeq))")
                }
                node.born = true
                node.nextSeq = 1
            case .nodeDeath:
                deaths += 1
                let bdSeq = payload.metrics.first { $0.name == "bdSeq" }?.value
                if bdSeq != .longValue(node.bdSeq) {
                    failures.append("\(name): NDEATH bdSeq \(String(describing: bdSeq))")
                }
                node = Node(born: false, bdSeq: node.bdSeq + 1, nextSeq: 0, devices: [])
            case .deviceBirth, .deviceData:
                let device = topic.device ?? ""
                guard node.born, let seq = payload.seq else {
                    failures.append("\(name)/\(device): \(topic.messageType) without a born node or seq")
                    break
                }
                missing += Int((seq &- node.nextSeq) & 0xFF)
                node.nextSeq = (seq + 1) & 0xFF
                if topic.messageType == .deviceBirth {
                    node.devices.insert(device)
                    let names = payload.metrics.compactMap(\.name)
                    if names.count != 7 || payload.metrics.contains(where: { $0.alias == nil || $0.datatype == nil }) {
                        failures.append("\(name)/\(device): DBIRTH metrics \(names)")
                    }
                } else if !node.devices.contains(device) {
                    failures.append("\(name)/\(device): DDATA before its DBIRTH")
                } else if payload.metrics.contains(where: { $0.name != nil || !(1...7).contains($0.alias ?? 0) }) {
                    failures.append("\(name)/\(device): DDATA metric not by a known alias")
                }
                for metric in payload.metrics where metric.alias == 1 || metric.name == "Counters/Good" {
                    guard case .longValue(let value)? = metric.value else { continue }
                    if value < counters[name + "/" + device, default: 0] {
                        failures.append("\(name)/\(device): Counters/Good went down to \(value)")
                    }
                    counters[name + "/" + device] = value
                }
            default:
                failures.append("\(text): unexpected message type")
            }
            nodes[name] = node
        }
        #expect(failures.isEmpty, "\(failures.count) failures, e.g. \(failures.prefix(5))")
        #expect(nodes.count == 4)
        #expect(deaths > 0)
        // Every lost message shows as a gap, unless a reconnect came first (the NBIRTH starts at 0 again).
        #expect(missing > 0)
        var simulator = try PlantSimulator(
            scenario: try Fixtures.scenario(region: "eu-central", plants: 1),
            configuration: SimulatorConfiguration(seed: 11, sparkplug: configuration))
        _ = simulator.records(count: records.count)
        #expect(missing <= simulator.statistics.sparkplugLost)
    }

    /// Without losses the counters add up to the parts the JSON twin's cycles report.
    @Test func theCountersCarryEveryPartTheCyclesCount() throws {
        var good = 0
        for record in try Self.records(nil) where record.eventType == .machineCycle {
            let event = try Fixtures.canonical(record)
            if case .number(let count)? = event["data"]?["goodCount"] { good += Int(count.description) ?? 0 }
        }
        var counters: [String: UInt64] = [:]
        for record in try Self.records(SparkplugSimulation(reconnectShare: 0.005))
        where record.envelope == .sparkplugB {
            let device = record.headers.first { $0.name == "mqtt_topic" }?.text ?? ""
            for metric in try SparkplugPayload(decoding: record.value).metrics
            where metric.alias == 1 || metric.name == "Counters/Good" {
                if case .longValue(let value)? = metric.value {
                    counters[device.replacingOccurrences(of: "DBIRTH", with: "DDATA")] = value
                }
            }
        }
        #expect(good > 1000)
        #expect(counters.values.reduce(0, +) == UInt64(good))
    }
}
