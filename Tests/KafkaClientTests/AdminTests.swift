import KafkaClient
import Testing

extension EmbeddedKafkaTests {
    @Suite struct AdminTests {
        @Test func metadataLagAndAClearErrorForMissingAPIs() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 3, logger: TestSettings.logger)
            try cluster.createTopic("lagging", partitions: 3, replicationFactor: 2)
            let (metadata, lag, createError, unknownTopicError) = try await onKafkaThread {
                () -> (KafkaClusterMetadata, [KafkaPartitionLag], KafkaError?, KafkaError?) in
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster), logger: TestSettings.logger)
                for index in 0..<30 {
                    try producer.send(topic: "lagging", partition: Int32(index % 3), key: "k", value: "\(index)")
                }
                try producer.flush(timeout: .seconds(10))
                let consumer = try KafkaConsumer(
                    configuration: TestSettings.consumer(cluster, group: "lag-group"),
                    logger: TestSettings.logger
                )
                try consumer.commit([
                    KafkaTopicPartitionOffset(topic: "lagging", partition: 0, offset: 4),
                    KafkaTopicPartitionOffset(topic: "lagging", partition: 1, offset: 10),
                ])
                try consumer.close()

                let admin = try KafkaAdmin(configuration: cluster.configuration(), logger: TestSettings.logger)
                let metadata = try admin.metadata(timeout: .seconds(10))
                let lag = try admin.consumerGroupLag(group: "lag-group", topics: ["lagging"], timeout: .seconds(10))
                var createError: KafkaError?
                do throws(KafkaError) {
                    try admin.createTopics(
                        [KafkaNewTopic(name: "compacted", partitions: 3, configs: ["cleanup.policy": "compact"])],
                        timeout: .seconds(2)
                    )
                } catch {
                    createError = error
                }
                var unknownTopicError: KafkaError?
                do throws(KafkaError) {
                    _ = try admin.consumerGroupLag(group: "lag-group", topics: ["no-such-topic"], timeout: .seconds(5))
                } catch {
                    unknownTopicError = error
                }
                return (metadata, lag, createError, unknownTopicError)
            }
            #expect(metadata.brokers.map(\.id) == [1, 2, 3])
            #expect(metadata.brokers.allSatisfy { $0.host == "127.0.0.1" || $0.host == "localhost" })
            let topic = try #require(metadata.topic(named: "lagging"))
            #expect(topic.partitions.map(\.id) == [0, 1, 2])
            // The 2.0.2 mock lists every broker as a replica whatever the replication factor.
            #expect(topic.partitions.allSatisfy { $0.replicas.contains($0.leader) && (1...3).contains($0.leader) })

            #expect(lag.map(\.partition) == [0, 1, 2])
            #expect(lag.map(\.highWatermark) == [10, 10, 10])
            #expect(lag.map(\.committedOffset) == [4, 10, nil])
            #expect(lag.map(\.lag) == [6, 0, 10])

            // The mock has no CreateTopics: a clear error that says what to do instead.
            #expect(createError?.code == .unsupportedByBroker)
            #expect(createError?.message.contains("createTopic") == true)
            #expect(unknownTopicError?.responseError == .unknownTopicOrPartition)
        }
    }
}
