/// Typed conveniences over librdkafka properties. Each reads and writes the named property;
/// `nil` means unset (librdkafka's default applies) or, when reading, not parseable.
extension KafkaConfiguration {
    /// `security.protocol`.
    public enum SecurityProtocol: String, Sendable, CaseIterable {
        case plaintext
        case ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"
    }

    /// `sasl.mechanisms`.
    public enum SASLMechanism: String, Sendable, CaseIterable {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
        case gssapi = "GSSAPI"
        case oauthBearer = "OAUTHBEARER"
    }

    /// `acks`.
    public enum Acks: String, Sendable, CaseIterable {
        /// Wait for all in-sync replicas (required by the idempotent producer).
        case all
        /// Wait for the leader only.
        case leader = "1"
        /// Do not wait.
        case none = "0"
    }

    /// `compression.codec`.
    public enum Compression: String, Sendable, CaseIterable {
        case none
        case gzip
        case snappy
        case lz4
        case zstd
    }

    /// `isolation.level`.
    public enum IsolationLevel: String, Sendable, CaseIterable {
        /// Only records of committed transactions (librdkafka's default).
        case readCommitted = "read_committed"
        /// All records, including those of open and aborted transactions.
        case readUncommitted = "read_uncommitted"
    }

    /// `auto.offset.reset`.
    public enum OffsetReset: String, Sendable, CaseIterable {
        case earliest
        case latest
        case error
    }

    /// `bootstrap.servers`: comma-separated `host:port` list.
    public var bootstrapServers: String? {
        get { self["bootstrap.servers"] }
        set { self["bootstrap.servers"] = newValue }
    }

    /// `client.id`.
    public var clientID: String? {
        get { self["client.id"] }
        set { self["client.id"] = newValue }
    }

    /// `group.id`: the consumer group.
    public var groupID: String? {
        get { self["group.id"] }
        set { self["group.id"] = newValue }
    }

    /// `transactional.id`: makes a producer transactional.
    public var transactionalID: String? {
        get { self["transactional.id"] }
        set { self["transactional.id"] = newValue }
    }

    /// `security.protocol`.
    public var securityProtocol: SecurityProtocol? {
        get { self["security.protocol"].flatMap { SecurityProtocol(rawValue: $0.lowercased()) } }
        set { self["security.protocol"] = newValue?.rawValue }
    }

    /// `sasl.mechanisms`.
    public var saslMechanism: SASLMechanism? {
        get { self["sasl.mechanisms"].flatMap { SASLMechanism(rawValue: $0.uppercased()) } }
        set { self["sasl.mechanisms"] = newValue?.rawValue }
    }

    /// `sasl.username`.
    public var saslUsername: String? {
        get { self["sasl.username"] }
        set { self["sasl.username"] = newValue }
    }

    /// `sasl.password`, from an environment variable or a file.
    public var saslPassword: KafkaSecret? {
        get { secret(for: "sasl.password") }
        set { setOrRemoveSecret("sasl.password", newValue) }
    }

    /// `ssl.ca.location`: CA certificate file or directory.
    public var sslCALocation: String? {
        get { self["ssl.ca.location"] }
        set { self["ssl.ca.location"] = newValue }
    }

    /// `ssl.certificate.location`: client certificate (PEM).
    public var sslCertificateLocation: String? {
        get { self["ssl.certificate.location"] }
        set { self["ssl.certificate.location"] = newValue }
    }

    /// `ssl.key.location`: client private key (PEM).
    public var sslKeyLocation: String? {
        get { self["ssl.key.location"] }
        set { self["ssl.key.location"] = newValue }
    }

    /// `ssl.key.password`, from an environment variable or a file.
    public var sslKeyPassword: KafkaSecret? {
        get { secret(for: "ssl.key.password") }
        set { setOrRemoveSecret("ssl.key.password", newValue) }
    }

    /// `enable.idempotence`. Producers default to `true` in PlantStream.
    public var enableIdempotence: Bool? {
        get { bool("enable.idempotence") }
        set { self["enable.idempotence"] = newValue.map { $0 ? "true" : "false" } }
    }

    /// `acks`.
    public var acks: Acks? {
        get {
            switch self["acks"] {
            case "all", "-1": .all
            case "1": .leader
            case "0": Acks.none
            default: nil
            }
        }
        set { self["acks"] = newValue?.rawValue }
    }

    /// `compression.codec`.
    public var compression: Compression? {
        get { self["compression.codec"].flatMap { Compression(rawValue: $0) } }
        set { self["compression.codec"] = newValue?.rawValue }
    }

    /// `linger.ms`: how long the producer waits to fill a batch (librdkafka default 5).
    public var lingerMilliseconds: Int? {
        get { int("linger.ms") }
        set { self["linger.ms"] = newValue.map(String.init) }
    }

    /// `batch.size`: maximum bytes per produced record batch.
    public var batchSize: Int? {
        get { int("batch.size") }
        set { self["batch.size"] = newValue.map(String.init) }
    }

    /// `queue.buffering.max.messages`: producer queue capacity in messages.
    public var queueBufferingMaxMessages: Int? {
        get { int("queue.buffering.max.messages") }
        set { self["queue.buffering.max.messages"] = newValue.map(String.init) }
    }

    /// `message.timeout.ms`: how long a message may wait for delivery.
    public var messageTimeoutMilliseconds: Int? {
        get { int("message.timeout.ms") }
        set { self["message.timeout.ms"] = newValue.map(String.init) }
    }

    /// `transaction.timeout.ms`.
    public var transactionTimeoutMilliseconds: Int? {
        get { int("transaction.timeout.ms") }
        set { self["transaction.timeout.ms"] = newValue.map(String.init) }
    }

    /// `isolation.level`.
    public var isolationLevel: IsolationLevel? {
        get { self["isolation.level"].flatMap { IsolationLevel(rawValue: $0) } }
        set { self["isolation.level"] = newValue?.rawValue }
    }

    /// `auto.offset.reset`: where to start without a committed offset.
    public var autoOffsetReset: OffsetReset? {
        get {
            switch self["auto.offset.reset"] {
            case "earliest", "smallest", "beginning": .earliest
            case "latest", "largest", "end": .latest
            case "error": .error
            default: nil
            }
        }
        set { self["auto.offset.reset"] = newValue?.rawValue }
    }

    /// `enable.auto.commit`. Consumers default to `false` in PlantStream (commit explicitly).
    public var enableAutoCommit: Bool? {
        get { bool("enable.auto.commit") }
        set { self["enable.auto.commit"] = newValue.map { $0 ? "true" : "false" } }
    }

    /// `enable.auto.offset.store`. Consumers default to `false` in PlantStream (store explicitly
    /// once outputs are acknowledged).
    public var enableAutoOffsetStore: Bool? {
        get { bool("enable.auto.offset.store") }
        set { self["enable.auto.offset.store"] = newValue.map { $0 ? "true" : "false" } }
    }

    /// `fetch.wait.max.ms`: how long the broker may hold an empty fetch.
    public var fetchWaitMaxMilliseconds: Int? {
        get { int("fetch.wait.max.ms") }
        set { self["fetch.wait.max.ms"] = newValue.map(String.init) }
    }

    /// `session.timeout.ms`.
    public var sessionTimeoutMilliseconds: Int? {
        get { int("session.timeout.ms") }
        set { self["session.timeout.ms"] = newValue.map(String.init) }
    }

    /// `heartbeat.interval.ms`.
    public var heartbeatIntervalMilliseconds: Int? {
        get { int("heartbeat.interval.ms") }
        set { self["heartbeat.interval.ms"] = newValue.map(String.init) }
    }

    /// `max.poll.interval.ms`.
    public var maxPollIntervalMilliseconds: Int? {
        get { int("max.poll.interval.ms") }
        set { self["max.poll.interval.ms"] = newValue.map(String.init) }
    }

    /// `partition.assignment.strategy`. Consumers default to `cooperative-sticky` in PlantStream.
    public var partitionAssignmentStrategy: String? {
        get { self["partition.assignment.strategy"] }
        set { self["partition.assignment.strategy"] = newValue }
    }

    /// `statistics.interval.ms` (0 disables statistics).
    public var statisticsIntervalMilliseconds: Int? {
        get { int("statistics.interval.ms") }
        set { self["statistics.interval.ms"] = newValue.map(String.init) }
    }

    /// `debug`: comma-separated librdkafka debug contexts (e.g. `broker,topic,msg`).
    public var debug: String? {
        get { self["debug"] }
        set { self["debug"] = newValue }
    }

    private func int(_ key: String) -> Int? { self[key].flatMap { Int($0) } }

    private func bool(_ key: String) -> Bool? {
        switch self[key] {
        case "true": true
        case "false": false
        default: nil
        }
    }

    private mutating func setOrRemoveSecret(_ key: String, _ secret: KafkaSecret?) {
        if let secret { setSecret(key, from: secret) } else { self[key] = nil }
    }
}
