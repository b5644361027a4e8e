import KafkaClient
import Synchronization
import Testing

extension EmbeddedKafkaTests {
    @Suite struct FaultInjectionTests {
        /// Sends `count` keyed records numbered from `start`; returns the failed delivery reports.
        static func produce(
            _ producer: KafkaProducer,
            topic: String,
            range: Range<Int>
        ) throws {
            let handle = try producer.topic(topic)
            for index in range {
                let key = Array("key-\(index % 64)".utf8)
                let value = Array("\(index)".utf8)
                try key.withUnsafeBytes { key in
                    try value.withUnsafeBytes { value in
                        try producer.send(to: handle, key: key, value: value, token: UInt64(index))
                    }
                }
            }
        }

        /// Checks a consumed stream: every number in `expected` exactly once, and per key in order.
        static func verify(_ messages: [KafkaMessage], expected: Range<Int>) -> (
            missing: Int, duplicates: Int, outOfOrder: Int
        ) {
            var counts: [Int: Int] = [:]
            var lastPerKey: [String: Int] = [:]
            var outOfOrder = 0
            for message in messages {
                guard let number = message.valueString.flatMap({ Int($0) }), let key = message.keyString else {
                    continue
                }
                counts[number, default: 0] += 1
                if let last = lastPerKey[key], last > number { outOfOrder += 1 }
                lastPerKey[key] = number
            }
            let missing = expected.filter { counts[$0] == nil }.count
            let duplicates = counts.values.filter { $0 > 1 }.count
            return (missing, duplicates, outOfOrder)
        }

        static func reader(_ cluster: KafkaEmbeddedCluster, topic: String, partitions: Int32) throws -> KafkaConsumer {
            let consumer = try KafkaConsumer(
                configuration: TestSettings.consumer(cluster, group: "reader-\(topic)"),
                logger: TestSettings.logger
            )
            try consumer.assign(
                (0..<partitions).map {
                    KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning)
                }
            )
            return consumer
        }

        @Test func idempotentProducerDeliversExactlyOnceUnderRetriableProduceErrors() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 3, logger: TestSettings.logger)
            try cluster.createTopic("idempotent", partitions: 4, replicationFactor: 3)
            let failures = Atomic<Int>(0)
            let total = 5000
            let (messages, inFlight, probe) = try await onKafkaThread {
                () -> ([KafkaMessage], Int, KafkaResponseError?) in
                let producer = try KafkaProducer(
                    // Five requests in flight: retries must keep order with pipelined batches.
                    configuration: TestSettings.producer(
                        cluster,
                        ["batch.num.messages": "100", "max.in.flight.requests.per.connection": "5"]
                    ),
                    logger: TestSettings.logger
                ) { report in if !report.isSuccess { failures.add(1, ordering: .relaxed) } }
                // Retriable broker errors and dropped connections on the next 40 Produce requests.
                let errors: [KafkaResponseError] = [
                    .notLeaderForPartition, .requestTimedOut, .notEnoughReplicas, .transport,
                    .notEnoughReplicasAfterAppend,
                ]
                cluster.injectRequestErrors((0..<40).map { errors[$0 % errors.count] }, api: .produce)
                try Self.produce(producer, topic: "idempotent", range: 0..<total)
                try producer.flush(timeout: .seconds(60))
                // Proof that the producer met every injected error: a producer without retries now
                // succeeds, which it could not while errors were left on the stack.
                let probeResult = Mutex<KafkaResponseError?>(nil)
                let probe = try KafkaProducer(
                    configuration: TestSettings.producer(
                        cluster,
                        ["enable.idempotence": "false", "message.send.max.retries": "0", "acks": "1"]
                    ),
                    logger: TestSettings.logger
                ) { report in probeResult.withLock { $0 = report.error } }
                try probe.send(topic: "idempotent-probe", key: "probe", value: "probe")
                try probe.flush(timeout: .seconds(10))
                let consumer = try Self.reader(cluster, topic: "idempotent", partitions: 4)
                var messages = try consumeAll(consumer, count: total)
                messages.append(contentsOf: try consumer.pollMessages(timeout: .milliseconds(300)))
                try consumer.close()
                return (messages, producer.inFlightCount, probeResult.withLock { $0 })
            }
            #expect(probe == nil, "injected Produce errors were left unconsumed: \(String(describing: probe))")
            #expect(inFlight == 0)
            #expect(failures.load(ordering: .relaxed) == 0)
            let check = Self.verify(messages, expected: 0..<total)
            #expect(check.missing == 0)
            #expect(check.duplicates == 0)
            #expect(check.outOfOrder == 0)
            #expect(messages.count == total)
        }

        @Test func producerAndConsumerRecoverWhenTheBrokerComesBack() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("outage", partitions: 2)
            let (before, after, failed) = try await onKafkaThread { () -> ([KafkaMessage], [KafkaMessage], Int) in
                let failed = Atomic<Int>(0)
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster),
                    logger: TestSettings.logger
                ) { report in if !report.isSuccess { failed.add(1, ordering: .relaxed) } }
                let consumer = try Self.reader(cluster, topic: "outage", partitions: 2)
                try Self.produce(producer, topic: "outage", range: 0..<500)
                try producer.flush(timeout: .seconds(10))
                let before = try consumeAll(consumer, count: 500)

                try cluster.setBrokerDown(1)
                // Sent while the broker is down: queued, not lost.
                try Self.produce(producer, topic: "outage", range: 500..<1000)
                _ = producer.poll(timeout: .milliseconds(500))
                let during = try consumer.pollMessages(timeout: .milliseconds(500))
                try cluster.setBrokerUp(1)
                try producer.flush(timeout: .seconds(30))
                let after = try during + consumeAll(consumer, count: 500 - during.count)
                try consumer.close()
                return (before, after, failed.load(ordering: .relaxed))
            }
            #expect(failed == 0)
            let check = Self.verify(before + after, expected: 0..<1000)
            #expect(check.missing == 0)
            #expect(check.duplicates == 0)
            #expect(check.outOfOrder == 0)
        }

        @Test func clientsFollowAPartitionLeaderMove() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 3, logger: TestSettings.logger)
            try cluster.createTopic("leader", partitions: 1, replicationFactor: 3)
            let messages = try await onKafkaThread { () -> [KafkaMessage] in
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster), logger: TestSettings.logger)
                let consumer = try Self.reader(cluster, topic: "leader", partitions: 1)
                try cluster.setPartitionLeader(topic: "leader", partition: 0, broker: 1)
                try Self.produce(producer, topic: "leader", range: 0..<300)
                try producer.flush(timeout: .seconds(10))
                var messages = try consumeAll(consumer, count: 300)
                try cluster.setPartitionLeader(topic: "leader", partition: 0, broker: 2)
                try Self.produce(producer, topic: "leader", range: 300..<600)
                try producer.flush(timeout: .seconds(30))
                messages += try consumeAll(consumer, count: 300)
                try consumer.close()
                return messages
            }
            let check = Self.verify(messages, expected: 0..<600)
            #expect(check.missing == 0)
            #expect(check.duplicates == 0)
            #expect(check.outOfOrder == 0)
        }

        @Test func producingFarBeyondTheQueueCapacityWaitsAndLosesNothing() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("backpressure", partitions: 4)
            let total = 20_000
            let delivered = Atomic<Int>(0)
            let (messages, waits) = try await onKafkaThread { () -> ([KafkaMessage], Int) in
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster, ["queue.buffering.max.messages": "500"]),
                    logger: TestSettings.logger
                ) { report in if report.isSuccess { delivered.add(1, ordering: .relaxed) } }
                // Never polled explicitly: only the QUEUE_FULL wait serves delivery reports.
                try Self.produce(producer, topic: "backpressure", range: 0..<total)
                try producer.flush(timeout: .seconds(30))
                let consumer = try Self.reader(cluster, topic: "backpressure", partitions: 4)
                let messages = try consumeAll(consumer, count: total)
                try consumer.close()
                return (messages, producer.queueFullWaitCount)
            }
            #expect(waits > 0, "the producer queue never filled up; the test did not exercise QUEUE_FULL")
            #expect(delivered.load(ordering: .relaxed) == total)
            let check = Self.verify(messages, expected: 0..<total)
            #expect(check.missing == 0)
            #expect(check.duplicates == 0)
            #expect(check.outOfOrder == 0)
        }

        @Test func aSlowBrokerTimesMessagesOutAndRecoversWhenFastAgain() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("slow", partitions: 1)
            let reports = Mutex<[UInt64: KafkaResponseError?]>([:])
            try await onKafkaThread {
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster, ["message.timeout.ms": "300"]),
                    logger: TestSettings.logger
                ) { report in reports.withLock { $0[report.token] = report.error } }
                // Every response is delayed beyond the message timeout: delivery must fail, not hang.
                try cluster.setRoundTripTime(broker: 1, milliseconds: 2000)
                try producer.send(topic: "slow", key: "k", value: "late", token: 1)
                try? producer.flush(timeout: .seconds(10))
                try cluster.setRoundTripTime(broker: 1, milliseconds: 0)
                try producer.send(topic: "slow", key: "k", value: "on time", token: 2)
                try producer.flush(timeout: .seconds(10))
            }
            let outcome = reports.withLock { $0 }
            #expect(outcome[1] == .some(.messageTimedOut))
            #expect(outcome[2] == .some(nil))
        }
    }
}
