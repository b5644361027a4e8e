/// librdkafka configuration: any property passes through by name (see librdkafka's
/// `CONFIGURATION.md`), with typed conveniences in `KafkaConfiguration+Properties.swift`.
///
/// Secret properties (`sasl.password`, `ssl.key.password`, …) should be set with
/// ``setSecret(_:from:)`` so that the value comes from an environment variable or a file at client
/// creation time. ``description`` redacts every sensitive property, however it was set.
public struct KafkaConfiguration: Sendable, CustomStringConvertible {
    enum Value: Sendable, Hashable {
        case plain(String)
        case secret(KafkaSecret)
    }

    private(set) var values: [String: Value]

    /// Creates a configuration from librdkafka properties.
    ///
    /// - Parameter properties: Property names and values, passed to librdkafka unchanged.
    public init(_ properties: [String: String] = [:]) {
        values = properties.mapValues { .plain($0) }
    }

    /// A property's plain value; `nil` when unset or set as a secret reference.
    ///
    /// Setting `nil` removes the property.
    public subscript(key: String) -> String? {
        get {
            if case .plain(let value)? = values[key] { return value }
            return nil
        }
        set {
            values[key] = newValue.map { .plain($0) }
        }
    }

    /// Sets a property whose value is read from a secret source when a client is created.
    ///
    /// - Parameters:
    ///   - key: The librdkafka property, e.g. `sasl.password`.
    ///   - secret: Where the value comes from.
    public mutating func setSecret(_ key: String, from secret: KafkaSecret) {
        values[key] = .secret(secret)
    }

    /// The secret reference set for a property, if any.
    public func secret(for key: String) -> KafkaSecret? {
        if case .secret(let secret)? = values[key] { return secret }
        return nil
    }

    /// Whether the property is set (plainly or as a secret).
    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// The names of all set properties, sorted.
    public var keys: [String] { values.keys.sorted() }

    /// Returns a copy where `other`'s properties override this configuration's.
    public func merging(_ other: KafkaConfiguration) -> KafkaConfiguration {
        var copy = self
        for (key, value) in other.values { copy.values[key] = value }
        return copy
    }

    /// Whether librdkafka treats a property as sensitive; such values are always redacted.
    public static func isSensitive(_ key: String) -> Bool {
        key.contains("password") || key.contains("secret") || key == "ssl.key.pem"
            || key == "sasl.oauthbearer.config"
    }

    /// `key=value` pairs sorted by key, with sensitive values shown as `[redacted]` and secret
    /// references as their source (`env:NAME`, `file:PATH`).
    public var description: String {
        let parts = values.keys.sorted().map { key -> String in
            switch values[key]! {
            case .secret(let secret): "\(key)=<\(secret)>"
            case .plain(let value): Self.isSensitive(key) ? "\(key)=[redacted]" : "\(key)=\(value)"
            }
        }
        return "KafkaConfiguration(" + parts.joined(separator: ", ") + ")"
    }

    /// Resolves secrets and returns every property with its value.
    func resolvedProperties() throws(KafkaError) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        result.reserveCapacity(values.count)
        for key in values.keys.sorted() {
            switch values[key]! {
            case .plain(let value): result.append((key, value))
            case .secret(let secret): result.append((key, try secret.resolve(for: key)))
            }
        }
        return result
    }
}
