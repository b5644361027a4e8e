import KafkaClient
import Simulator
import Synchronization

/// Sends simulated records through a Kafka producer, partitioned by key like the Java client, counting
/// deliveries (the first few failures are reported as they come).
public struct KafkaRecordSink: SimulatedRecordSink {
    private let producer: KafkaProducer
    private let counters: DeliveryCounters
    private var topics: [String: KafkaProducerTopic] = [:]
    private let simulatedTimestamps: Bool
    private let closeTimeout: Duration

    /// Creates the sink and its producer.
    ///
    /// - Parameters:
    ///   - configuration: Producer settings (bootstrap servers, client id, batching).
    ///   - simulatedTimestamps: Record timestamps are the simulated ingestion instant; else the producer's clock.
    ///   - closeTimeout: The longest wait for outstanding deliveries at the end.
    ///   - reportFailure: Called (on a librdkafka thread) for the first five failed deliveries.
    /// - Throws: `KafkaError` when the producer cannot be created.
    public init(
        configuration: KafkaConfiguration, simulatedTimestamps: Bool, closeTimeout: Duration = .seconds(30),
        reportFailure: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(KafkaError) {
        let counters = DeliveryCounters()
        producer = try KafkaProducer(configuration: configuration) { report in
            if report.isSuccess {
                counters.delivered.add(1, ordering: .relaxed)
            } else if counters.failed.add(1, ordering: .relaxed).newValue <= 5 {
                reportFailure("delivery failed: \(report.error.map { "\($0)" } ?? "?")")
            }
        }
        self.counters = counters
        self.simulatedTimestamps = simulatedTimestamps
        self.closeTimeout = closeTimeout
    }

    public mutating func send(_ record: SimulatedRecordView) throws(SimulatorSinkError) {
        do {
            try producer.send(record, topics: &topics, timestamp: simulatedTimestamps ? record.timestampMs : nil)
        } catch {
            throw SimulatorSinkError("\(error)")
        }
    }

    public mutating func serve() { producer.poll(timeout: .zero) }

    public mutating func idle(for duration: Duration) { producer.poll(timeout: duration) }

    public mutating func finish() throws(SimulatorSinkError) -> String? {
        do {
            try producer.close(timeout: closeTimeout)
        } catch {
            throw SimulatorSinkError("\(error) (\(summary))")
        }
        guard counters.failed.load(ordering: .relaxed) == 0 else {
            throw SimulatorSinkError("some records were not delivered (\(summary))")
        }
        return summary
    }

    private var summary: String {
        "delivered \(counters.delivered.load(ordering: .relaxed)), failed \(counters.failed.load(ordering: .relaxed))"
    }

    /// Delivery-report counters shared with the producer's callback.
    private final class DeliveryCounters: Sendable {
        let delivered = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
    }
}
