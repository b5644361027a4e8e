import KafkaClient
import Logging
import Simulator

/// A record read back from a topic (owned copy).
struct ReadRecord: Sendable, Hashable, CustomStringConvertible {
    var topic: String
    var partition: Int32
    var offset: Int64
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [KafkaHeader]

    var keyString: String { key.map { String(decoding: $0, as: UTF8.self) } ?? "<null>" }
    var valueString: String { value.map { String(decoding: $0, as: UTF8.self) } ?? "<null>" }

    func header(_ name: String) -> String? { headers.last { $0.name == name }?.stringValue }

    var description: String { "\(topic)[\(partition)]@\(offset) \(keyString) \(valueString)" }
}

/// Producing and reading on the embedded cluster from tests (blocking calls on a dedicated thread).
enum TestKafka {
    static let logger: Logger = {
        var logger = Logger(label: "test.runtime")
        logger.logLevel = .error
        return logger
    }()

    /// Runs blocking Kafka calls on a dedicated thread, never on the cooperative pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let thread = KafkaThread(name: "test-kafka")
        defer { thread.shutdown() }
        return try await thread.run(body)
    }

    /// One record to produce.
    struct Outgoing: Sendable {
        var topic: String
        var key: [UInt8]
        var value: [UInt8]
        var headers: [KafkaHeader] = []
    }

    /// Simulated records as records to produce (topic, key, value, CloudEvents headers).
    static func outgoing(_ records: [SimulatedRecord]) -> [Outgoing] {
        records.map(Outgoing.init)
    }

    /// Produces records in order (partitioned by key, like the simulator and real producers) and flushes.
    static func produce(
        _ records: [Outgoing], cluster: KafkaEmbeddedCluster, producerProperties: [String: String] = [:]
    ) async throws {
        try await onThread {
            let producer = try KafkaProducer(
                configuration: cluster.configuration(
                    ["linger.ms": "1", "max.in.flight.requests.per.connection": "1"].merging(producerProperties) {
                        $1
                    }),
                logger: logger)
            for record in records {
                try producer.send(topic: record.topic, key: record.key, value: record.value, headers: record.headers)
            }
            try producer.close(timeout: .seconds(30))
        }
    }

    /// Every partition of `topics` (name → partition count), for an offset query.
    private static func partitions(of topics: [String: Int]) -> [KafkaTopicPartitionOffset] {
        topics.flatMap { topic, count in
            (0..<Int32(count)).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.unset) }
        }
    }

    /// The sum of a group's committed offsets over the partitions of the topics (unset counts as 0).
    static func committedTotal(group: String, topics: [String: Int], cluster: KafkaEmbeddedCluster) async throws
        -> Int64
    {
        try await onThread {
            let admin = try KafkaAdmin(configuration: cluster.configuration(), logger: logger)
            let committed = try admin.committedOffsets(
                group: group, partitions: partitions(of: topics), timeout: .seconds(10))
            return committed.reduce(0) { $0 + max($1.offset, 0) }
        }
    }

    /// Reads every record of the topics, from the beginning to the high watermarks.
    static func readAll(_ topics: [String], cluster: KafkaEmbeddedCluster) async throws -> [ReadRecord] {
        try await onThread {
            let admin = try KafkaAdmin(configuration: cluster.configuration(), logger: logger)
            let metadata = try admin.metadata(timeout: .seconds(10))
            var targets: [KafkaTopicPartition: Int64] = [:]
            for topic in topics {
                guard let described = metadata.topic(named: topic) else { continue }
                for partition in described.partitions {
                    let marks = try admin.watermarks(topic: topic, partition: partition.id, timeout: .seconds(10))
                    if marks.high > marks.low {
                        targets[KafkaTopicPartition(topic: topic, partition: partition.id)] = marks.high
                    }
                }
            }
            guard !targets.isEmpty else { return [] }
            let consumer = try KafkaConsumer(
                configuration: cluster.configuration(["group.id": "test-reader", "fetch.wait.max.ms": "10"]),
                logger: logger)
            defer { try? consumer.close() }
            try consumer.assign(targets.keys.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.beginning) })
            var records: [ReadRecord] = []
            var remaining = targets
            let deadline = ContinuousClock.now + .seconds(30)
            while !remaining.isEmpty && ContinuousClock.now < deadline {
                for message in try consumer.pollMessages(maxRecords: 4096, timeout: .milliseconds(100)) {
                    records.append(
                        ReadRecord(
                            topic: message.topic, partition: message.partition, offset: message.offset,
                            key: message.key, value: message.value, headers: message.headers))
                    let key = KafkaTopicPartition(topic: message.topic, partition: message.partition)
                    if let target = remaining[key], message.offset + 1 >= target { remaining[key] = nil }
                }
            }
            guard remaining.isEmpty else {
                throw HarnessError("could not read \(remaining.keys.map(\.description)) to the end")
            }
            return records.sorted { ($0.topic, $0.partition, $0.offset) < ($1.topic, $1.partition, $1.offset) }
        }
    }
}

extension TestKafka {
    /// The input partitions (with records) whose committed offset in `group` is below their high watermark.
    static func partitionsBehind(group: String, topics: [String: Int], cluster: KafkaEmbeddedCluster) async throws
        -> [String]
    {
        try await onThread {
            let admin = try KafkaAdmin(configuration: cluster.configuration(), logger: logger)
            let committed = try admin.committedOffsets(
                group: group, partitions: partitions(of: topics), timeout: .seconds(10))
            var behind: [String] = []
            for entry in committed {
                let marks = try admin.watermarks(topic: entry.topic, partition: entry.partition, timeout: .seconds(10))
                if marks.high > marks.low, entry.offset < marks.high {
                    behind.append("\(group) \(entry.topic)[\(entry.partition)] at \(entry.offset) of \(marks.high)")
                }
            }
            return behind
        }
    }
}

extension TestKafka.Outgoing {
    /// A simulated record as a record to produce.
    init(_ record: SimulatedRecord) {
        self.init(
            topic: record.topic, key: record.key, value: record.value,
            headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) })
    }
}
