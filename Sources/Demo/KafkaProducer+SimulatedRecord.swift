import KafkaClient
import Runtime
import Simulator

extension KafkaProducer {
    /// Sends one simulated record (key, value, CloudEvents headers), partitioned by key.
    ///
    /// - Parameters:
    ///   - record: The record (borrowed for the call).
    ///   - topics: The caller's topic handles by name (filled on first use; one caller thread, no lock).
    ///   - timestamp: The record timestamp (epoch ms); `nil` lets the producer stamp it.
    /// - Throws: `KafkaError` when the topic handle cannot be made or the record cannot be queued.
    public func send(
        _ record: SimulatedRecordView, topics: inout [String: KafkaProducerTopic], timestamp: Int64?
    ) throws(KafkaError) {
        let topic: KafkaProducerTopic
        if let cached = topics[record.topic] {
            topic = cached
        } else {
            topic = try self.topic(record.topic)
            topics[record.topic] = topic
        }
        let headers: KafkaProducerHeaders =
            record.headers.isEmpty
            ? .none : .list(record.headers.map { KafkaHeader(name: $0.name, value: $0.value) })
        try send(to: topic, key: record.key, value: record.value, headers: headers, timestamp: timestamp)
    }
}
