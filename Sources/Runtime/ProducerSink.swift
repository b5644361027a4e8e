import Engine
import KafkaClient

/// The engine's ``Sink`` over the one producer of the processing thread: every output, dead letter,
/// exception, table row and changelog record goes through ``send(_:)``, tagged with the current delivery
/// generation (see ``DeliveryTracker``).
///
/// Rows written to outputs of kind `table` carry a `ps_origin` header, so the table feed skips them when they
/// come back from the topic (the engine applied them when it wrote them).
final class ProducerSink: Sink {
    private let producer: KafkaProducer
    private let topics: [KafkaProducerTopic]
    private let tracker: DeliveryTracker
    private let originHeaders: [KafkaHeader]
    private let kinds: [Destination.Kind]
    private let topicNames: [String]
    /// The first send librdkafka refused, and the topic it was for.
    private(set) var failure: (error: KafkaError, topic: String)?
    /// Records written per destination index (the sink is confined to the processing thread and `send` never
    /// re-enters itself: no dynamic exclusivity check per record).
    @exclusivity(unchecked) private(set) var countsByDestination: [Int]
    /// Reused header views of the record being sent.
    @exclusivity(unchecked) private var headerViews: [KafkaHeaderView] = []

    /// Creates the sink.
    ///
    /// - Parameters:
    ///   - producer: The processing thread's producer.
    ///   - destinations: The engine's destinations (topic handles are resolved once, by index).
    ///   - tracker: The delivery tracker.
    ///   - origin: This process's run id, for the `ps_origin` header of table rows.
    init(producer: KafkaProducer, destinations: [Destination], tracker: DeliveryTracker, origin: String)
        throws(KafkaError)
    {
        self.producer = producer
        var topics: [KafkaProducerTopic] = []
        for destination in destinations { topics.append(try producer.topic(destination.topic)) }
        self.topics = topics
        kinds = destinations.map(\.kind)
        topicNames = destinations.map(\.topic)
        self.tracker = tracker
        originHeaders = [KafkaHeader(name: RuntimeHeaders.origin, string: origin)]
        countsByDestination = Array(repeating: 0, count: destinations.count)
    }

    /// Forgets the failed send (its record will be written differently after a rewind).
    func clearFailure() { failure = nil }

    func send(_ record: OutgoingRecord) {
        let index = record.destination.index
        let kind = kinds[index]
        switch kind {
        case .records where record.headers.isEmpty, .exceptions where record.headers.isEmpty:
            send(record, index: index, headers: .none)
        case .table where record.headers.isEmpty:
            send(record, index: index, headers: .list(originHeaders))
        case .table:
            // A row routed unchanged: its own headers, then this process's origin.
            send(record, index: index, headers: .list(Self.owned(record.headers) + originHeaders))
        case .records, .exceptions, .deadLetter, .changelog:
            // Headers of a record routed unchanged, reason headers, or the checkpoint header a restore needs:
            // lent to librdkafka without a copy.
            headerViews.removeAll(keepingCapacity: true)
            for header in record.headers { headerViews.append(KafkaHeaderView(name: header.name, value: header.value)) }
            headerViews.withUnsafeBufferPointer { send(record, index: index, headers: .views($0)) }
        }
    }

    private static func owned(_ headers: UnsafeBufferPointer<RecordHeader>) -> [KafkaHeader] {
        headers.map { KafkaHeader(name: String(decoding: $0.name, as: UTF8.self), value: $0.value.map(Array.init)) }
    }

    @inline(__always)
    private func send(_ record: OutgoingRecord, index: Int, headers: KafkaProducerHeaders) {
        let token = tracker.willSend()
        do {
            try producer.send(
                to: topics[index], partition: record.partition, key: record.key, value: record.value,
                headers: headers, timestamp: record.timestamp, token: token)
            countsByDestination[index] += 1
        } catch {
            tracker.sendFailed(token: token)
            if failure == nil { failure = (error, topicNames[index]) }
        }
    }
}

/// Header names the runtime adds.
public enum RuntimeHeaders {
    /// On table rows this process writes: its run id (the table feed skips its own rows, already applied).
    public static let origin = "ps_origin"
}
