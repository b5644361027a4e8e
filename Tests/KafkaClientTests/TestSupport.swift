import KafkaClient
import Logging
import Synchronization
import Testing

/// Runs blocking Kafka calls on a dedicated thread, never on the cooperative pool.
func onKafkaThread<T: Sendable>(_ name: String = "test", _ body: @escaping @Sendable () throws -> T) async throws -> T {
    let thread = KafkaThread(name: name)
    defer { thread.shutdown() }
    return try await thread.run(body)
}

/// Client settings that keep tests fast on the embedded cluster (short fetch waits and backoffs).
enum TestSettings {
    static let logger: Logger = {
        var logger = Logger(label: "test.kafka")
        logger.logLevel = .error
        return logger
    }()

    static func producer(_ cluster: KafkaEmbeddedCluster, _ extra: [String: String] = [:]) -> KafkaConfiguration {
        var properties = [
            "linger.ms": "5",
            "reconnect.backoff.ms": "50",
            "reconnect.backoff.max.ms": "500",
            "retry.backoff.ms": "50",
        ]
        properties.merge(extra) { $1 }
        return cluster.configuration(properties)
    }

    static func consumer(_ cluster: KafkaEmbeddedCluster, group: String, _ extra: [String: String] = [:])
        -> KafkaConfiguration
    {
        var properties = [
            "group.id": group,
            "auto.offset.reset": "earliest",
            "fetch.wait.max.ms": "20",
            "session.timeout.ms": "2500",
            "heartbeat.interval.ms": "250",
            "reconnect.backoff.ms": "50",
            "reconnect.backoff.max.ms": "500",
            "topic.metadata.refresh.interval.ms": "1000",
        ]
        properties.merge(extra) { $1 }
        return cluster.configuration(properties)
    }
}

/// A clock for loop deadlines in tests (deadlines bound waiting; they are never asserted on).
struct Deadline {
    private let end: ContinuousClock.Instant

    init(seconds: Int) { end = .now + .seconds(seconds) }

    var hasPassed: Bool { ContinuousClock.now >= end }
}

/// Collects log messages, for checking that secrets never reach logs.
final class CapturingLogHandler: LogHandler, Sendable {
    let lines = Mutex<[String]>([])

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:])") }
    }
}

/// Reads until `count` records arrived or the deadline passed; returns owned copies in order.
func consumeAll(
    _ consumer: KafkaConsumer,
    count: Int,
    seconds: Int = 30
) throws -> [KafkaMessage] {
    var messages: [KafkaMessage] = []
    let deadline = Deadline(seconds: seconds)
    while messages.count < count && !deadline.hasPassed {
        messages += try consumer.pollMessages(maxRecords: 2000, timeout: .milliseconds(100))
    }
    return messages
}

extension KafkaMessage {
    var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }
}
