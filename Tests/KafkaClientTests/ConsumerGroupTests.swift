import KafkaClient
import Testing

extension EmbeddedKafkaTests {
    @Suite struct ConsumerGroupTests {
        /// One group member as the runtime drives it: process a batch, store its offsets, commit;
        /// on revoke commit before the partitions go; never see a record of an unassigned partition.
        final class Member {
            let name: String
            let consumer: KafkaConsumer
            var assigned = Set<KafkaTopicPartition>()
            var revokedLog: [[KafkaTopicPartition]] = []
            var seen: [KafkaTopicPartition: [Int64]] = [:]
            var recordsOutsideAssignment = 0
            var commitFailures = 0
            var deferredCommits = 0

            init(_ name: String, cluster: KafkaEmbeddedCluster) throws {
                self.name = name
                consumer = try KafkaConsumer(
                    configuration: TestSettings.consumer(cluster, group: "orders-group", ["client.id": name]),
                    logger: TestSettings.logger
                )
                try consumer.subscribe(topics: ["orders"])
            }

            func handle(_ rebalance: inout KafkaRebalance) {
                let partitions = rebalance.partitions.map(\.topicPartition)
                switch rebalance.kind {
                case .assigned:
                    assigned.formUnion(partitions)
                case .revoked:
                    // Called before the partitions are taken away: commit what was processed.
                    commitFailures += (try? commit()) == nil ? 1 : 0
                    revokedLog.append(partitions)
                    assigned.subtract(partitions)
                case .lost:
                    assigned.subtract(partitions)
                }
            }

            func pollOnce() throws {
                try consumer.poll(maxRecords: 50, timeout: .milliseconds(50), onRebalance: handle) { batch in
                    for record in batch {
                        if !assigned.contains(record.topicPartition) { recordsOutsideAssignment += 1 }
                        seen[record.topicPartition, default: []].append(record.offset)
                    }
                    if !batch.isEmpty {
                        try consumer.storeOffsets(for: batch)
                        try commit()
                    }
                }
            }

            /// Commits stored offsets; during a rebalance (or just after one this member has not seen yet) the
            /// broker refuses and the offsets stay stored for the next commit (what the runtime does too).
            func commit() throws {
                do {
                    try consumer.commit()
                } catch {
                    let transient: Set<KafkaResponseError> = [.rebalanceInProgress, .illegalGeneration]
                    guard let code = error.responseError, transient.contains(code) else { throw error }
                    deferredCommits += 1
                }
            }

            func close() throws {
                try consumer.close(onRebalance: handle)
            }

            var count: Int { seen.values.reduce(0) { $0 + $1.count } }
        }

        static func produce(_ producer: KafkaProducer, _ range: Range<Int>) throws {
            for index in range {
                try producer.send(
                    topic: "orders", partition: Int32(index % 6), key: "order-\(index)", value: "\(index)")
            }
            try producer.flush(timeout: .seconds(10))
        }

        /// What the two members observed, gathered on the poll thread and checked in the test.
        struct Outcome: Sendable {
            var firstAloneAssigned = Set<KafkaTopicPartition>()
            var firstAloneCount = 0
            var firstSharedAssigned = Set<KafkaTopicPartition>()
            var secondSharedAssigned = Set<KafkaTopicPartition>()
            var firstRevoked = Set<KafkaTopicPartition>()
            var secondFinalAssigned = Set<KafkaTopicPartition>()
            var recordsOutsideAssignment = 0
            var firstSeen: [KafkaTopicPartition: [Int64]] = [:]
            var secondSeen: [KafkaTopicPartition: [Int64]] = [:]
            var committed: [KafkaTopicPartitionOffset] = []
        }

        @Test func twoMembersSplitPartitionsAndTheSurvivorResumesFromCommittedOffsets() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("orders", partitions: 6)
            let all = (0..<6).map { KafkaTopicPartition(topic: "orders", partition: $0) }

            let outcome = try await onKafkaThread { () -> Outcome in
                var outcome = Outcome()
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster), logger: TestSettings.logger)
                try Self.produce(producer, 0..<300)

                // Phase 1: one member owns everything and consumes the first 300 records.
                let first = try Member("first", cluster: cluster)
                var deadline = Deadline(seconds: 30)
                while first.count < 300 && !deadline.hasPassed { try first.pollOnce() }
                outcome.firstAloneAssigned = first.assigned
                outcome.firstAloneCount = first.count

                // Phase 2: a second member joins; cooperative-sticky moves some partitions to it.
                let second = try Member("second", cluster: cluster)
                deadline = Deadline(seconds: 30)
                while (second.assigned.isEmpty || first.assigned.count + second.assigned.count != 6)
                    && !deadline.hasPassed
                {
                    try first.pollOnce()
                    try second.pollOnce()
                }
                outcome.firstSharedAssigned = first.assigned
                outcome.secondSharedAssigned = second.assigned
                outcome.firstRevoked = Set(first.revokedLog.flatMap { $0 })

                try Self.produce(producer, 300..<600)
                deadline = Deadline(seconds: 30)
                while first.count + second.count < 600 && !deadline.hasPassed {
                    try first.pollOnce()
                    try second.pollOnce()
                }

                // Phase 3: the first member leaves; the second takes over its partitions.
                try Self.produce(producer, 600..<900)
                try first.pollOnce()
                try first.close()
                deadline = Deadline(seconds: 30)
                while first.count + second.count < 900 && !deadline.hasPassed { try second.pollOnce() }
                outcome.secondFinalAssigned = second.assigned
                outcome.recordsOutsideAssignment = first.recordsOutsideAssignment + second.recordsOutsideAssignment
                outcome.firstSeen = first.seen
                outcome.secondSeen = second.seen
                outcome.committed = try second.consumer.committed(all, timeout: .seconds(10))
                try second.close()
                return outcome
            }

            #expect(outcome.firstAloneAssigned == Set(all))
            #expect(outcome.firstAloneCount == 300)
            #expect(!outcome.firstSharedAssigned.isEmpty)
            #expect(!outcome.secondSharedAssigned.isEmpty)
            #expect(outcome.firstSharedAssigned.isDisjoint(with: outcome.secondSharedAssigned))
            #expect(outcome.firstSharedAssigned.union(outcome.secondSharedAssigned) == Set(all))
            // The first member was told which partitions it lost, before they moved.
            #expect(outcome.firstRevoked == outcome.secondSharedAssigned)
            #expect(outcome.secondFinalAssigned == Set(all))
            // Every record arrived after its partition's assignment callback and before its revocation.
            #expect(outcome.recordsOutsideAssignment == 0)
            // No gap and no re-delivery: each offset 0..<150 of every partition was seen exactly once
            // across both members, and each member saw increasing offsets per partition.
            for partition in all {
                let firstOffsets = outcome.firstSeen[partition, default: []]
                let secondOffsets = outcome.secondSeen[partition, default: []]
                #expect(firstOffsets == firstOffsets.sorted())
                #expect(secondOffsets == secondOffsets.sorted())
                #expect((firstOffsets + secondOffsets).sorted() == Array(0..<150))
            }
            // The second member resumed each partition it took over exactly at the committed offset.
            for partition in outcome.secondSharedAssigned {
                #expect(outcome.secondSeen[partition]?.first == 50)
            }
            // The group's committed position is the end of every partition.
            #expect(outcome.committed.map(\.offset) == Array(repeating: 150, count: 6))
        }

        @Test func regexSubscriptionPicksUpMatchingTopics() async throws {
            let cluster = try KafkaEmbeddedCluster(logger: TestSettings.logger)
            try cluster.createTopic("plant.a.events", partitions: 2)
            try cluster.createTopic("plant.b.events", partitions: 2)
            try cluster.createTopic("other", partitions: 1)
            let topics = try await onKafkaThread { () -> Set<String> in
                let producer = try KafkaProducer(
                    configuration: TestSettings.producer(cluster), logger: TestSettings.logger)
                for topic in ["plant.a.events", "plant.b.events", "other"] {
                    for index in 0..<10 { try producer.send(topic: topic, key: "k\(index)", value: topic) }
                }
                try producer.flush(timeout: .seconds(10))
                let consumer = try KafkaConsumer(
                    configuration: TestSettings.consumer(cluster, group: "regex"),
                    logger: TestSettings.logger
                )
                try consumer.subscribe(pattern: "^plant\\..*\\.events$")
                let messages = try consumeAll(consumer, count: 20)
                // Nothing from "other" arrives even when polling longer.
                let extra = try consumer.pollMessages(timeout: .milliseconds(300))
                try consumer.close()
                return Set((messages + extra).map(\.topic))
            }
            #expect(topics == ["plant.a.events", "plant.b.events"])
        }
    }
}
