import Logging
import Synchronization

/// An async facade over ``KafkaProducer`` for simple users: `try await send(...)` returns when the
/// broker acknowledged the message. A dedicated thread polls delivery reports; a full queue
/// suspends the sender (no thread is blocked) until reports free room.
///
/// Processing loops should use ``KafkaProducer`` directly: this type adds a lock and a
/// continuation per message, which the blocking path does not pay.
public final class KafkaAsyncProducer: Sendable {
    private final class Router: Sendable {
        struct State {
            var waiting: [UInt64: CheckedContinuation<KafkaDeliveryReport, any Error>] = [:]
            var early: [UInt64: KafkaDeliveryReport] = [:]
            var spaceWaiters: [CheckedContinuation<Void, Never>] = []
            var drainWaiters: [CheckedContinuation<Void, Never>] = []
            var generation: UInt64 = 0
        }

        let state = Mutex(State())
        let running = Atomic<Bool>(true)
        let inFlight: @Sendable () -> Int

        init(inFlight: @escaping @Sendable () -> Int) { self.inFlight = inFlight }

        func deliver(_ report: KafkaDeliveryReport) {
            let (waiter, woken) = state.withLock { state in
                state.generation &+= 1
                let waiter = state.waiting.removeValue(forKey: report.token)
                if waiter == nil { state.early[report.token] = report }
                var woken = state.spaceWaiters
                state.spaceWaiters.removeAll()
                if inFlight() == 0 {
                    woken += state.drainWaiters
                    state.drainWaiters.removeAll()
                }
                return (waiter, woken)
            }
            for continuation in woken { continuation.resume() }
            waiter.map { Self.resume($0, with: report) }
        }

        static func resume(
            _ continuation: CheckedContinuation<KafkaDeliveryReport, any Error>, with report: KafkaDeliveryReport
        ) {
            if let error = report.error {
                continuation.resume(
                    throwing: KafkaError(.client, "delivery failed: \(error.explanation)", responseError: error)
                )
            } else {
                continuation.resume(returning: report)
            }
        }
    }

    /// The underlying producer (for topics, transactions and statistics).
    public let producer: KafkaProducer
    private let router: Router
    private let pollThread: KafkaThread
    private let nextToken = Atomic<UInt64>(1)

    /// Creates the producer and starts its poll thread.
    ///
    /// - Parameters:
    ///   - configuration: librdkafka properties, merged over ``KafkaProducer/defaults``.
    ///   - logger: Receives librdkafka's log lines.
    public init(configuration: KafkaConfiguration, logger: Logger = Logger(label: "plantstream.kafka.producer"))
        throws(KafkaError)
    {
        let box = Mutex<KafkaProducer?>(nil)
        let router = Router(inFlight: { box.withLock { $0?.inFlightCount ?? 0 } })
        let producer = try KafkaProducer(configuration: configuration, logger: logger) { report in
            router.deliver(report)
        }
        box.withLock { $0 = producer }
        self.producer = producer
        self.router = router
        pollThread = KafkaThread.detach(name: "ps-producer-poll") {
            while router.running.load(ordering: .relaxed) {
                producer.poll(timeout: .milliseconds(100))
            }
        }
    }

    deinit {
        router.running.store(false, ordering: .relaxed)
    }

    /// Sends a message and waits for the broker's acknowledgement.
    ///
    /// - Parameters:
    ///   - topic: The topic.
    ///   - partition: An explicit partition, or `nil` to partition by key.
    ///   - key: The key, or `nil`.
    ///   - value: The value, or `nil`.
    ///   - headers: Headers.
    /// - Returns: The delivery report (partition and offset).
    /// - Throws: ``KafkaError`` when librdkafka rejects the message or delivery fails.
    public func send<Key: KafkaBytes & Sendable, Value: KafkaBytes & Sendable>(
        topic: String,
        partition: Int32? = nil,
        key: Key?,
        value: Value?,
        headers: [KafkaHeader] = []
    ) async throws -> KafkaDeliveryReport {
        let token = nextToken.add(1, ordering: .relaxed).newValue
        while true {
            let generation = router.state.withLock { $0.generation }
            let handle = try producer.topic(topic)
            let sent = try Self.trySend(producer, handle, partition, key, value, headers, token)
            if sent { break }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = router.state.withLock { state in
                    if state.generation != generation { return true }
                    state.spaceWaiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            let report = router.state.withLock { state -> KafkaDeliveryReport? in
                if let report = state.early.removeValue(forKey: token) { return report }
                state.waiting[token] = continuation
                return nil
            }
            report.map { Router.resume(continuation, with: $0) }
        }
    }

    /// Suspends until every sent message is acknowledged or failed.
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = router.state.withLock { state in
                if producer.inFlightCount == 0 { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Flushes, then stops the poll thread. The producer must not be used afterwards.
    public func shutdown() async {
        await flush()
        router.running.store(false, ordering: .relaxed)
        await pollThread.joined()
    }

    private static func trySend<Key: KafkaBytes, Value: KafkaBytes>(
        _ producer: KafkaProducer,
        _ topic: KafkaProducerTopic,
        _ partition: Int32?,
        _ key: Key?,
        _ value: Value?,
        _ headers: [KafkaHeader],
        _ token: UInt64
    ) throws(KafkaError) -> Bool {
        let headerList: KafkaProducerHeaders = headers.isEmpty ? .none : .list(headers)
        func withBytes<B: KafkaBytes>(
            _ bytes: B?,
            _ body: (UnsafeRawBufferPointer?) throws(KafkaError) -> Bool
        ) throws(KafkaError) -> Bool {
            guard let bytes else { return try body(nil) }
            return try bytes.withKafkaBytes { (buffer) throws(KafkaError) in try body(buffer) }
        }
        return try withBytes(key) { (keyBytes) throws(KafkaError) in
            try withBytes(value) { (valueBytes) throws(KafkaError) in
                try producer.trySend(
                    to: topic,
                    partition: partition,
                    key: keyBytes,
                    value: valueBytes,
                    headers: headerList,
                    token: token
                )
            }
        }
    }
}
