import Engine
import KafkaClient
import PlantStreamTesting

/// The test driver fed the same records, partitions and offsets as the broker, phase by phase (tasks are
/// restarted from their changelogs between phases, like the runtime's separate runs).
final class Oracle {
    /// A record compared by key, value and headers.
    struct Entry: Comparable, CustomStringConvertible {
        var key: [UInt8]?
        var value: [UInt8]?
        var headers: [String]

        init(key: [UInt8]?, value: [UInt8]?, headers: [String]) {
            self.key = key
            self.value = value
            self.headers = headers
        }

        init(_ record: ReadRecord) {
            self.init(
                key: record.key, value: record.value,
                headers: record.headers.filter { $0.name.hasPrefix("ps_") && $0.name != "ps_origin" }.map {
                    "\($0.name)=\($0.stringValue ?? "")"
                }.sorted())
        }

        init(_ record: TestRecord) {
            self.init(
                key: record.key, value: record.value,
                headers: record.headers.filter { $0.name.hasPrefix("ps_") }.map {
                    "\($0.name)=\($0.value.map { String(decoding: $0, as: UTF8.self) } ?? "")"
                }.sorted())
        }

        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.description < rhs.description }

        var description: String {
            let key = self.key.map { String(decoding: $0, as: UTF8.self) } ?? "<null>"
            let value = self.value.map { String(decoding: $0, as: UTF8.self) } ?? "<null>"
            return "\(key) \(value) \(headers)"
        }
    }

    private let driver: TopologyTestDriver
    private let partitions: [String: Int]
    private var touched: [(topic: String, partition: Int32)] = []

    init(topology: FixtureTopology, region: String, partitions: [String: Int]) throws {
        driver = try TopologyTestDriver(topologyFile: topology.path, region: region)
        self.partitions = partitions
    }

    /// Pipes one phase (after restarting the tasks of the previous phases from their changelogs).
    func pipe(_ records: [ScriptedRecord]) throws {
        driver.flush()
        for task in touched { try driver.restartTask(topic: task.topic, partition: task.partition) }
        for record in records {
            let partition = KafkaPartitioner.partition(
                forKey: Array(record.key.utf8), partitionCount: Int32(partitions[record.topic] ?? 1))
            try driver.pipe(topic: record.topic, key: record.key, value: record.value, partition: partition)
            if !touched.contains(where: { $0.topic == record.topic && $0.partition == partition }) {
                touched.append((record.topic, partition))
            }
        }
    }

    /// What the driver wrote to a topic.
    func records(topic: String) -> [TestRecord] { driver.records(topic: topic) }
}
