import KafkaClient

/// Which client kinds a librdkafka property applies to, so that settings given once for all clients of a
/// region reach only the clients that understand them (librdkafka warns about the others).
enum KafkaPropertyScope {
    /// Properties only consumers read.
    static let consumerOnly: Set<String> = [
        "group.id", "group.instance.id", "partition.assignment.strategy", "session.timeout.ms",
        "heartbeat.interval.ms", "group.protocol.type", "coordinator.query.interval.ms", "max.poll.interval.ms",
        "enable.auto.commit", "auto.commit.interval.ms", "enable.auto.offset.store", "queued.min.messages",
        "queued.max.messages.kbytes", "fetch.wait.max.ms", "fetch.message.max.bytes", "max.partition.fetch.bytes",
        "fetch.max.bytes", "fetch.min.bytes", "fetch.error.backoff.ms", "fetch.queue.backoff.ms", "isolation.level",
        "enable.partition.eof", "check.crcs", "allow.auto.create.topics", "auto.offset.reset", "client.rack",
    ]

    /// Properties only producers read.
    static let producerOnly: Set<String> = [
        "transactional.id", "transaction.timeout.ms", "enable.idempotence", "enable.gapless.guarantee",
        "queue.buffering.max.messages", "queue.buffering.max.kbytes", "queue.buffering.max.ms", "linger.ms",
        "message.send.max.retries", "retries", "retry.backoff.ms", "queue.buffering.backpressure.threshold",
        "compression.codec", "compression.type", "batch.num.messages", "batch.size", "delivery.report.only.error",
        "sticky.partitioning.linger.ms", "acks", "request.required.acks", "request.timeout.ms", "message.timeout.ms",
        "delivery.timeout.ms", "partitioner", "compression.level",
    ]

    /// The configuration without the properties of the other client kind.
    static func forProducer(_ configuration: KafkaConfiguration) -> KafkaConfiguration {
        removing(consumerOnly, from: configuration)
    }

    /// The configuration without the properties of the other client kind.
    static func forConsumer(_ configuration: KafkaConfiguration) -> KafkaConfiguration {
        removing(producerOnly, from: configuration)
    }

    private static func removing(_ keys: Set<String>, from configuration: KafkaConfiguration) -> KafkaConfiguration {
        var result = configuration
        for key in configuration.keys where keys.contains(key) { result[key] = nil }
        return result
    }
}
