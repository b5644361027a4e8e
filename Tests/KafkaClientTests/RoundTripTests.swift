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

            try await onKafkaThread {
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
                #expect(producer.inFlightCount == 0)
            }

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

        @Test func borrowedBatchExposesRecordFieldsWithoutCopies() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("borrowed", partitions: 1)
            try await onKafkaThread {
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
                var checked = 0
                let deadline = Deadline(seconds: 20)
                while checked < 2 && !deadline.hasPassed {
                    try consumer.poll(timeout: .milliseconds(100)) { batch in
                        for record in batch {
                            #expect(record.topic == "borrowed")
                            #expect(record.offset == Int64(checked))
                            if checked == 0 {
                                #expect(record.key == nil)
                                #expect(record.value == nil)
                                #expect(record.timestamp == 1_700_000_000_123)
                                #expect(record.headers.count == 2)
                                #expect(record.headers.last(named: "h")?.stringValue == "2")
                                #expect(record.headers.last(named: "missing") == nil)
                            } else {
                                #expect(record.key.map { Array($0) } == Array("k".utf8))
                                // Empty and null values stay distinct.
                                #expect(record.value?.count == 0)
                                #expect(record.headers.isEmpty)
                            }
                            checked += 1
                        }
                    }
                }
                #expect(checked == 2)
                try consumer.close()
            }
        }
    }
}
