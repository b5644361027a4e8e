import JSON

/// The state of one window instance of one group key, changelogged by the window step.
struct WindowState: StateCodable {
    var bounds: WindowBounds
    /// Closed windows only remember their revision (late events follow the late policy).
    var closed: Bool
    /// The revision the next emission carries.
    var revision: Int
    var groupValues: [StoredValue]
    /// Aggregates since the last emission (`null` = no value yet).
    var aggregates: [StoredValue]
    /// Event time of the value held by `first`/`last` aggregates.
    var times: [Int64]
    /// Events since the last emission.
    var count: Int64
    var sources: SourceSet
    var fromOffset: Int64
    var toOffset: Int64
    var maxEventTime: Int64
    var correlationId: [UInt8]
    /// The aggregate whose value stopped fitting 38 digits since the last emission (−1: none): the emission
    /// becomes a `DECIMAL_OVERFLOW` dead letter instead of a result.
    var overflow: Int = -1
    /// Distinguishes instances that reuse an entry index (not persisted).
    var generation: UInt32 = 0

    init(bounds: WindowBounds, groupValues: [StoredValue], aggregateCount: Int) {
        self.bounds = bounds
        closed = false
        revision = 0
        self.groupValues = groupValues
        aggregates = Array(repeating: .null, count: aggregateCount)
        times = Array(repeating: 0, count: aggregateCount)
        count = 0
        sources = SourceSet()
        fromOffset = Int64.max
        toOffset = Int64.min
        maxEventTime = Int64.min
        correlationId = []
    }

    /// Forgets what accumulated (after an emission).
    mutating func resetAccumulation() {
        aggregates = Array(repeating: .null, count: aggregates.count)
        times = Array(repeating: 0, count: times.count)
        count = 0
        sources = SourceSet()
        fromOffset = Int64.max
        toOffset = Int64.min
        maxEventTime = Int64.min
        correlationId = []
        overflow = -1
    }

    /// The encoding's version (2: with `overflow`; 1 is read too).
    static let version: UInt8 = 2

    func encode(into writer: inout StateWriter) {
        writer.write(byte: Self.version)
        writer.write(bounds.start)
        writer.write(bounds.end)
        writer.write(closed)
        writer.write(revision)
        writer.write(groupValues.count)
        for value in groupValues { value.encode(into: &writer) }
        writer.write(aggregates.count)
        for (value, time) in zip(aggregates, times) {
            value.encode(into: &writer)
            writer.write(time)
        }
        writer.write(count)
        sources.encode(into: &writer)
        writer.write(fromOffset)
        writer.write(toOffset)
        writer.write(maxEventTime)
        writer.write(bytes: correlationId)
        writer.write(overflow)
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> WindowState {
        let version = try reader.readByte()
        guard version == 1 || version == 2 else {
            throw EngineError(
                .corruptState, "window state of encoding \(version); this build reads encodings 1 and \(Self.version)")
        }
        let bounds = WindowBounds(start: try reader.readInt64(), end: try reader.readInt64())
        let closed = try reader.readBool()
        let revision = try reader.readInt()
        var groupValues: [StoredValue] = []
        for _ in 0..<(try reader.readInt()) { groupValues.append(try StoredValue.decode(from: &reader)) }
        let aggregateCount = try reader.readInt()
        var state = WindowState(bounds: bounds, groupValues: groupValues, aggregateCount: aggregateCount)
        state.closed = closed
        state.revision = revision
        for index in 0..<aggregateCount {
            state.aggregates[index] = try StoredValue.decode(from: &reader)
            state.times[index] = try reader.readInt64()
        }
        state.count = try reader.readInt64()
        state.sources = try SourceSet.decode(from: &reader)
        state.fromOffset = try reader.readInt64()
        state.toOffset = try reader.readInt64()
        state.maxEventTime = try reader.readInt64()
        state.correlationId = try reader.readBytes()
        if version >= 2 { state.overflow = try reader.readInt() }
        return state
    }
}

/// Stream time and the idle-advanced watermark of a window step, changelogged with its windows.
struct WindowMeta: StateCodable {
    var streamTime: Int64
    var idleWatermark: Int64

    func encode(into writer: inout StateWriter) {
        writer.write(streamTime)
        writer.write(idleWatermark)
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> WindowMeta {
        WindowMeta(streamTime: try reader.readInt64(), idleWatermark: try reader.readInt64())
    }
}
