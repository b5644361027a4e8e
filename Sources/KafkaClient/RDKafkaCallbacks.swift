import CRdKafka
import Logging

/// Bodies of the C callbacks registered on every handle. Each recovers the ``RDKafkaContext``
/// from the opaque pointer; none retains anything per message.
enum RDKafkaCallbacks {
    /// `log_cb`: called from librdkafka's internal threads.
    static func log(
        _ rk: OpaquePointer?,
        _ level: Int32,
        _ facility: UnsafePointer<CChar>?,
        _ message: UnsafePointer<CChar>?
    ) {
        guard let context = RDKafkaContext.of(rk) else { return }
        let swiftLevel: Logger.Level =
            switch level {
            case 0...2: .critical
            case 3: .error
            case 4: .warning
            case 5: .notice
            case 6: .info
            default: .debug
            }
        guard context.logger.logLevel <= swiftLevel else { return }
        // `facility` and `message` are only valid during the callback: copied into Strings here.
        let text = message.map { String(cString: $0) } ?? ""
        let origin = facility.map { String(cString: $0) } ?? "rdkafka"
        context.logger.log(level: swiftLevel, "\(text)", metadata: ["rdkafka.facility": "\(origin)"])
    }

    /// `error_cb`: served from poll on the polling thread.
    static func error(_ rk: OpaquePointer?, _ error: Int32, _ reason: UnsafePointer<CChar>?) {
        guard let context = RDKafkaContext.of(rk) else { return }
        let code = KafkaResponseError(rawValue: error)
        let text = reason.map { String(cString: $0) } ?? code.explanation
        if code == .fatal {
            context.logger.critical("librdkafka fatal error: \(text)")
        } else if code == .allBrokersDown {
            context.allBrokersDownCount.add(1, ordering: .relaxed)
            context.logger.debug("librdkafka error \(code.name): \(text)")
        } else {
            context.logger.warning("librdkafka error \(code.name): \(text)")
        }
    }

    /// `dr_msg_cb`: served from `rd_kafka_poll`/`rd_kafka_flush` on the calling thread.
    static func delivery(_ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?) {
        guard let message, let context = RDKafkaContext.from(opaque) else { return }
        // The message belongs to librdkafka and is freed after the callback; only scalars are read (and, on
        // failure, the topic name copied).
        let token = UInt64(UInt(bitPattern: message.pointee._private))
        let error = message.pointee.err
        let failed = error != RD_KAFKA_RESP_ERR_NO_ERROR
        let report = KafkaDeliveryReport(
            token: token,
            partition: message.pointee.partition,
            offset: message.pointee.offset,
            error: failed ? KafkaResponseError(error) : nil,
            failedTopic: failed
                ? message.pointee.rkt.flatMap { rd_kafka_topic_name($0) }.map { String(cString: $0) } : nil
        )
        context.inFlight.subtract(1, ordering: .relaxed)
        context.deliveryHandler?(report)
    }

    /// `rebalance_cb`: served from the consumer queue on the polling (or closing) thread.
    static func rebalance(
        _ rk: OpaquePointer?,
        _ error: rd_kafka_resp_err_t,
        _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        _ opaque: UnsafeMutableRawPointer?
    ) {
        guard let rk else { return }
        // `partitions` is owned by librdkafka and only valid during the callback.
        guard let context = RDKafkaContext.from(opaque), let consumer = context.consumer else {
            _ = rd_kafka_assign(rk, nil)
            return
        }
        consumer.rebalance(rk, error, partitions, logger: context.logger)
    }

    /// `offset_commit_cb`: served from the consumer queue for asynchronous commits.
    static func offsetCommit(
        _ error: rd_kafka_resp_err_t,
        _ offsets: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        _ opaque: UnsafeMutableRawPointer?
    ) {
        guard let context = RDKafkaContext.from(opaque) else { return }
        if error != RD_KAFKA_RESP_ERR_NO_ERROR && error != RD_KAFKA_RESP_ERR__NO_OFFSET {
            context.failedCommitCount.add(1, ordering: .relaxed)
            context.logger.warning("offset commit failed: \(KafkaResponseError(error).explanation)")
        } else if let offsets, let failure = RDKafkaTopicPartitionList.firstError(offsets, operation: "offset commit") {
            context.failedCommitCount.add(1, ordering: .relaxed)
            context.logger.warning("\(failure.message)")
        }
    }
}
