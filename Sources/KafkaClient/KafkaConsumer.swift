import CRdKafka
import Logging
import Synchronization

/// A Kafka group consumer over librdkafka: batch polling, cooperative-sticky assignment,
/// synchronous rebalance handling, manual offset store and commit.
///
/// Threading: ``poll(maxRecords:timeout:onRebalance:_:)`` and ``close(onRebalance:)`` must be
/// called from one thread at a time (a second concurrent call fails with
/// ``KafkaError/Code/illegalState``); run them on a dedicated thread (``KafkaThread``), never on
/// the cooperative pool. All other methods are thread-safe.
///
/// - Important: Offsets are neither stored nor committed automatically by default: call
///   ``storeOffsets(for:)`` once a batch's outputs are acknowledged, then ``commit()``.
public final class KafkaConsumer: Sendable {
    /// The properties PlantStream sets unless the configuration overrides them.
    public static let defaults = KafkaConfiguration([
        "partition.assignment.strategy": "cooperative-sticky",
        "enable.auto.commit": "false",
        "enable.auto.offset.store": "false",
    ])

    let client: RDKafkaClient
    let state: RDKafkaConsumerState
    // The consumer queue (rd_kafka_queue_get_consumer): owned here, destroyed in deinit before
    // the handle. rd_kafka_queue_t is thread-safe.
    nonisolated(unsafe) let queue: OpaquePointer
    private let busy = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)
    let logger: Logger
    /// The consumer group (`group.id`).
    public let groupID: String

    /// Creates a consumer.
    ///
    /// - Parameters:
    ///   - configuration: librdkafka properties (must include `group.id`); merged over ``defaults``.
    ///   - logger: Receives librdkafka's log lines, consumer errors and rebalances (debug).
    ///   - maxBatchSize: The initial capacity of the reused batch buffer.
    /// - Throws: ``KafkaError/Code/configuration`` or ``KafkaError/Code/secretUnavailable``.
    public init(
        configuration: KafkaConfiguration,
        logger: Logger = Logger(label: "plantstream.kafka.consumer"),
        maxBatchSize: Int = 1024
    ) throws(KafkaError) {
        let merged = Self.defaults.merging(configuration)
        guard let groupID = merged.groupID, !groupID.isEmpty else {
            throw KafkaError(.configuration, "a consumer needs 'group.id'")
        }
        let state = RDKafkaConsumerState(capacity: maxBatchSize)
        let context = RDKafkaContext(logger: logger, consumer: state)
        let client = try RDKafkaClient(kind: .consumer, configuration: merged, context: context)
        // Route the main queue (errors, logs, rebalances) to the consumer queue served by poll.
        _ = rd_kafka_poll_set_consumer(client.handle)
        // Non-NULL because group.id is set; the caller owns the returned queue reference.
        queue = rd_kafka_queue_get_consumer(client.handle)!
        self.client = client
        self.state = state
        self.logger = logger
        self.groupID = groupID
    }

    deinit {
        if !closed.load(ordering: .acquiring) {
            _ = rd_kafka_consumer_close(client.handle)
        }
        rd_kafka_queue_destroy(queue)
    }

    /// Subscribes to topics; the group assigns their partitions.
    ///
    /// - Parameter topics: Topic names.
    public func subscribe(topics: [String]) throws(KafkaError) {
        let list = topics.map { KafkaTopicPartitionOffset(topic: $0, partition: RD_KAFKA_PARTITION_UA, offset: 0) }
        let error = RDKafkaTopicPartitionList.with(list) { rd_kafka_subscribe(client.handle, $0) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw RDKafkaClient.error(error, operation: "subscribe to \(topics)")
        }
    }

    /// Subscribes to every topic matching a regular expression (POSIX extended, as librdkafka);
    /// new matching topics join on the next metadata refresh.
    ///
    /// - Parameter pattern: The expression; `^` is prepended when missing (librdkafka's marker for
    ///   a pattern).
    public func subscribe(pattern: String) throws(KafkaError) {
        try subscribe(topics: [pattern.hasPrefix("^") ? pattern : "^" + pattern])
    }

    /// Leaves the subscription (partitions are revoked on the next poll).
    public func unsubscribe() throws(KafkaError) {
        let error = rd_kafka_unsubscribe(client.handle)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafkaClient.error(error, operation: "unsubscribe") }
    }

    /// Assigns partitions manually, without group membership (no rebalances).
    ///
    /// - Parameter partitions: Partitions with start offsets (``KafkaOffset`` or an absolute offset).
    public func assign(_ partitions: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        let error = RDKafkaTopicPartitionList.with(partitions) { rd_kafka_assign(client.handle, $0) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafkaClient.error(error, operation: "assign") }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let error = rd_kafka_assignment(client.handle, &list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            throw RDKafkaClient.error(error, operation: "assignment")
        }
        // The returned list is owned by the caller.
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RDKafkaTopicPartitionList.offsets(list).map(\.topicPartition)
    }

    /// Polls one batch of records and hands it to `body` on this thread, borrowed (no copies).
    ///
    /// Rebalances that happen during the poll are handed to `onRebalance` on this thread first:
    /// assignments before any record of the new partitions, revocations before the partitions are
    /// taken away (see ``KafkaRebalance``).
    ///
    /// - Parameters:
    ///   - maxRecords: The largest batch.
    ///   - timeout: How long to wait for the first record.
    ///   - onRebalance: The synchronous rebalance handler.
    ///   - body: Processes the batch; records are valid only during this call.
    /// - Returns: What `body` returns (an empty batch when nothing arrived in time).
    /// - Throws: ``KafkaError`` (illegal state, a fatal consumer error, or an error of a previous
    ///   rebalance), or what `body` throws.
    public func poll<R>(
        maxRecords: Int = 1024,
        timeout: Duration,
        onRebalance: (inout KafkaRebalance) -> Void = { _ in },
        _ body: (KafkaRecordBatch) throws -> R
    ) throws -> R {
        try acquire("poll")
        defer { busy.store(false, ordering: .releasing) }
        if let pending = state.pendingError {
            state.pendingError = nil
            throw pending
        }
        let capacity = max(1, maxRecords)
        state.ensureCapacity(capacity)
        let received = withoutActuallyEscaping(onRebalance) { handler in
            state.handler = handler
            defer { state.handler = nil }
            state.revoked.removeAll(keepingCapacity: true)
            return consumeBatch(timeout: timeout, capacity: capacity)
        }
        guard received >= 0 else {
            throw RDKafkaClient.error(rd_kafka_last_error(), operation: "consume")
        }
        state.names.beginBatch()
        let (count, errors) = sift(Int(received))
        defer {
            for index in 0..<count { rd_kafka_message_destroy(state.buffer[index]) }
        }
        return try body(KafkaRecordBatch(messages: state.buffer, count: count, names: state.names, errors: errors))
    }

    /// Polls one batch and returns owned copies (convenient; allocates per record).
    ///
    /// - Parameters:
    ///   - maxRecords: The largest batch.
    ///   - timeout: How long to wait for the first record.
    ///   - onRebalance: The synchronous rebalance handler.
    /// - Returns: The copied records.
    public func pollMessages(
        maxRecords: Int = 1024,
        timeout: Duration,
        onRebalance: (inout KafkaRebalance) -> Void = { _ in }
    ) throws(KafkaError) -> [KafkaMessage] {
        do {
            return try poll(maxRecords: maxRecords, timeout: timeout, onRebalance: onRebalance) { batch in
                batch.map(KafkaMessage.init)
            }
        } catch let error as KafkaError {
            throw error
        } catch {
            // The body above does not throw, so poll only throws KafkaError.
            throw KafkaError(.client, "\(error)")
        }
    }

    /// Leaves the group cleanly: revokes the assignment (calling `onRebalance` on this thread so
    /// that state can be committed) and commits nothing on its own. Idempotent.
    ///
    /// - Parameter onRebalance: The synchronous rebalance handler for the final revocation.
    public func close(onRebalance: (inout KafkaRebalance) -> Void = { _ in }) throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else { return }
        try acquire("close")
        defer { busy.store(false, ordering: .releasing) }
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let error = withoutActuallyEscaping(onRebalance) { handler in
            state.handler = handler
            defer { state.handler = nil }
            // Serves the final rebalance callbacks on this thread.
            return rd_kafka_consumer_close(client.handle)
        }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafkaClient.error(error, operation: "close") }
    }

    /// librdkafka's name for this client (`<client.id>#consumer-<n>`).
    public var name: String { client.name }

    /// Whether ``close(onRebalance:)`` was called.
    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// The fatal error of this consumer, if any.
    public var fatalError: KafkaError? { client.fatalError() }

    /// How many times librdkafka reported every broker connection of this client down (it keeps reconnecting);
    /// compare two readings to learn whether it happened in between.
    public var allBrokersDownCount: Int { client.context.allBrokersDownCount.load(ordering: .relaxed) }

    /// How many asynchronous offset commits failed so far (their results arrive through ``poll``); compare two
    /// readings to learn whether one failed in between.
    public var failedCommitCount: Int { client.context.failedCommitCount.load(ordering: .relaxed) }

    /// Fills the buffer with what is queued, waiting up to `timeout` only while nothing is.
    ///
    /// `rd_kafka_consume_batch_queue` waits until the array is full or the timeout passed, which
    /// would add the whole timeout to every partly filled batch; so: take what is there, else wait
    /// for one message, then take what arrived with it.
    private func consumeBatch(timeout: Duration, capacity: Int) -> Int {
        // Messages written to the buffer are owned by us and destroyed after the poll body.
        let buffer = state.buffer
        let available = rd_kafka_consume_batch_queue(queue, 0, buffer, capacity)
        guard available == 0, timeout > .zero else { return available }
        let first = rd_kafka_consume_batch_queue(queue, timeout.kafkaMilliseconds, buffer, 1)
        guard first == 1, capacity > 1 else { return first }
        let rest = rd_kafka_consume_batch_queue(queue, 0, buffer + 1, capacity - 1)
        return rest < 0 ? 1 : 1 + rest
    }

    private func acquire(_ operation: String) throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else {
            throw KafkaError(.illegalState, "\(operation) on a closed consumer")
        }
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            throw KafkaError(.illegalState, "\(operation) while another thread polls or closes this consumer")
        }
    }

    /// Removes error messages and messages of partitions revoked during this poll from the first
    /// `received` buffer slots (destroying them), keeping order.
    private func sift(_ received: Int) -> (count: Int, errors: [KafkaError]) {
        var errors: [KafkaError] = []
        var kept = 0
        let buffer = state.buffer
        for index in 0..<received {
            let message = buffer[index]!
            let error = message.pointee.err
            if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                if error != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    let failure = messageError(message)
                    logger.warning("\(failure.message)")
                    errors.append(failure)
                    if error == RD_KAFKA_RESP_ERR__FATAL, state.pendingError == nil {
                        state.pendingError = client.fatalError() ?? failure
                    }
                }
                rd_kafka_message_destroy(message)
            } else if !state.revoked.isEmpty, isRevoked(message) {
                rd_kafka_message_destroy(message)
            } else {
                buffer[kept] = message
                kept += 1
            }
        }
        return (kept, errors)
    }

    private func isRevoked(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> Bool {
        guard let topic = message.pointee.rkt else { return false }
        let name = state.names.name(of: topic)
        let partition = message.pointee.partition
        return state.revoked.contains { $0.partition == partition && $0.topic == name }
    }

    private func messageError(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaError {
        let code = KafkaResponseError(message.pointee.err)
        // rd_kafka_message_errstr returns a string owned by the message.
        let reason = String(cString: rd_kafka_message_errstr(message))
        var location = ""
        if let topic = message.pointee.rkt {
            location = " (\(state.names.name(of: topic))[\(message.pointee.partition)])"
        }
        return KafkaError(.client, "consumer error\(location): \(reason)", responseError: code)
    }
}
