import KafkaClient
import Logging

/// Whether the cluster can be reached, as the processing loop needs to know it: librdkafka reports when every
/// broker connection of a client is down (and keeps reconnecting by itself); while that lasts, a short probe on
/// each wall-clock tick finds out when the cluster answers again. One line is logged per change, with what is
/// waiting for the cluster.
///
/// - Important: Confined to the processing thread.
final class ClusterReachability {
    /// The cluster's state as last seen.
    enum State: Equatable {
        case reachable
        case unreachable(since: ContinuousClock.Instant)
    }

    private let producer: KafkaProducer
    private let consumer: KafkaConsumer
    private let logger: Logger
    private var reportedDowns: Int
    private(set) var state = State.reachable

    /// Creates the tracker over the processing thread's producer and group consumer.
    init(producer: KafkaProducer, consumer: KafkaConsumer, logger: Logger) {
        self.producer = producer
        self.consumer = consumer
        self.logger = logger
        reportedDowns = producer.allBrokersDownCount + consumer.allBrokersDownCount
    }

    /// How long the cluster has been unreachable (`nil` while reachable).
    func unreachableFor(now: ContinuousClock.Instant = .now) -> Duration? {
        guard case .unreachable(let since) = state else { return nil }
        return now - since
    }

    /// Updates the state (call on every wall-clock tick).
    ///
    /// - Parameters:
    ///   - waiting: Outputs written and not yet acknowledged (logged with a change).
    ///   - probe: Asks the cluster something small; `true` when it answered.
    func update(waiting: Int, probe: () -> Bool) {
        let downs = producer.allBrokersDownCount + consumer.allBrokersDownCount
        let reported = downs != reportedDowns
        reportedDowns = downs
        switch state {
        case .reachable:
            guard reported else { return }
            state = .unreachable(since: .now)
            logger.warning(
                "cluster unreachable; librdkafka keeps reconnecting, nothing is committed until it answers",
                metadata: ["outputsWaiting": "\(waiting)"])
        case .unreachable(let since):
            guard probe() else { return }
            state = .reachable
            logger.notice(
                "cluster reachable again",
                metadata: ["unreachableFor": "\(ContinuousClock.now - since)", "outputsWaiting": "\(waiting)"])
        }
    }
}
