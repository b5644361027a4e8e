/// `regions:` entry — one deployment: a Kafka cluster connection and a set of plants.
public struct Region: Sendable, Hashable {
    public var name: String
    /// YAML `bootstrapServers` (after `${VAR}` substitution).
    public var bootstrapServers: String
    /// Plants this region processes; events of other plants are counted and skipped. Empty = all.
    public var plants: [String]
    /// YAML `kafka:` — librdkafka properties passed through as is.
    public var kafka: [String: ConfigValue]
    public var location: SourceLocation

    public init(
        name: String,
        bootstrapServers: String,
        plants: [String] = [],
        kafka: [String: ConfigValue] = [:],
        location: SourceLocation
    ) {
        self.name = name
        self.bootstrapServers = bootstrapServers
        self.plants = plants
        self.kafka = kafka
        self.location = location
    }
}

/// A configuration value that may be a secret reference.
public enum ConfigValue: Sendable, Hashable {
    /// A literal (not allowed for secret keys such as `sasl.password`).
    case literal(String)
    /// `{ env: NAME }` — read from the environment at start-up.
    case environment(String)
    /// `{ file: PATH }` — read from a file at start-up (trailing newline trimmed).
    case file(String)
}
