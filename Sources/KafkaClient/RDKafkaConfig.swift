import CRdKafka

/// Builds librdkafka `rd_kafka_conf_t` objects from a ``KafkaConfiguration``.
enum RDKafkaConfig {
    /// Creates a `rd_kafka_conf_t` with every property of `configuration` (secrets resolved).
    ///
    /// - Returns: A conf the caller owns: pass it to `rd_kafka_new` (which frees it on success only)
    ///   or destroy it with `rd_kafka_conf_destroy`.
    static func make(_ configuration: KafkaConfiguration) throws(KafkaError) -> OpaquePointer {
        let properties = try configuration.resolvedProperties()
        // rd_kafka_conf_new never returns NULL.
        let conf = rd_kafka_conf_new()!
        for (key, value) in properties {
            do {
                try set(conf, key, value)
            } catch {
                rd_kafka_conf_destroy(conf)
                throw error
            }
        }
        return conf
    }

    /// Sets one property; errors never include the value of a sensitive property.
    static func set(_ conf: OpaquePointer, _ key: String, _ value: String) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
        switch result {
        case RD_KAFKA_CONF_OK:
            return
        case RD_KAFKA_CONF_UNKNOWN:
            throw KafkaError(.configuration, "unknown configuration property '\(key)'")
        default:
            if KafkaConfiguration.isSensitive(key) {
                throw KafkaError(.configuration, "invalid value for configuration property '\(key)' (value hidden)")
            }
            let reason = errstr.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw KafkaError(.configuration, "invalid configuration property '\(key)': \(reason)")
        }
    }
}
