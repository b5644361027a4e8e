import Foundation
import KafkaClient
import Logging
import Testing

@testable import Runtime

/// The commit protocols on their own: what is committed when, with which checkpoint — against recording
/// stand-ins for the consumer's offset API and the producer's flush and transactions (the protocols' only
/// contact with Kafka), and a real ``DeliveryTracker`` fed delivery reports.
@Suite struct CommitterTests {
    // MARK: At least once

    @Test func anOffsetIsCommittedOnlyOnceEveryRecordBeforeItIsAcknowledged() throws {
        let world = World()
        let committer = world.atLeastOnce()
        let partition = world.own("in", 0, position: 10, checkpoint: 3)
        let token = world.tracker.willSend()  // an output written while processing offsets < 10
        try committer.commit(world)
        #expect(world.offsets.commits.isEmpty, "committed before the output was acknowledged")

        world.tracker.delivered(KafkaDeliveryReport(token: token, partition: 0, offset: 1, error: nil))
        try committer.poll(world)
        #expect(world.offsets.commits.count == 1)
        let commit = try #require(world.offsets.commits.first)
        #expect(!commit.synchronously)
        #expect(
            commit.offsets == [
                KafkaTopicPartitionOffset(partition.key, offset: 10, metadata: "plantstream:checkpoint=3")
            ])
        #expect(partition.committed == CommitPoint(offset: 10, checkpoint: 3))
    }

    @Test func theCommittedCheckpointIsTheOneFlushedWithThePosition() throws {
        let world = World()
        let committer = world.atLeastOnce()
        let partition = world.own("in", 0, position: 5, checkpoint: 1)
        try committer.commit(world)
        // Processing moves on after the seal: the next flush writes checkpoint 2 at offset 9.
        partition.position = 9
        partition.nextCheckpoint = 2
        try committer.poll(world)
        #expect(world.offsets.commits.last?.offsets.first?.metadata == "plantstream:checkpoint=1")
        #expect(world.offsets.commits.last?.offsets.first?.offset == 5)
        try committer.commit(world)
        #expect(world.offsets.commits.last?.offsets.first?.metadata == "plantstream:checkpoint=2")
        #expect(world.offsets.commits.last?.offsets.first?.offset == 9)
        #expect(partition.flushes == 2, "every commit interval flushes the task")
    }

    @Test func aPartitionNoLongerOwnedIsNeverCommitted() throws {
        let world = World()
        let committer = world.atLeastOnce()
        let kept = world.own("in", 0, position: 4, checkpoint: 1)
        let lost = world.own("in", 1, position: 7, checkpoint: 2)
        let token = world.tracker.willSend()
        try committer.commit(world)
        world.disown(lost)
        try committer.lost([lost.key], owner: world)
        world.tracker.delivered(KafkaDeliveryReport(token: token, partition: 0, offset: 1, error: nil))
        try committer.poll(world)
        let committed = world.offsets.commits.flatMap(\.offsets).map(\.topicPartition)
        #expect(committed == [kept.key])
    }

    @Test func nothingIsCommittedPastAFailedDelivery() throws {
        let world = World()
        let committer = world.atLeastOnce()
        _ = world.own("in", 0, position: 4, checkpoint: 1)
        let token = world.tracker.willSend()
        try committer.commit(world)
        world.tracker.delivered(
            KafkaDeliveryReport(token: token, partition: 0, offset: -1, error: KafkaResponseError(rawValue: 10)))
        try committer.poll(world)
        #expect(world.offsets.commits.isEmpty)
        #expect(throws: RuntimeError.self) { try committer.beforeRevoke(world) }
        #expect(world.offsets.commits.isEmpty)
    }

    @Test func aRevokeWaitsForEveryDeliveryAndCommitsEveryPartitionSynchronously() throws {
        let world = World()
        let committer = world.atLeastOnce()
        let first = world.own("in", 0, position: 4, checkpoint: 1)
        let second = world.own("in", 1, position: -1, checkpoint: 0)  // nothing processed, nothing committed
        let third = world.own("in", 2, position: 8, checkpoint: 5)
        third.committed = CommitPoint(offset: 8, checkpoint: 5)
        let token = world.tracker.willSend()
        world.producer.onFlush = {
            world.tracker.delivered(KafkaDeliveryReport(token: token, partition: 0, offset: 1, error: nil))
        }
        try committer.beforeRevoke(world)
        #expect(world.producer.flushes == 1)
        let commit = try #require(world.offsets.commits.last)
        #expect(commit.synchronously)
        #expect(commit.offsets.map(\.topicPartition) == [first.key, third.key])
        #expect(second.committed == .none)
    }

    @Test func aFailedAsynchronousCommitIsRepeated() throws {
        let world = World()
        let committer = world.atLeastOnce()
        let partition = world.own("in", 0, position: 5, checkpoint: 2)
        try committer.commit(world)
        #expect(world.offsets.commits.count == 1)
        try committer.poll(world)
        #expect(world.offsets.commits.count == 1, "nothing new: nothing committed again")
        world.offsets.failedCommitCount += 1  // the result of the commit arrives: it failed
        try committer.poll(world)
        #expect(world.offsets.commits.count == 2)
        #expect(world.offsets.commits.last?.offsets == [partition.committed.offset(for: partition.key)])
    }

    @Test func aCommitThatCannotBeStartedIsRepeatedWithoutNewRecords() throws {
        let world = World()
        let committer = world.atLeastOnce(idleRecommitInterval: .seconds(3600))
        let partition = world.own("in", 0, position: 5, checkpoint: 2)
        world.offsets.refusal = KafkaError(.illegalState, "no coordinator yet")
        try committer.commit(world)
        #expect(world.offsets.commits.isEmpty)
        world.offsets.refusal = nil
        try committer.poll(world)
        #expect(world.offsets.commits.map(\.offsets) == [[partition.committed.offset(for: partition.key)]])
        #expect(partition.committed == CommitPoint(offset: 5, checkpoint: 2))
    }

    @Test func idlePointsAreCommittedAgainAfterTheIdleInterval() throws {
        let world = World()
        let committer = world.atLeastOnce(idleRecommitInterval: .milliseconds(20))
        let partition = world.own("in", 0, position: 5, checkpoint: 2)
        try committer.commit(world)
        try committer.commit(world)
        #expect(world.offsets.commits.count == 1, "nothing new within the interval: nothing committed again")
        Thread.sleep(forTimeInterval: 0.05)
        try committer.commit(world)
        #expect(world.offsets.commits.count == 2, "a commit lost without a report is repeated")
        #expect(world.offsets.commits.last?.offsets == [partition.committed.offset(for: partition.key)])
    }

    @Test func aCommitPointNeverGoesBackwards() throws {
        let world = World()
        let committer = world.atLeastOnce()
        let partition = world.own("in", 0, position: 3, checkpoint: 1)
        partition.committed = CommitPoint(offset: 6, checkpoint: 4)  // committed by a later revoke commit
        try committer.commit(world)
        try committer.poll(world)
        #expect(world.offsets.commits.isEmpty)
    }

    // MARK: Exactly once

    @Test func aTransactionCarriesTheOffsetsWithTheirCheckpointsAndTheNextOneBegins() throws {
        let world = World()
        let committer = world.transactional()
        try committer.start()
        let partition = world.own("in", 0, position: 12, checkpoint: 7)
        _ = world.tracker.willSend()
        try committer.commit(world)
        #expect(
            world.producer.calls == ["begin", "sendOffsets in[0]@12 plantstream:checkpoint=7", "commit", "begin"])
        #expect(partition.committed == CommitPoint(offset: 12, checkpoint: 7))
        // The same offsets are confirmed with a plain commit (the embedded broker drops transactional ones).
        #expect(world.offsets.commits.last?.offsets.first?.metadata == "plantstream:checkpoint=7")
    }

    @Test func anAbortRequiredErrorAbortsAndRebuildsEveryTaskFromTheCommittedState() throws {
        let world = World()
        let committer = world.transactional()
        try committer.start()
        let partition = world.own("in", 0, position: 12, checkpoint: 7)
        world.producer.failCommit = KafkaError(.transaction, "injected", transactionErrorKind: .abortRequired)
        try committer.commit(world)
        #expect(
            world.producer.calls == [
                "begin", "sendOffsets in[0]@12 plantstream:checkpoint=7", "commit", "abort", "begin",
            ])
        #expect(world.rebuilds == 1)
        #expect(partition.committed == .none, "nothing was committed")
        #expect(world.offsets.commits.isEmpty)
    }

    @Test func aFatalErrorStopsTheProcessor() throws {
        let world = World()
        let committer = world.transactional()
        try committer.start()
        _ = world.own("in", 0, position: 12, checkpoint: 7)
        world.producer.failCommit = KafkaError(.transaction, "fenced", transactionErrorKind: .fatal)
        #expect(throws: RuntimeError.self) { try committer.commit(world) }
        #expect(world.rebuilds == 0)
    }

    @Test func anEmptyTransactionIsNotCommitted() throws {
        let world = World()
        let committer = world.transactional()
        try committer.start()
        let partition = world.own("in", 0, position: 12, checkpoint: 7)
        partition.committed = CommitPoint(offset: 12, checkpoint: 7)
        try committer.commit(world)
        try committer.finish(world)
        #expect(world.producer.calls == ["begin", "abort"])
    }
}

// MARK: Stand-ins

/// The partitions and the clients the committers see.
private final class World: PartitionOwner {
    let tracker = DeliveryTracker()
    let offsets = RecordingOffsets()
    let producer = RecordingProducer()
    private(set) var partitions: [TestPartition] = []
    private(set) var rebuilds = 0
    let logger = Logger(label: "test.commit")

    func atLeastOnce(idleRecommitInterval: Duration = .seconds(3600)) -> AtLeastOnceCommitter {
        AtLeastOnceCommitter(
            offsets: offsets, producer: producer, tracker: tracker, flushTimeout: .seconds(1),
            idleRecommitInterval: idleRecommitInterval, logger: logger)
    }

    func transactional() -> TransactionalCommitter {
        TransactionalCommitter(offsets: offsets, producer: producer, tracker: tracker, logger: logger)
    }

    func own(_ topic: String, _ partition: Int32, position: Int64, checkpoint: UInt64) -> TestPartition {
        let owned = TestPartition(
            key: KafkaTopicPartition(topic: topic, partition: partition), position: position, checkpoint: checkpoint)
        partitions.append(owned)
        return owned
    }

    func disown(_ partition: TestPartition) { partitions.removeAll { $0 === partition } }

    var committable: [any CommittablePartition] { partitions }

    func committable(_ key: KafkaTopicPartition) -> (any CommittablePartition)? {
        partitions.first { $0.key == key }
    }

    func rebuildAll() throws(RuntimeError) {
        rebuilds += 1
        for partition in partitions { partition.position = partition.committed.offset }
    }
}

private final class TestPartition: CommittablePartition {
    let key: KafkaTopicPartition
    var position: Int64
    var committed = CommitPoint.none
    /// What the next flush returns.
    var nextCheckpoint: UInt64
    private(set) var flushes = 0

    init(key: KafkaTopicPartition, position: Int64, checkpoint: UInt64) {
        self.key = key
        self.position = position
        nextCheckpoint = checkpoint
    }

    func flushState() -> UInt64 {
        flushes += 1
        return nextCheckpoint
    }
}

private final class RecordingOffsets: OffsetCommitting {
    private(set) var commits: [(offsets: [KafkaTopicPartitionOffset], synchronously: Bool)] = []
    var failedCommitCount = 0
    /// Set: a commit cannot be started.
    var refusal: KafkaError?

    func commit(_ offsets: [KafkaTopicPartitionOffset], synchronously: Bool) throws(KafkaError) {
        if let refusal { throw refusal }
        commits.append((offsets, synchronously))
    }

    func groupMetadata() throws(KafkaError) -> KafkaConsumerGroupMetadata {
        KafkaConsumerGroupMetadata(groupID: "test")
    }
}

private final class RecordingProducer: CommitProducing {
    private(set) var calls: [String] = []
    private(set) var flushes = 0
    var onFlush: () -> Void = {}
    var failCommit: KafkaError?

    func flush(timeout: Duration) throws(KafkaError) {
        flushes += 1
        onFlush()
    }

    func beginTransaction() throws(KafkaError) { calls.append("begin") }

    func sendOffsetsToTransaction(
        _ offsets: [KafkaTopicPartitionOffset], groupMetadata: KafkaConsumerGroupMetadata, timeout: Duration
    ) throws(KafkaError) {
        calls.append("sendOffsets " + offsets.map { "\($0) \($0.metadata ?? "")" }.joined(separator: ","))
    }

    func commitTransaction(timeout: Duration) throws(KafkaError) {
        calls.append("commit")
        if let failCommit {
            self.failCommit = nil
            throw failCommit
        }
    }

    func abortTransaction(timeout: Duration) throws(KafkaError) { calls.append("abort") }
}
