import JSON
import Timekeeping

/// One emission of a window: what accumulated since the previous emission of the same window.
///
/// It is the record the steps after `window` see (its `groupBy` names, aggregate names and
/// `window.*`), and is encodable so a parked window result survives in a changelog.
package final class WindowResult {
    /// Why the window emitted.
    package enum ClosedBy: UInt8, Sendable, CaseIterable {
        case watermark = 0
        case threshold = 1
        case final = 2
        case idle = 3
        case late = 4

        /// The name used in `window.closedBy`.
        package var name: String {
            switch self {
            case .watermark: "watermark"
            case .threshold: "threshold"
            case .final: "final"
            case .idle: "idle"
            case .late: "late"
            }
        }
    }

    /// The window interval.
    package var bounds: WindowBounds
    /// Revision of this emission (0, 1, …).
    package var revision: Int
    package var closedBy: ClosedBy
    /// The group key bytes (group values joined with 0x1F).
    package var groupKey: [UInt8]
    /// The `groupBy` values, in declaration order.
    package var groupValues: [StoredValue]
    /// The aggregate values, in declaration order (`null` when no event had a value).
    package var aggregates: [StoredValue]
    /// Contributing events.
    package var sources: SourceSet
    /// First and last input offset that contributed.
    package var fromOffset: Int64
    package var toOffset: Int64
    /// Latest event time among the contributing events (the transaction's `createdAt`).
    package var createdAt: Int64
    /// Residues of `convert()` for this group key (set by the window step that emitted it).
    var residues: ResidueBook?
    /// Names of the group values and aggregates (set by the window step that emitted it).
    var layout: WindowLayout?
    /// Correlation id of the first contributing event (its `correlationId`, else its `eventId`).
    package var correlationId: [UInt8] = []

    init(
        bounds: WindowBounds,
        revision: Int,
        closedBy: ClosedBy,
        groupKey: [UInt8],
        groupValues: [StoredValue],
        aggregates: [StoredValue],
        sources: SourceSet,
        fromOffset: Int64,
        toOffset: Int64,
        createdAt: Int64
    ) {
        self.bounds = bounds
        self.revision = revision
        self.closedBy = closedBy
        self.groupKey = groupKey
        self.groupValues = groupValues
        self.aggregates = aggregates
        self.sources = sources
        self.fromOffset = fromOffset
        self.toOffset = toOffset
        self.createdAt = createdAt
    }

    /// Window size in whole seconds (`window.sizeSec`).
    package var sizeSeconds: Int64 { (bounds.end - bounds.start) / 1000 }

    /// Encodes for a changelog (parked postings).
    func encode(into writer: inout StateWriter) {
        writer.write(bounds.start)
        writer.write(bounds.end)
        writer.write(revision)
        writer.write(byte: closedBy.rawValue)
        writer.write(bytes: groupKey)
        writer.write(groupValues.count)
        for value in groupValues { value.encode(into: &writer) }
        writer.write(aggregates.count)
        for value in aggregates { value.encode(into: &writer) }
        sources.encode(into: &writer)
        writer.write(fromOffset)
        writer.write(toOffset)
        writer.write(createdAt)
        writer.write(bytes: correlationId)
    }

    /// Writes the result as JSON: its group values and aggregates by name, plus `window` (dead letters,
    /// exceptions, a `map`-less emit).
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        for (index, value) in groupValues.enumerated() {
            writer.key(layout.map { $0.groupNames[index] } ?? "group\(index)")
            value.value.write(to: &writer)
        }
        for (index, value) in aggregates.enumerated() {
            writer.key(layout.map { $0.aggregateNames[index] } ?? "aggregate\(index)")
            value.value.write(to: &writer)
        }
        writer.key("window")
        writer.beginObject()
        var text: [UInt8] = []
        writer.key("start")
        RFC3339.appendTimestamp(bounds.start, to: &text)
        text.withUnsafeBytes { writer.string(utf8: $0) }
        text.removeAll(keepingCapacity: true)
        writer.key("end")
        RFC3339.appendTimestamp(bounds.end, to: &text)
        text.withUnsafeBytes { writer.string(utf8: $0) }
        writer.key("sizeSec")
        writer.int(sizeSeconds)
        writer.key("revision")
        writer.int(Int64(revision))
        writer.key("closedBy")
        writer.string(closedBy.name)
        writer.endObject()
        writer.endObject()
    }

    /// Decodes what ``encode(into:)`` wrote.
    static func decode(from reader: inout StateReader) throws(EngineError) -> WindowResult {
        let bounds = WindowBounds(start: try reader.readInt64(), end: try reader.readInt64())
        let revision = try reader.readInt()
        guard let closedBy = ClosedBy(rawValue: try reader.readByte()) else {
            throw EngineError(.corruptState, "bad closedBy in changelog record")
        }
        let groupKey = try reader.readBytes()
        var groupValues: [StoredValue] = []
        for _ in 0..<(try reader.readInt()) { groupValues.append(try StoredValue.decode(from: &reader)) }
        var aggregates: [StoredValue] = []
        for _ in 0..<(try reader.readInt()) { aggregates.append(try StoredValue.decode(from: &reader)) }
        let sources = try SourceSet.decode(from: &reader)
        let result = WindowResult(
            bounds: bounds, revision: revision, closedBy: closedBy, groupKey: groupKey, groupValues: groupValues,
            aggregates: aggregates, sources: sources, fromOffset: try reader.readInt64(),
            toOffset: try reader.readInt64(), createdAt: try reader.readInt64())
        result.correlationId = try reader.readBytes()
        return result
    }
}

/// The names of a window step's group values and aggregates.
final class WindowLayout {
    let groupNames: [String]
    let aggregateNames: [String]

    init(groupNames: [String], aggregateNames: [String]) {
        self.groupNames = groupNames
        self.aggregateNames = aggregateNames
    }
}
