import KafkaClient
import Synchronization
import Testing

extension EmbeddedKafkaTests {
    @Suite struct RoundTripTests {
        @Test func tenThousandRecordsOverEightPartitionsKeepContentAndOrder() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 3, logger: TestSettings.logger)
            try cluster.createTopic("round-trip", partitions: 8, replicationFactor: 3)
            let total = 10_000
            let reports = Mutex<[UInt64: KafkaDeliveryReport]>([:])

            let inFlightAfterClose = try await onKafkaThread { () -> Int in
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster),
                    logger: TestSettings.logger
                ) { report in reports.withLock { $0[report.token] = report } }
                let topic = try producer.topic("round-trip")
                for index in 0..<total {
                    let key = Array("device-\(index % 97)".utf8)
                    let value = Array(
                        "{\"seq\":\(index),\"payload\":\"\(String(repeating: "x", count: index % 50))\"}".utf8)
                    let headers: [KafkaHeader] = [
                        KafkaHeader(name: "ce_id", string: "event-\(index)"),
                        KafkaHeader(name: "empty", value: []),
                        KafkaHeader(name: "null", value: nil),
                    ]
                    try key.withUnsafeBytes { keyBytes in
                        try value.withUnsafeBytes { valueBytes in
                            try producer.send(
                                to: topic,
                                key: keyBytes,
                                value: valueBytes,
                                headers: .list(headers),
                                token: UInt64(index)
                            )
                        }
                    }
                    if index % 1000 == 0 { producer.poll() }
                }
                try producer.close(timeout: .seconds(30))
                return producer.inFlightCount
            }
            #expect(inFlightAfterClose == 0)

            let delivered = reports.withLock { $0 }
            #expect(delivered.count == total)
            #expect(delivered.values.allSatisfy { $0.isSuccess })

            let messages = try await onKafkaThread {
                let consumer = try KafkaConsumer(
                    configuration: TestSettings.consumer(cluster, group: "round-trip"),
                    logger: TestSettings.logger
                )
                try consumer.assign(
                    (0..<8).map {
                        KafkaTopicPartitionOffset(topic: "round-trip", partition: $0, offset: KafkaOffset.beginning)
                    }
                )
                let messages = try consumeAll(consumer, count: total)
                try consumer.close()
                return messages
            }

            #expect(messages.count == total)
            var lastSequence: [Int32: Int] = [:]
            var seen = Set<Int>()
            for message in messages {
                let value = try #require(message.valueString)
                let sequence = try #require(Int(value.split(separator: ",")[0].dropFirst(7)))
                let key = try #require(message.key)
                // Java-compatible partitioning: librdkafka's murmur2_random agrees with Kafka's Java client.
                #expect(KafkaPartitioner.partition(forKey: key, partitionCount: 8) == message.partition)
                #expect(message.keyString == "device-\(sequence % 97)")
                #expect(
                    value == "{\"seq\":\(sequence),\"payload\":\"\(String(repeating: "x", count: sequence % 50))\"}")
                #expect(
                    message.headers == [
                        KafkaHeader(name: "ce_id", string: "event-\(sequence)"),
                        KafkaHeader(name: "empty", value: []),
                        KafkaHeader(name: "null", value: nil),
                    ]
                )
                // Delivery reports carried the right partition and offset for this token.
                #expect(delivered[UInt64(sequence)]?.partition == message.partition)
                #expect(delivered[UInt64(sequence)]?.offset == message.offset)
                // Records of one key go to one partition in send order.
                #expect(sequence > lastSequence[message.partition, default: -1])
                lastSequence[message.partition] = sequence
                seen.insert(sequence)
            }
            #expect(seen.count == total)
            #expect(Set(messages.map(\.partition)).count == 8)
        }

        /// What the borrowed views of one record showed.
        struct Observed: Sendable, Equatable {
            var topic: String
            var offset: Int64
            var key: [UInt8]?
            var value: [UInt8]?
            var timestamp: Int64?
            var headerCount: Int
            var lastH: String?
            var missingHeaderFound: Bool
        }

        @Test func borrowedBatchExposesRecordFieldsWithoutCopies() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("borrowed", partitions: 1)
            let observed = try await onKafkaThread { () -> [Observed] in
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster), logger: TestSettings.logger)
                let topic = try producer.topic("borrowed")
                try producer.send(
                    to: topic,
                    partition: 0,
                    key: nil,
                    value: nil,
                    headers: .list([KafkaHeader(name: "h", string: "1"), KafkaHeader(name: "h", string: "2")]),
                    timestamp: 1_700_000_000_123
                )
                try Array("k".utf8).withUnsafeBytes { key in
                    try producer.send(
                        to: topic, partition: 0, key: key, value: UnsafeRawBufferPointer(start: nil, count: 0))
                }
                try producer.flush(timeout: .seconds(10))

                let consumer = try KafkaConsumer(
                    configuration: TestSettings.consumer(cluster, group: "borrowed"),
                    logger: TestSettings.logger
                )
                try consumer.assign([KafkaTopicPartitionOffset(topic: "borrowed", partition: 0, offset: 0)])
                var observed: [Observed] = []
                let deadline = Deadline(seconds: 20)
                while observed.count < 2 && !deadline.hasPassed {
                    try consumer.poll(timeout: .milliseconds(100)) { batch in
                        for record in batch {
                            observed.append(
                                Observed(
                                    topic: record.topic,
                                    offset: record.offset,
                                    key: record.key.map { Array($0) },
                                    value: record.value.map { Array($0) },
                                    timestamp: record.timestamp,
                                    headerCount: record.headers.count,
                                    lastH: record.headers.last(named: "h")?.stringValue,
                                    missingHeaderFound: record.headers.last(named: "missing") != nil
                                )
                            )
                        }
                    }
                }
                try consumer.close()
                return observed
            }
            try #require(observed.count == 2)
            // A null key and value stay null; producer timestamp and duplicate headers are kept.
            #expect(
                observed[0]
                    == Observed(
                        topic: "borrowed",
                        offset: 0,
                        key: nil,
                        value: nil,
                        timestamp: 1_700_000_000_123,
                        headerCount: 2,
                        lastH: "2",
                        missingHeaderFound: false
                    )
            )
            // An empty value stays empty (not null).
            #expect(observed[1].key == Array("k".utf8))
            #expect(observed[1].value == [])
            #expect(observed[1].headerCount == 0)
            #expect(observed[1].offset == 1)
        }
    }
}
