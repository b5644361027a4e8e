import CRdKafka
import Logging
import Synchronization

/// State shared with librdkafka's C callbacks for one `rd_kafka_t` (passed as the conf opaque).
///
/// Lifetime: owned by the ``RDKafkaClient`` that owns the handle; the handle is destroyed in the
/// client's `deinit` before the context is released, so callbacks never see a dangling context.
final class RDKafkaContext: Sendable {
    let logger: Logger
    /// Called for each delivery report, on the thread that serves the producer queue.
    let deliveryHandler: (@Sendable (KafkaDeliveryReport) -> Void)?
    /// Messages produced and not yet reported.
    let inFlight = Atomic<Int>(0)
    /// How many times librdkafka reported every broker connection down (`_ALL_BROKERS_DOWN`).
    let allBrokersDownCount = Atomic<Int>(0)
    /// Asynchronous offset commits that failed (whole or for some partition).
    let failedCommitCount = Atomic<Int>(0)
    /// The consumer's poll-thread state, for the rebalance callback.
    let consumer: RDKafkaConsumerState?

    init(
        logger: Logger,
        deliveryHandler: (@Sendable (KafkaDeliveryReport) -> Void)? = nil,
        consumer: RDKafkaConsumerState? = nil
    ) {
        self.logger = logger
        self.deliveryHandler = deliveryHandler
        self.consumer = consumer
    }

    /// The context registered as `rk`'s opaque.
    static func of(_ rk: OpaquePointer?) -> RDKafkaContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<RDKafkaContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> RDKafkaContext? {
        guard let opaque else { return nil }
        return Unmanaged<RDKafkaContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}
