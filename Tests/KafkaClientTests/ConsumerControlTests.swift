import KafkaClient
import Testing

extension EmbeddedKafkaTests {
    @Suite struct ConsumerControlTests {
        struct Observations: Sendable {
            var whilePaused: [KafkaMessage] = []
            var afterResume: [KafkaMessage] = []
            var afterSeek: [KafkaMessage] = []
            var watermarks: KafkaWatermarks?
            var cached: KafkaWatermarks?
            var positions: [KafkaTopicPartitionOffset] = []
            var committedBefore: [KafkaTopicPartitionOffset] = []
            var committedAfter: [KafkaTopicPartitionOffset] = []
            var assignment: [KafkaTopicPartition] = []
            var storeError: KafkaError?
        }

        @Test func pauseResumeSeekOffsetsAndWatermarks() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("control", partitions: 2)
            let p0 = KafkaTopicPartition(topic: "control", partition: 0)
            let p1 = KafkaTopicPartition(topic: "control", partition: 1)
            let observed = try await onKafkaThread { () -> Observations in
                var observed = Observations()
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster), logger: TestSettings.logger)
                for index in 0..<100 {
                    try producer.send(topic: "control", partition: Int32(index % 2), key: "k", value: "\(index)")
                }
                try producer.flush(timeout: .seconds(10))

                let consumer = try KafkaConsumer(
                    configuration: TestSettings.consumer(cluster, group: "control"),
                    logger: TestSettings.logger
                )
                try consumer.assign([
                    KafkaTopicPartitionOffset(p0, offset: 0), KafkaTopicPartitionOffset(p1, offset: 0),
                ])
                observed.assignment = try consumer.assignment()
                observed.committedBefore = try consumer.committed([p0, p1], timeout: .seconds(5))
                try consumer.pause([p1])
                let deadline = Deadline(seconds: 10)
                while observed.whilePaused.count < 50 && !deadline.hasPassed {
                    try consumer.poll(timeout: .milliseconds(100)) { batch in
                        observed.whilePaused += batch.map(KafkaMessage.init)
                        if !batch.isEmpty { try consumer.storeOffsets(for: batch) }
                    }
                }
                // Paused: nothing more arrives even when polling longer.
                observed.whilePaused += try consumer.pollMessages(timeout: .milliseconds(300))
                try consumer.commit()
                observed.committedAfter = try consumer.committed([p0, p1], timeout: .seconds(5))
                observed.positions = try consumer.position([p0, p1])

                try consumer.resume([p1])
                observed.afterResume = try consumeAll(consumer, count: 50, seconds: 10)

                try consumer.seek([KafkaTopicPartitionOffset(p0, offset: 45)], timeout: .seconds(5))
                observed.afterSeek = try consumeAll(consumer, count: 5, seconds: 10)
                observed.watermarks = try consumer.watermarks(topic: "control", partition: 0, timeout: .seconds(5))
                observed.cached = consumer.cachedWatermarks(topic: "control", partition: 1)
                // Storing an offset for a partition that is not assigned is refused.
                do throws(KafkaError) {
                    try consumer.storeOffsets([KafkaTopicPartitionOffset(topic: "control", partition: 7, offset: 1)])
                } catch {
                    observed.storeError = error
                }
                try consumer.close()
                return observed
            }
            #expect(Set(observed.assignment) == [p0, p1])
            #expect(observed.committedBefore.map(\.offset) == [KafkaOffset.unset, KafkaOffset.unset])
            #expect(observed.whilePaused.count == 50)
            #expect(observed.whilePaused.allSatisfy { $0.partition == 0 })
            #expect(observed.committedAfter.map(\.offset) == [50, KafkaOffset.unset])
            #expect(observed.positions.map(\.offset) == [50, KafkaOffset.unset])
            #expect(observed.afterResume.count == 50)
            #expect(observed.afterResume.allSatisfy { $0.partition == 1 })
            #expect(observed.afterResume.map(\.offset) == Array(0..<50))
            #expect(observed.afterSeek.map(\.offset) == [45, 46, 47, 48, 49])
            #expect(observed.afterSeek.allSatisfy { $0.partition == 0 })
            #expect(observed.watermarks == KafkaWatermarks(low: 0, high: 50))
            #expect(observed.cached?.high == 50)
            #expect(observed.storeError != nil)
        }

        @Test func pollingFromTwoThreadsAtOnceIsRefused() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("single-poller", partitions: 1)
            let consumer = try KafkaConsumer(
                configuration: TestSettings.consumer(cluster, group: "single-poller"),
                logger: TestSettings.logger
            )
            let error = try await onKafkaThread { () -> KafkaError? in
                var nested: KafkaError?
                try consumer.poll(timeout: .milliseconds(10)) { _ in
                    do throws(KafkaError) {
                        _ = try consumer.pollMessages(timeout: .zero)
                    } catch {
                        nested = error
                    }
                }
                try consumer.close()
                return nested
            }
            #expect(error?.code == .illegalState)
            #expect(throws: KafkaError.self) { _ = try consumer.pollMessages(timeout: .zero) }
        }
    }
}
