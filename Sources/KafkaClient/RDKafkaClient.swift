import CRdKafka
import Logging

/// Owns one librdkafka handle (`rd_kafka_t`) and the context its callbacks use.
///
/// librdkafka handles are thread-safe for every call this module makes on them from several
/// threads (produce, poll, flush, offsets, metadata); calls that are not (consumer polling) are
/// serialised by their owners.
final class RDKafkaClient: @unchecked Sendable {
    // Safe: `handle` is immutable after init, the librdkafka calls made on it from several threads
    // are documented thread-safe, and `context` is Sendable.
    enum Kind {
        case producer
        case consumer
    }

    let handle: OpaquePointer
    let context: RDKafkaContext
    let kind: Kind

    init(kind: Kind, configuration: KafkaConfiguration, context: RDKafkaContext) throws(KafkaError) {
        let conf = try RDKafkaConfig.make(configuration)
        // The opaque is unretained: `self` keeps `context` alive longer than the handle.
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
            RDKafkaCallbacks.log(rk, level, facility, message)
        }
        rd_kafka_conf_set_error_cb(conf) { rk, error, reason, _ in
            RDKafkaCallbacks.error(rk, error, reason)
        }
        switch kind {
        case .producer:
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
                RDKafkaCallbacks.delivery(message, opaque)
            }
        case .consumer:
            rd_kafka_conf_set_rebalance_cb(conf) { rk, error, partitions, opaque in
                RDKafkaCallbacks.rebalance(rk, error, partitions, opaque)
            }
            rd_kafka_conf_set_offset_commit_cb(conf) { _, error, offsets, opaque in
                RDKafkaCallbacks.offsetCommit(error, offsets, opaque)
            }
        }
        var errstr = [CChar](repeating: 0, count: 512)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        // rd_kafka_new takes ownership of `conf` on success only.
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            let reason = errstr.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw KafkaError(.configuration, "cannot create Kafka client: \(reason)")
        }
        self.handle = handle
        self.context = context
        self.kind = kind
    }

    deinit {
        rd_kafka_destroy(handle)
    }

    /// The client's name as librdkafka reports it (e.g. `rdkafka#producer-1`).
    var name: String { String(cString: rd_kafka_name(handle)) }

    /// The fatal error raised on this handle, if any.
    func fatalError() -> KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let reason = errstr.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return KafkaError(
            .client,
            "fatal error: \(reason)",
            responseError: KafkaResponseError(code),
            transactionErrorKind: .fatal
        )
    }

    /// Converts an `rd_kafka_error_t` into a ``KafkaError`` and destroys it.
    static func consume(_ error: OpaquePointer, operation: String) -> KafkaError {
        // The caller owns `error`; it is destroyed here after reading it.
        defer { rd_kafka_error_destroy(error) }
        let code = KafkaResponseError(rd_kafka_error_code(error))
        let reason = String(cString: rd_kafka_error_string(error))
        let kind: KafkaError.TransactionErrorKind? =
            if rd_kafka_error_is_fatal(error) != 0 {
                .fatal
            } else if rd_kafka_error_txn_requires_abort(error) != 0 {
                .abortRequired
            } else if rd_kafka_error_is_retriable(error) != 0 {
                .retriable
            } else {
                nil
            }
        let errorCode: KafkaError.Code = code == .timedOut ? .timedOut : .client
        return KafkaError(errorCode, "\(operation): \(reason)", responseError: code, transactionErrorKind: kind)
    }

    /// Converts an `rd_kafka_resp_err_t` into a ``KafkaError``.
    static func error(_ code: rd_kafka_resp_err_t, operation: String) -> KafkaError {
        let response = KafkaResponseError(code)
        let errorCode: KafkaError.Code = response == .timedOut ? .timedOut : .client
        return KafkaError(errorCode, "\(operation): \(response.explanation)", responseError: response)
    }
}
