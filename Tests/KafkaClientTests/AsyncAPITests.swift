import KafkaClient
import Testing

extension EmbeddedKafkaTests {
    @Suite struct AsyncAPITests {
        @Test func asyncSendReturnsOffsetsAndBatchesArriveAsASequence() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("async", partitions: 1)
            // A tiny queue makes later sends suspend until reports free room.
            let producer = try KafkaAsyncProducer(
                configuration: TestSettings.producer(cluster, ["queue.buffering.max.messages": "10"]),
                logger: TestSettings.logger
            )
            var offsets: [Int64] = []
            for index in 0..<50 {
                let report = try await producer.send(topic: "async", key: "k", value: "value-\(index)")
                offsets.append(report.offset)
            }
            #expect(offsets == (0..<50).map(Int64.init))
            try await withThrowingTaskGroup(of: KafkaDeliveryReport.self) { group in
                for index in 50..<200 {
                    group.addTask { try await producer.send(topic: "async", key: "k", value: "value-\(index)") }
                }
                var count = 0
                for try await report in group where report.isSuccess { count += 1 }
                #expect(count == 150)
            }
            await producer.shutdown()
            #expect(producer.producer.inFlightCount == 0)

            let consumer = try KafkaConsumer(
                configuration: TestSettings.consumer(cluster, group: "async"),
                logger: TestSettings.logger
            )
            try consumer.assign([KafkaTopicPartitionOffset(topic: "async", partition: 0, offset: 0)])
            var received: [KafkaMessage] = []
            for try await batch in consumer.batches(maxRecords: 64) {
                received += batch
                if received.count >= 200 { break }
            }
            #expect(received.map(\.offset) == (0..<200).map(Int64.init))
            #expect(received.prefix(50).map(\.valueString) == (0..<50).map { "value-\($0)" })
            try await onKafkaThread { try consumer.close() }
        }
    }

    @Suite struct ListenerTests {
        @Test func clientsBootstrapThroughAFixedPort() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 2, logger: TestSettings.logger)
            try cluster.createTopic("forwarded", partitions: 2)
            let listener = try cluster.listen(port: 0)
            defer { listener.close() }
            #expect(listener.port > 0)
            let bootstrap = "127.0.0.1:\(listener.port)"
            let messages = try await onKafkaThread { () -> [KafkaMessage] in
                let producer = try KafkaProducer(
                    configuration: KafkaConfiguration(["bootstrap.servers": bootstrap]),
                    logger: TestSettings.logger
                )
                for index in 0..<20 { try producer.send(topic: "forwarded", key: "k\(index)", value: "\(index)") }
                try producer.flush(timeout: .seconds(10))
                var configuration = TestSettings.consumer(cluster, group: "forwarded")
                configuration.bootstrapServers = bootstrap
                let consumer = try KafkaConsumer(configuration: configuration, logger: TestSettings.logger)
                try consumer.assign(
                    (0..<2).map { KafkaTopicPartitionOffset(topic: "forwarded", partition: $0, offset: 0) }
                )
                let messages = try consumeAll(consumer, count: 20)
                try consumer.close()
                return messages
            }
            #expect(Set(messages.compactMap(\.valueString)) == Set((0..<20).map { "\($0)" }))
        }

        @Test func aPortInUseIsAClearError() throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            let first = try cluster.listen(port: 0)
            defer { first.close() }
            do {
                _ = try cluster.listen(port: first.port)
                Issue.record("a second listener bound the same port")
            } catch {
                #expect(error.code == .portInUse)
                #expect(error.message.contains("\(first.port)"))
            }
        }
    }
}
