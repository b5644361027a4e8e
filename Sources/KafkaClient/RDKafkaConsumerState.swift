import CRdKafka
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What only the consumer's polling thread touches: the batch buffer, the topic-name cache and
/// the rebalance handler of the poll or close call in progress.
final class RDKafkaConsumerState: @unchecked Sendable {
    // Safe: every mutable field is read and written only by the thread that holds
    // KafkaConsumer's `busy` flag (inside poll and close), and the rebalance callback runs inside
    // those calls on that same thread.
    typealias Message = UnsafeMutablePointer<rd_kafka_message_t>

    private(set) var buffer: UnsafeMutablePointer<Message?>
    private(set) var capacity: Int
    let names = RDKafkaTopicNameCache()
    var handler: ((inout KafkaRebalance) -> Void)?
    var revoked: [KafkaTopicPartition] = []
    var pendingError: KafkaError?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        buffer = .allocate(capacity: self.capacity)
    }

    deinit {
        buffer.deallocate()
    }

    func ensureCapacity(_ count: Int) {
        guard count > capacity else { return }
        buffer.deallocate()
        capacity = count
        buffer = .allocate(capacity: count)
    }

    /// Handles librdkafka's rebalance callback: runs the handler, then applies the change.
    func rebalance(
        _ rk: OpaquePointer,
        _ error: rd_kafka_resp_err_t,
        _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        logger: Logger
    ) {
        let cooperative = rd_kafka_rebalance_protocol(rk).map { strcmp($0, "COOPERATIVE") == 0 } ?? false
        let current = partitions.map { RDKafkaTopicPartitionList.offsets($0) } ?? []
        switch error {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            var event = KafkaRebalance(kind: .assigned, partitions: current)
            handler?(&event)
            logger.debug("assigned \(event.partitions.map(\.description))")
            RDKafkaTopicPartitionList.with(event.partitions) { list in
                if cooperative {
                    if let failure = rd_kafka_incremental_assign(rk, list) {
                        record(RDKafkaClient.consume(failure, operation: "incremental assign"), logger)
                    }
                } else {
                    let failure = rd_kafka_assign(rk, list)
                    if failure != RD_KAFKA_RESP_ERR_NO_ERROR {
                        record(RDKafkaClient.error(failure, operation: "assign"), logger)
                    }
                }
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(rk) != 0
            var event = KafkaRebalance(kind: lost ? .lost : .revoked, partitions: current)
            handler?(&event)
            logger.debug("\(lost ? "lost" : "revoked") \(current.map(\.description))")
            if cooperative, let partitions {
                if let failure = rd_kafka_incremental_unassign(rk, partitions) {
                    record(RDKafkaClient.consume(failure, operation: "incremental unassign"), logger)
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
            revoked.append(contentsOf: current.map(\.topicPartition))
            // Stop filling the current batch so records after the revoke are not mixed in.
            rd_kafka_yield(rk)
        default:
            record(RDKafkaClient.error(error, operation: "rebalance"), logger)
            _ = rd_kafka_assign(rk, nil)
        }
    }

    private func record(_ error: KafkaError, _ logger: Logger) {
        logger.error("\(error.message)")
        if pendingError == nil { pendingError = error }
    }
}
