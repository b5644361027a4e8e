import CRdKafka
import Logging
import Synchronization

/// A Kafka producer over librdkafka: idempotent by default, Java-compatible key partitioning
/// (`murmur2_random`), delivery reports correlated by an integer token.
///
/// Threading: every method is thread-safe. Delivery reports are handed to the `onDelivery`
/// handler on whichever thread serves them: ``poll(timeout:)``, ``flush(timeout:)``, a ``send``
/// that waits on a full queue, or a transaction commit. A processing loop that does all of these
/// from its own thread therefore sees every report on that thread.
///
/// - Important: Call ``close(timeout:)`` (or let `deinit` do it) to flush before exit.
public final class KafkaProducer: Sendable {
    /// The properties PlantStream sets unless the configuration overrides them.
    public static let defaults = KafkaConfiguration([
        "enable.idempotence": "true",
        "partitioner": "murmur2_random",
    ])

    /// A non-NULL pointer for empty (not null) keys and values. Safe to share: the byte it points
    /// to is never read (length 0) nor written.
    nonisolated(unsafe) static let emptyBytes = UnsafeRawPointer(
        UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1))

    let client: RDKafkaClient
    private let topics = Mutex<[String: KafkaProducerTopic]>([:])
    private let queueFullWaits = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)
    private let logger: Logger
    /// Whether `transactional.id` is set.
    public let isTransactional: Bool

    /// Creates a producer.
    ///
    /// - Parameters:
    ///   - configuration: librdkafka properties; merged over ``defaults``.
    ///   - logger: Receives librdkafka's log lines and client errors.
    ///   - onDelivery: Called once per sent message with its token (see the type's threading note).
    /// - Throws: ``KafkaError/Code/configuration`` or ``KafkaError/Code/secretUnavailable``.
    public init(
        configuration: KafkaConfiguration,
        logger: Logger = Logger(label: "plantstream.kafka.producer"),
        onDelivery: (@Sendable (KafkaDeliveryReport) -> Void)? = nil
    ) throws(KafkaError) {
        let merged = Self.defaults.merging(configuration)
        let context = RDKafkaContext(logger: logger, deliveryHandler: onDelivery)
        client = try RDKafkaClient(kind: .producer, configuration: merged, context: context)
        self.logger = logger
        isTransactional = merged.transactionalID != nil
    }

    deinit {
        if !closed.load(ordering: .acquiring) {
            let error = rd_kafka_flush(client.handle, 10_000)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.error("producer dropped with \(inFlightCount) undelivered message(s) after a 10 s flush")
            }
        }
    }

    /// librdkafka's name for this client (`<client.id>#producer-<n>`).
    public var name: String { client.name }

    /// Messages sent and not yet reported through `onDelivery`.
    public var inFlightCount: Int { client.context.inFlight.load(ordering: .relaxed) }

    /// How many times a ``send`` found the queue full and waited for delivery reports.
    public var queueFullWaitCount: Int { queueFullWaits.load(ordering: .relaxed) }

    /// Returns a cached handle for a topic.
    ///
    /// - Parameter name: The topic name.
    /// - Returns: A handle to pass to ``send(to:partition:key:value:headers:timestamp:token:)``.
    public func topic(_ name: String) throws(KafkaError) -> KafkaProducerTopic {
        if let cached = topics.withLock({ $0[name] }) { return cached }
        let created = try KafkaProducerTopic(name: name, client: client)
        return topics.withLock { cache in
            if let existing = cache[name] { return existing }
            cache[name] = created
            return created
        }
    }

    /// Sends a message; when the local queue is full, waits for delivery reports (serving them on
    /// this thread) until there is room. Never drops and never spins.
    ///
    /// - Parameters:
    ///   - topic: The topic handle.
    ///   - partition: An explicit partition, or `nil` to partition by key (murmur2, like Java).
    ///   - key: The key bytes (copied), or `nil` for a null key.
    ///   - value: The value bytes (copied), or `nil` for a null value (a tombstone).
    ///   - headers: Headers to attach.
    ///   - timestamp: Milliseconds since the epoch, or `nil` for the current time.
    ///   - token: Returned in this message's ``KafkaDeliveryReport``; no object is retained.
    /// - Throws: ``KafkaError`` when librdkafka rejects the message (e.g. too large, unknown
    ///   partition, fatal producer error).
    public func send(
        to topic: KafkaProducerTopic,
        partition: Int32? = nil,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: KafkaProducerHeaders = .none,
        timestamp: Int64? = nil,
        token: UInt64 = 0
    ) throws(KafkaError) {
        while true {
            let error = produce(topic, partition, key, value, headers, timestamp, token)
            if error == RD_KAFKA_RESP_ERR_NO_ERROR { return }
            guard error == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                throw produceError(error, topic: topic.name)
            }
            queueFullWaits.add(1, ordering: .relaxed)
            // Blocks until at least one delivery report (freeing queue space) arrives, then serves them.
            rd_kafka_poll(client.handle, 100)
        }
    }

    /// Sends a message unless the local queue is full.
    ///
    /// - Returns: `false` when the queue is full (nothing was sent); poll or flush, then retry.
    /// - Throws: As ``send(to:partition:key:value:headers:timestamp:token:)``.
    public func trySend(
        to topic: KafkaProducerTopic,
        partition: Int32? = nil,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: KafkaProducerHeaders = .none,
        timestamp: Int64? = nil,
        token: UInt64 = 0
    ) throws(KafkaError) -> Bool {
        let error = produce(topic, partition, key, value, headers, timestamp, token)
        if error == RD_KAFKA_RESP_ERR_NO_ERROR { return true }
        if error == RD_KAFKA_RESP_ERR__QUEUE_FULL { return false }
        throw produceError(error, topic: topic.name)
    }

    /// Sends a message with any byte-like key and value (see ``KafkaBytes``).
    ///
    /// - Parameters:
    ///   - topic: The topic name (handles are cached; use ``topic(_:)`` on hot paths).
    ///   - partition: An explicit partition, or `nil` to partition by key.
    ///   - key: The key, or `nil`.
    ///   - value: The value, or `nil` for a tombstone.
    ///   - headers: Owned headers.
    ///   - token: Returned in the delivery report.
    public func send<Key: KafkaBytes, Value: KafkaBytes>(
        topic: String,
        partition: Int32? = nil,
        key: Key?,
        value: Value?,
        headers: [KafkaHeader] = [],
        token: UInt64 = 0
    ) throws(KafkaError) {
        let handle = try self.topic(topic)
        let headerList: KafkaProducerHeaders = headers.isEmpty ? .none : .list(headers)
        try Self.withOptionalBytes(key) { (keyBytes) throws(KafkaError) in
            try Self.withOptionalBytes(value) { (valueBytes) throws(KafkaError) in
                try send(
                    to: handle,
                    partition: partition,
                    key: keyBytes,
                    value: valueBytes,
                    headers: headerList,
                    token: token
                )
            }
        }
    }

    /// Serves queued delivery reports, waiting up to `timeout` for the first one.
    ///
    /// - Parameter timeout: How long to wait when none is queued (`.zero` does not wait).
    /// - Returns: The number of events served.
    @discardableResult
    public func poll(timeout: Duration = .zero) -> Int {
        Int(rd_kafka_poll(client.handle, timeout.kafkaMilliseconds))
    }

    /// Waits until every sent message is delivered or failed, serving reports on this thread.
    ///
    /// - Parameter timeout: The longest wait.
    /// - Throws: ``KafkaError/Code/timedOut`` with the number still in flight.
    public func flush(timeout: Duration) throws(KafkaError) {
        let error = rd_kafka_flush(client.handle, timeout.kafkaMilliseconds)
        if error == RD_KAFKA_RESP_ERR__TIMED_OUT {
            throw KafkaError(
                .timedOut,
                "flush timed out with \(inFlightCount) message(s) in flight",
                responseError: .timedOut
            )
        } else if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw RDKafkaClient.error(error, operation: "flush")
        }
    }

    /// Flushes and marks the producer closed; later sends still work but `deinit` will not flush
    /// again.
    ///
    /// - Parameter timeout: The longest flush.
    /// - Throws: ``KafkaError/Code/timedOut`` when messages are still undelivered.
    public func close(timeout: Duration = .seconds(30)) throws(KafkaError) {
        try flush(timeout: timeout)
        closed.store(true, ordering: .releasing)
    }

    /// The fatal error of this producer (e.g. fenced by another transactional instance), if any.
    public var fatalError: KafkaError? { client.fatalError() }

    /// How many times librdkafka reported every broker connection of this client down (it keeps reconnecting);
    /// compare two readings to learn whether it happened in between.
    public var allBrokersDownCount: Int { client.context.allBrokersDownCount.load(ordering: .relaxed) }

    private func produce(
        _ topic: KafkaProducerTopic,
        _ partition: Int32?,
        _ key: UnsafeRawBufferPointer?,
        _ value: UnsafeRawBufferPointer?,
        _ headers: KafkaProducerHeaders,
        _ timestamp: Int64?,
        _ token: UInt64
    ) -> rd_kafka_resp_err_t {
        let headerList = headers.make()
        client.context.inFlight.add(1, ordering: .relaxed)
        let error = withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 8) { vus in
            var count = 0
            func append(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                var vu = rd_kafka_vu_t()
                vu.vtype = type
                fill(&vu)
                vus.initializeElement(at: count, to: vu)
                count += 1
            }
            append(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = topic.handle }
            append(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition ?? RD_KAFKA_PARTITION_UA }
            // RD_KAFKA_MSG_F_COPY: librdkafka copies key and value before produceva returns.
            append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
            if let key {
                append(RD_KAFKA_VTYPE_KEY) {
                    $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress ?? Self.emptyBytes)
                    $0.u.mem.size = key.count
                }
            }
            if let value {
                append(RD_KAFKA_VTYPE_VALUE) {
                    $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress ?? Self.emptyBytes)
                    $0.u.mem.size = value.count
                }
            }
            // The token travels as the per-message opaque pointer value; nothing is retained.
            append(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(token)) }
            if let timestamp { append(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp } }
            if let headerList { append(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headerList } }
            defer { vus.baseAddress!.deinitialize(count: count) }
            guard let error = rd_kafka_produceva(client.handle, vus.baseAddress, count) else {
                return RD_KAFKA_RESP_ERR_NO_ERROR
            }
            // The returned rd_kafka_error_t is owned by the caller.
            let code = rd_kafka_error_code(error)
            rd_kafka_error_destroy(error)
            return code
        }
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            client.context.inFlight.subtract(1, ordering: .relaxed)
            // On failure the headers were not taken over by librdkafka.
            if let headerList { rd_kafka_headers_destroy(headerList) }
        }
        return error
    }

    private func produceError(_ error: rd_kafka_resp_err_t, topic: String) -> KafkaError {
        if error == RD_KAFKA_RESP_ERR__FATAL, let fatal = client.fatalError() { return fatal }
        return RDKafkaClient.error(error, operation: "produce to '\(topic)'")
    }

    private static func withOptionalBytes<B: KafkaBytes>(
        _ bytes: B?,
        _ body: (UnsafeRawBufferPointer?) throws(KafkaError) -> Void
    ) throws(KafkaError) {
        if let bytes {
            try bytes.withKafkaBytes { (buffer) throws(KafkaError) in try body(buffer) }
        } else {
            try body(nil)
        }
    }
}
