import Foundation
import Testing

@testable import Simulator

@Suite struct DevDumpTests {
    @Test func dump() throws {
        guard let directory = ProcessInfo.processInfo.environment["SIM_REFERENCE"] else { return }
        let scenario = try PlantScenario.load(referenceDirectory: directory)
        print(scenario.warnings)
        var simulator = try PlantSimulator(
            scenario: scenario,
            configuration: SimulatorConfiguration(seed: 7, faults: try FaultConfiguration(parsing: ProcessInfo.processInfo.environment["SIM_FAULTS"] ?? "")))
        var out = ""
        let count = Int(ProcessInfo.processInfo.environment["SIM_COUNT"] ?? "20000")!
        for _ in 0..<count {
            let record = simulator.next()!
            let headers = record.headers.map { "\($0.name)=\($0.text)" }.joined(separator: "\t")
            out += record.topic + "\t" + String(decoding: record.key, as: UTF8.self) + "\t" + (record.fault?.name ?? "-") + "\t" + record.envelope.description + "\t" + String(record.timestampMs) + "\t" + record.value.map { $0 >= 0x20 && $0 < 0x7f || $0 >= 0x80 ? String(UnicodeScalar($0)) : "?" }.joined() .replacingOccurrences(of: "\t", with: " ") + "\t" + headers + "\n"
        }
        try out.write(toFile: "/tmp/sim-dump.tsv", atomically: true, encoding: .utf8)
        print(simulator.statistics.report)
        print("sim time", simulator.simulatedTime - simulator.startMs)
    }
}
