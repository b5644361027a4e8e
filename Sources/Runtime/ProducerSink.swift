import Engine
import KafkaClient

/// The engine's ``Sink`` over the one producer of the processing thread: every output, dead letter,
/// exception, table row and changelog record goes through ``send(_:)``, tagged with the current delivery
/// generation (see ``DeliveryTracker``).
///
/// Rows written to outputs of kind `table` are also kept for the runtime to apply to the global table at
/// once (as the test driver does), and carry a `ps_origin` header so the table feed skips them when they come
/// back from the topic.
final class ProducerSink: Sink {
    /// A table row written by this process, to apply locally.
    struct TableRow {
        var topic: String
        var key: [UInt8]
        var value: [UInt8]?
    }

    private let producer: KafkaProducer
    private let topics: [KafkaProducerTopic]
    private let tracker: DeliveryTracker
    private let originHeaders: [KafkaHeader]
    /// Rows written to table outputs since the last ``takeTableRows()``.
    private(set) var tableRows: [TableRow] = []
    /// The first send librdkafka refused.
    private(set) var failure: KafkaError?
    // The per-record counters below skip the dynamic exclusivity check: the sink is confined to the
    // processing thread and `send` never re-enters itself.
    /// Records written per destination index.
    @exclusivity(unchecked) private(set) var countsByDestination: [Int]
    /// ERP transactions per `txnType` (raw bytes → count; few distinct types).
    @exclusivity(unchecked) private var transactionTypes: [(name: [UInt8], count: Int)] = []
    /// Per destination: records looked at for a `txnType` so far without finding one. A destination whose
    /// first records carry none (analytics, routed events) is not scanned any more.
    @exclusivity(unchecked) private var misses: [Int]
    /// Dead letters per error code.
    private(set) var deadLettersByCode: [String: Int] = [:]
    /// Reused header views of the record being sent.
    @exclusivity(unchecked) private var headerViews: [KafkaHeaderView] = []
    private let kinds: [Destination.Kind]

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
        self.tracker = tracker
        originHeaders = [KafkaHeader(name: RuntimeHeaders.origin, string: origin)]
        countsByDestination = Array(repeating: 0, count: destinations.count)
        misses = Array(repeating: 0, count: destinations.count)
    }

    func send(_ record: OutgoingRecord) {
        let index = record.destination.index
        let kind = kinds[index]
        var headers = KafkaProducerHeaders.none
        switch kind {
        case .records:
            if misses[index] < Self.scanLimit {
                // A destination that carried a transaction once is always scanned.
                if countTransaction(record.value) { misses[index] = Int.min / 2 } else { misses[index] += 1 }
            }
        case .deadLetter:
            headers = .list(Self.owned(record.headers))
            countDeadLetter(record.headers)
        case .table:
            headers = .list(originHeaders)
            tableRows.append(
                TableRow(
                    topic: record.destination.topic, key: record.key.map { Array($0) } ?? [],
                    value: record.value.map { Array($0) }))
        case .changelog:
            // The checkpoint header (a restore needs it), lent to librdkafka without a copy in Swift.
            headerViews.removeAll(keepingCapacity: true)
            for header in record.headers { headerViews.append(KafkaHeaderView(name: header.name, value: header.value)) }
            headerViews.withUnsafeBufferPointer { send(record, index: index, headers: .views($0)) }
            return
        case .exceptions:
            break
        }
        send(record, index: index, headers: headers)
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
            if failure == nil { failure = error }
        }
    }

    /// Returns and forgets the table rows written since the last call.
    func takeTableRows() -> [TableRow] {
        guard !tableRows.isEmpty else { return [] }
        defer { tableRows.removeAll(keepingCapacity: true) }
        return tableRows
    }

    /// ERP transactions per type.
    var transactionsByType: [String: Int] {
        var result: [String: Int] = [:]
        for entry in transactionTypes { result[String(decoding: entry.name, as: UTF8.self)] = entry.count }
        return result
    }

    /// Records of a destination scanned without a `txnType` before it is no longer scanned.
    static let scanLimit = 64

    /// Counts a record by the `txnType` member near the start of its JSON (the ERP header comes first).
    ///
    /// - Returns: Whether the record has one.
    @inline(__always)
    private func countTransaction(_ value: UnsafeRawBufferPointer?) -> Bool {
        guard let value, let range = Self.txnType(in: value) else { return false }
        let name = UnsafeRawBufferPointer(rebasing: value[range])
        for index in transactionTypes.indices where transactionTypes[index].name.elementsEqual(name) {
            transactionTypes[index].count += 1
            return true
        }
        transactionTypes.append((Array(name), 1))
        return true
    }

    private func countDeadLetter(_ headers: UnsafeBufferPointer<RecordHeader>) {
        var code = "UNKNOWN"
        for header in headers where header.hasName("ps_error_code") {
            code = header.value.map { String(decoding: $0, as: UTF8.self) } ?? code
        }
        deadLettersByCode[code, default: 0] += 1
    }

    private static let txnTypeKey: [UInt8] = Array("\"txnType\":\"".utf8)

    /// The bytes of the `txnType` string value in the first 256 bytes of `value`, if any.
    static func txnType(in value: UnsafeRawBufferPointer) -> Range<Int>? {
        let key = txnTypeKey
        let limit = min(value.count, 256) - key.count
        guard limit > 0 else { return nil }
        var start = 0
        while start <= limit {
            if value[start] == 0x22 {
                var matched = true
                for offset in 1..<key.count where value[start + offset] != key[offset] {
                    matched = false
                    break
                }
                if matched {
                    let begin = start + key.count
                    var end = begin
                    while end < value.count, value[end] != 0x22 { end += 1 }
                    return end < value.count ? begin..<end : nil
                }
            }
            start += 1
        }
        return nil
    }

    private static func owned(_ headers: UnsafeBufferPointer<RecordHeader>) -> [KafkaHeader] {
        headers.map { KafkaHeader(name: String(decoding: $0.name, as: UTF8.self), value: $0.value.map { Array($0) }) }
    }
}

/// Header names the runtime adds.
public enum RuntimeHeaders {
    /// On table rows this process writes: its run id (the table feed skips its own rows, already applied).
    public static let origin = "ps_origin"
}
