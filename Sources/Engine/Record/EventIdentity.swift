import JSON
import Topology

/// Where the identity of a source's events is: the event id, the producing system, the id used for 1:1
/// idempotency keys and dedupe, the correlation id and the plant.
///
/// Canonical events (every envelope of ours) carry them as envelope members. A source of foreign records
/// (`envelope: none`) names fields or headers; without an event id the id is derived from the record's position:
/// the UUIDv5 (RFC 9562, URL namespace) of `<topic>|<partition>|<offset>` — the same for every replay of the record,
/// different when a producer sends the same event twice.
///
/// - Important: The values are read from the record being processed (its event and input) and are valid while
///   it is.
final class EventIdentity {
    /// Where one value is.
    enum Locator {
        /// A member of the canonical event.
        case member(StaticString)
        /// A path into the foreign record.
        case path([PathStep])
        /// The first header of this name.
        case header([UInt8])
        /// The same text for every record.
        case constant([UInt8])
        /// `<topic>|<partition>|<offset>` as a UUIDv5.
        case derivedFromPosition
        /// Nowhere.
        case absent
    }

    /// Whether the events are canonical (the locators are envelope members).
    let isCanonical: Bool
    private let eventId: Locator
    private let sourceSystem: Locator
    /// Foreign records: the source's name, the producing system of a record that does not name one.
    private let fallbackSourceSystem: [UInt8]?
    /// Canonical only: `sourceEventId`, preferred over `eventId` in 1:1 keys when it is a string.
    private let sourceEventId: Locator
    /// Canonical only: `correlationId`, else the event id.
    private let correlationId: Locator
    private let plant: Locator
    /// A reused buffer for derived ids.
    @exclusivity(unchecked) private var scratch: [UInt8] = []

    /// The identity of canonical events.
    convenience init() {
        self.init(
            isCanonical: true, eventId: .member("eventId"), sourceSystem: .member("source"),
            sourceEventId: .member("sourceEventId"), correlationId: .member("correlationId"), plant: .member("plantId"))
    }

    /// The identity of the records of `source` (canonical unless it reads foreign records).
    convenience init(source: Source) {
        guard source.isForeign else {
            self.init()
            return
        }
        func locator(_ field: RecordField?) -> Locator {
            switch field {
            case .field(let path)?: .path(PathStep.steps(path.segments[...]))
            case .header(let name)?: .header(Array(name.utf8))
            case nil: .absent
            }
        }
        self.init(
            isCanonical: false, eventId: source.eventId == nil ? .derivedFromPosition : locator(source.eventId),
            sourceSystem: source.sourceSystem == nil
                ? .constant(Array(source.name.utf8)) : locator(source.sourceSystem),
            sourceEventId: .absent, correlationId: .absent, plant: locator(source.plant),
            fallbackSourceSystem: Array(source.name.utf8))
    }

    private init(
        isCanonical: Bool, eventId: Locator, sourceSystem: Locator, sourceEventId: Locator, correlationId: Locator,
        plant: Locator, fallbackSourceSystem: [UInt8]? = nil
    ) {
        self.fallbackSourceSystem = fallbackSourceSystem
        self.isCanonical = isCanonical
        self.eventId = eventId
        self.sourceSystem = sourceSystem
        self.sourceEventId = sourceEventId
        self.correlationId = correlationId
        self.plant = plant
    }

    /// Whether the plant can be found (canonical events: `plantId`; foreign records: a `plant` option).
    var hasPlant: Bool {
        if case .absent = plant { return false }
        return true
    }

    /// Appends the event id (unescaped text).
    @inline(__always)
    func appendEventId(of record: RecordContext, to buffer: inout [UInt8]) {
        append(eventId, of: record, to: &buffer)
    }

    /// Appends the producing system (canonical: `source`).
    @inline(__always)
    func appendSourceSystem(of record: RecordContext, to buffer: inout [UInt8]) {
        let start = buffer.count
        append(sourceSystem, of: record, to: &buffer)
        if buffer.count == start, let fallback = fallbackSourceSystem { buffer.append(contentsOf: fallback) }
    }

    /// Appends the id of the event at its source: canonical `sourceEventId` when it is a string, else the event id.
    @inline(__always)
    func appendSourceEventId(of record: RecordContext, to buffer: inout [UInt8]) {
        if case .member(let name) = sourceEventId, let node = record.event?.member(name), node.kind == .string {
            node.appendUnescapedBytes(to: &buffer)
            return
        }
        append(eventId, of: record, to: &buffer)
    }

    /// Appends the correlation id: canonical `correlationId`, else the event id.
    @inline(__always)
    func appendCorrelationId(of record: RecordContext, to buffer: inout [UInt8]) {
        if case .member(let name) = correlationId, let node = record.event?.member(name) {
            node.appendUnescapedBytes(to: &buffer)
            return
        }
        append(eventId, of: record, to: &buffer)
    }

    /// The event id as a value (`eventId()`).
    func eventIdValue(of record: RecordContext) -> Value { value(eventId, of: record) }

    /// The producing system as a value (`sourceSystem()`): for a foreign record that does not name one, the source's
    /// name.
    func sourceSystemValue(of record: RecordContext) -> Value {
        let found = value(sourceSystem, of: record)
        guard found.isNull, let fallback = fallbackSourceSystem else { return found }
        return .text(fallback)
    }

    /// The plant as a value (`null` when the source does not say where it is).
    func plantValue(of record: RecordContext) -> Value { value(plant, of: record) }

    private func value(_ locator: Locator, of record: RecordContext) -> Value {
        switch locator {
        case .member(let name):
            guard let node = record.event?.member(name) else { return .null }
            return .node(node)
        case .path(let steps):
            return ExpressionCompiler.resolveEvent(record, steps)
        case .header, .constant, .derivedFromPosition:
            var bytes: [UInt8] = []
            append(locator, of: record, to: &bytes)
            return .text(bytes)
        case .absent:
            return .null
        }
    }

    private func append(_ locator: Locator, of record: RecordContext, to buffer: inout [UInt8]) {
        switch locator {
        case .member(let name):
            record.event?.member(name)?.appendUnescapedBytes(to: &buffer)
        case .path(let steps):
            ExpressionCompiler.resolveEvent(record, steps).appendText(to: &buffer)
        case .header(let name):
            guard let headers = record.input?.headers else { return }
            for header in headers where header.name.elementsEqual(name) {
                if let value = header.value { buffer.append(contentsOf: value) }
                return
            }
        case .constant(let bytes):
            buffer.append(contentsOf: bytes)
        case .derivedFromPosition:
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: record.topic.utf8)
            scratch.append(0x7C)
            PartitionTask.appendDecimal(Int64(record.partition), to: &scratch)
            scratch.append(0x7C)
            PartitionTask.appendDecimal(record.offset, to: &scratch)
            scratch.withUnsafeBytes { UUIDv5.append(name: $0, to: &buffer) }
        case .absent:
            return
        }
    }
}
