import KafkaClient
import Testing

extension EmbeddedKafkaTests {
    @Suite struct TransactionTests {
        static let inputTopic = "tx-in"
        static let outputTopic = "tx-out"
        static let group = "tx-group"
        static let input = KafkaTopicPartition(topic: inputTopic, partition: 0)

        static func makeCluster() throws -> KafkaEmbeddedCluster {
            let cluster = try KafkaEmbeddedCluster(brokers: 3, logger: TestSettings.logger)
            try cluster.createTopic(inputTopic, partitions: 1, replicationFactor: 3)
            try cluster.createTopic(outputTopic, partitions: 2, replicationFactor: 3)
            return cluster
        }

        static func transactionalProducer(_ cluster: KafkaEmbeddedCluster, id: String) throws -> KafkaProducer {
            let producer = try KafkaProducer(
                configuration: TestSettings.producer(cluster, ["transactional.id": id]),
                logger: TestSettings.logger
            )
            try producer.initTransactions(timeout: .seconds(30))
            return producer
        }

        static func groupConsumer(_ cluster: KafkaEmbeddedCluster) throws -> KafkaConsumer {
            let consumer = try KafkaConsumer(
                configuration: TestSettings.consumer(cluster, group: group),
                logger: TestSettings.logger
            )
            try consumer.assign([KafkaTopicPartitionOffset(input, offset: 0)])
            return consumer
        }

        /// Sends `values` and the input offset in one transaction, then commits or aborts it. The
        /// records are delivered (flushed) before the transaction ends, as the runtime does.
        static func transaction(
            _ producer: KafkaProducer,
            _ metadata: KafkaConsumerGroupMetadata,
            values: Range<Int>,
            inputOffset: Int64,
            commit: Bool
        ) throws(KafkaError) {
            try producer.beginTransaction()
            for value in values {
                try producer.send(topic: outputTopic, key: "k\(value)", value: "v\(value)")
            }
            try producer.sendOffsetsToTransaction(
                [KafkaTopicPartitionOffset(input, offset: inputOffset)],
                groupMetadata: metadata,
                timeout: .seconds(30)
            )
            if commit {
                try producer.commitTransaction(timeout: .seconds(30))
            } else {
                try producer.flush(timeout: .seconds(30))
                try producer.abortTransaction(timeout: .seconds(30))
            }
        }

        static func committedInputOffset(_ consumer: KafkaConsumer) throws -> Int64 {
            try consumer.committed([input], timeout: .seconds(10))[0].offset
        }

        static func readOutput(_ cluster: KafkaEmbeddedCluster, count: Int) throws -> [String] {
            let reader = try KafkaConsumer(
                configuration: TestSettings.consumer(cluster, group: "reader", ["isolation.level": "read_committed"]),
                logger: TestSettings.logger
            )
            try reader.assign(
                (0..<2).map {
                    KafkaTopicPartitionOffset(topic: outputTopic, partition: $0, offset: KafkaOffset.beginning)
                }
            )
            var values = try consumeAll(reader, count: count, seconds: 20).compactMap(\.valueString)
            // Poll a little longer so that extra records, if any, are seen too.
            values += try reader.pollMessages(timeout: .milliseconds(300)).compactMap(\.valueString)
            try reader.close()
            return values
        }

        @Test func committedTransactionsAreDeliveredAndAbortedOffsetsNeverCount() async throws {
            let cluster = try Self.makeCluster()
            let (positions, values) = try await onKafkaThread { () -> ([Int64], [String]) in
                let producer = try Self.transactionalProducer(cluster, id: "tx-commit")
                let consumer = try Self.groupConsumer(cluster)
                let metadata = try consumer.groupMetadata()
                // The group's position before the transactions.
                try consumer.commit([KafkaTopicPartitionOffset(Self.input, offset: 10)])
                var positions = [try Self.committedInputOffset(consumer)]

                try Self.transaction(producer, metadata, values: 0..<50, inputOffset: 50, commit: true)
                positions.append(try Self.committedInputOffset(consumer))
                try Self.transaction(producer, metadata, values: 50..<80, inputOffset: 80, commit: false)
                positions.append(try Self.committedInputOffset(consumer))
                try Self.transaction(producer, metadata, values: 80..<100, inputOffset: 100, commit: true)
                positions.append(try Self.committedInputOffset(consumer))
                try consumer.close()
                try producer.close()
                return (positions, try Self.readOutput(cluster, count: 100))
            }
            // Every record of a committed transaction reaches a read_committed consumer.
            let committed = Set((0..<50).map { "v\($0)" } + (80..<100).map { "v\($0)" })
            #expect(committed.isSubset(of: Set(values)))
            #expect(positions.first == 10)
            // The aborted transaction's offset (80) never became the group's committed position.
            #expect(!positions.contains(80))
            // A real broker moves the position to 50 and 100 on commit; the 2.0.2 mock keeps 10
            // (see embeddedBrokerIgnoresOffsetsSentToTransactions).
            #expect(positions == [10, 50, 50, 100] || positions == [10, 10, 10, 10])
        }

        /// Documents a limit of librdkafka's mock cluster (2.0.2, and still 2.16): it writes no abort
        /// markers for ordinary Fetch, so a `read_committed` consumer sees aborted records. On a real
        /// broker they are hidden. When this test fails, the embedded broker started hiding them:
        /// turn it into a test that they are hidden.
        @Test func embeddedBrokerShowsAbortedRecordsToReadCommittedConsumers() async throws {
            let cluster = try Self.makeCluster()
            let values = try await onKafkaThread { () -> [String] in
                let producer = try Self.transactionalProducer(cluster, id: "tx-abort")
                let consumer = try Self.groupConsumer(cluster)
                let metadata = try consumer.groupMetadata()
                try Self.transaction(producer, metadata, values: 0..<10, inputOffset: 10, commit: true)
                try Self.transaction(producer, metadata, values: 10..<20, inputOffset: 20, commit: false)
                try Self.transaction(producer, metadata, values: 20..<30, inputOffset: 30, commit: true)
                try producer.close()
                try consumer.close()
                return try Self.readOutput(cluster, count: 30)
            }
            let aborted = Set((10..<20).map { "v\($0)" })
            // Observed on the mock: the aborted records are delivered despite read_committed.
            #expect(aborted.isSubset(of: Set(values)))
            #expect(values.count == 30)
        }

        /// Documents a second limit of the 2.0.2 mock: its TxnOffsetCommit handler discards the
        /// offsets, so a committed transaction does not move the group's position. On a real broker
        /// the position becomes 5. When this test fails, assert that instead.
        @Test func embeddedBrokerIgnoresOffsetsSentToTransactions() async throws {
            let cluster = try Self.makeCluster()
            let position = try await onKafkaThread { () -> Int64 in
                let producer = try Self.transactionalProducer(cluster, id: "tx-offsets")
                let consumer = try Self.groupConsumer(cluster)
                try Self.transaction(
                    producer, try consumer.groupMetadata(), values: 0..<5, inputOffset: 5, commit: true)
                defer { try? consumer.close() }
                return try Self.committedInputOffset(consumer)
            }
            #expect(position == KafkaOffset.unset)
        }

        /// `recovers`: whether abort + a new transaction succeed on the embedded broker. After a failed
        /// Produce the 2.0.2 mock rejects the next transaction with OUT_OF_ORDER_SEQUENCE_NUMBER
        /// (it keeps the old sequence across librdkafka's epoch bump), so that row expects no recovery.
        @Test(arguments: [
            (KafkaAPIKey.endTxn, KafkaResponseError.producerFenced, KafkaError.TransactionErrorKind.fatal, false),
            (.addPartitionsToTxn, .topicAuthorizationFailed, .abortRequired, true),
            (.produce, .messageSizeTooLarge, .abortRequired, false),
        ])
        func brokerErrorsAreClassified(
            api: KafkaAPIKey,
            error: KafkaResponseError,
            expected: KafkaError.TransactionErrorKind,
            recovers: Bool
        ) async throws {
            let cluster = try Self.makeCluster()
            let outcome = try await onKafkaThread { () -> (KafkaError?, Bool, Bool) in
                let producer = try Self.transactionalProducer(cluster, id: "tx-classified")
                let consumer = try Self.groupConsumer(cluster)
                defer { try? consumer.close() }
                let metadata = try consumer.groupMetadata()
                cluster.injectRequestErrors([error], api: api)
                var failure: KafkaError?
                do throws(KafkaError) {
                    try Self.transaction(producer, metadata, values: 0..<5, inputOffset: 5, commit: true)
                } catch {
                    failure = error
                }
                // After an abortable error the producer aborts and carries on; after a fatal one it is done.
                let aborted = (try? producer.abortTransaction(timeout: .seconds(10))) != nil
                let next =
                    (try? Self.transaction(producer, metadata, values: 5..<10, inputOffset: 10, commit: true)) != nil
                return (failure, aborted && next, producer.fatalError != nil)
            }
            let (failure, recovered, isFatal) = outcome
            #expect(failure?.code == .transaction)
            #expect(failure?.transactionErrorKind == expected, "\(String(describing: failure))")
            #expect(recovered == recovers)
            #expect(isFatal == (expected == .fatal))
        }

        @Test func commitTimingOutWhileBrokersAreDownIsRetriable() async throws {
            let cluster = try Self.makeCluster()
            let (failure, retried) = try await onKafkaThread { () -> (KafkaError?, Bool) in
                let producer = try Self.transactionalProducer(cluster, id: "tx-retriable")
                let consumer = try Self.groupConsumer(cluster)
                defer { try? consumer.close() }
                try producer.beginTransaction()
                try producer.send(topic: Self.outputTopic, key: "k", value: "v")
                try producer.sendOffsetsToTransaction(
                    [KafkaTopicPartitionOffset(Self.input, offset: 1)],
                    groupMetadata: try consumer.groupMetadata(),
                    timeout: .seconds(30)
                )
                try cluster.setBrokerDown(-1)
                var failure: KafkaError?
                do throws(KafkaError) {
                    try producer.commitTransaction(timeout: .milliseconds(500))
                } catch {
                    failure = error
                }
                try cluster.setBrokerUp(-1)
                // Retrying the same call completes the transaction.
                let retried = (try? producer.commitTransaction(timeout: .seconds(30))) != nil
                return (failure, retried)
            }
            #expect(failure?.transactionErrorKind == .retriable, "\(String(describing: failure))")
            #expect(retried)
        }
    }
}
