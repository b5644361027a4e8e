import JSON
import Topology

/// The aggregate functions of a window step, as one table of per-function operations: ``combine(_:_:time:into:)``
/// folds one value into an aggregate, and both adding a record (``accumulate(_:inputs:time:)``) and merging two
/// sessions (``merge(_:into:)``) use it — so the two can never disagree.
///
/// Values are exact decimals (`sum`, `count`), any comparable value (`min`, `max`: numbers by value, RFC 3339
/// strings by instant, other strings by bytes) or the value of the earliest/latest event (`first`, `last`).
/// A `sum` or `count` that stops fitting 38 digits keeps its last value and marks the window (`overflow`): the
/// window's emission then becomes a `DECIMAL_OVERFLOW` dead letter.
struct Aggregator {
    let functions: [Aggregate.Function]
    /// `count()` without an argument counts records; with one, non-null values.
    let hasArgument: [Bool]

    /// Folds `incoming` (observed at `time`) into aggregate `index` of `state`: for `count`, `incoming` is a number
    /// of records to add.
    @inline(__always)
    func combine(_ index: Int, _ incoming: Value, time: Int64, into state: inout WindowState) {
        guard !incoming.isNull else { return }
        switch functions[index] {
        case .count, .sum:
            guard let number = incoming.decimal else { return }
            guard case .decimal(let current) = state.aggregates[index] else {
                state.aggregates[index] = .decimal(number)
                return
            }
            do throws(JSONError) { state.aggregates[index] = .decimal(try current.adding(number)) } catch {
                state.overflow = index
            }
        case .min, .max:
            let current = state.aggregates[index].value
            if current.isNull {
                state.aggregates[index] = incoming.stored()
            } else if let order = Value.compare(incoming, current), functions[index] == .min ? order < 0 : order > 0 {
                state.aggregates[index] = incoming.stored()
            }
        case .first:
            if state.aggregates[index].value.isNull || time < state.times[index] {
                state.aggregates[index] = incoming.stored()
                state.times[index] = time
            }
        case .last:
            if state.aggregates[index].value.isNull || time >= state.times[index] {
                if !Value.equal(incoming, state.aggregates[index].value) { state.aggregates[index] = incoming.stored() }
                state.times[index] = time
            }
        }
    }

    /// Adds one record's aggregate inputs (parsed decimals for `sum`) to a window.
    @inline(__always)
    func accumulate(_ state: inout WindowState, inputs: [Value], time: Int64) {
        for index in functions.indices {
            if functions[index] == .count {
                // One more record (with an argument: only when its value is present).
                guard !hasArgument[index] || !inputs[index].isNull else { continue }
                combine(index, .decimal(ExactDecimal(1)), time: time, into: &state)
            } else {
                combine(index, inputs[index], time: time, into: &state)
            }
        }
    }

    /// Merges another window of the same key into `state` (a record bridged two sessions): aggregates combined,
    /// the highest revision kept, counts, lineage and bounds joined.
    func merge(_ other: WindowState, into state: inout WindowState) {
        state.bounds.start = min(state.bounds.start, other.bounds.start)
        state.bounds.end = max(state.bounds.end, other.bounds.end)
        state.revision = max(state.revision, other.revision)
        for index in functions.indices {
            combine(index, other.aggregates[index].value, time: other.times[index], into: &state)
        }
        state.count += other.count
        if other.overflow >= 0 { state.overflow = other.overflow }
        state.sources.merge(other.sources)
        state.fromOffset = min(state.fromOffset, other.fromOffset)
        state.toOffset = max(state.toOffset, other.toOffset)
        state.maxEventTime = max(state.maxEventTime, other.maxEventTime)
        if state.correlationId.isEmpty { state.correlationId = other.correlationId }
    }
}
