import Foundation

/// The UTC offsets of one IANA time zone as a precomputed transition table.
///
/// Built once off the hot path from Foundation's `TimeZone` (1970 to 2100); lookups are a binary
/// search over plain integers. Instants outside the table use its first or last offset.
public struct ZoneRules: Sendable, Hashable {
    /// The IANA identifier (`Europe/Berlin`).
    public let identifier: String
    /// UTC instants (ms) at which the offset changes, ascending.
    @usableFromInline let transitions: [Int64]
    /// `offsets[i]` (ms) applies in `[transitions[i-1], transitions[i])`; one more entry than `transitions`.
    @usableFromInline let offsets: [Int64]

    /// A span of time with one UTC offset.
    public struct Period: Sendable, Hashable {
        /// First instant (ms, UTC) with this offset (`Int64.min` when unbounded).
        public var start: Int64
        /// First instant after the period (`Int64.max` when unbounded).
        public var end: Int64
        /// Offset in milliseconds (local = UTC + offset).
        public var offset: Int64

        /// Creates a period.
        @inlinable
        public init(start: Int64, end: Int64, offset: Int64) {
            self.start = start
            self.end = end
            self.offset = offset
        }
    }

    /// UTC, without transitions.
    public static let utc = ZoneRules(identifier: "UTC", transitions: [], offsets: [0])

    /// Creates rules from explicit transitions (tests, fixed zones).
    public init(identifier: String, transitions: [Int64], offsets: [Int64]) {
        precondition(offsets.count == transitions.count + 1, "one more offset than transitions")
        self.identifier = identifier
        self.transitions = transitions
        self.offsets = offsets
    }

    /// Loads the rules of an IANA zone through Foundation (off the hot path).
    ///
    /// - Returns: `nil` when the identifier is unknown.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        let startDate = Date(timeIntervalSince1970: 0)
        let endDate = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        var transitions: [Int64] = []
        var offsets: [Int64] = [Int64(zone.secondsFromGMT(for: startDate)) * 1000]
        var cursor = startDate
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < endDate {
            let offset = Int64(zone.secondsFromGMT(for: next)) * 1000
            if offset != offsets[offsets.count - 1] {
                transitions.append(Int64((next.timeIntervalSince1970 * 1000).rounded()))
                offsets.append(offset)
            }
            cursor = next
        }
        self.init(identifier: identifier, transitions: transitions, offsets: offsets)
    }

    /// Index of the period containing `instant`.
    /// Index of the offset period containing `instant` (0 ... ``periodCount`` − 1).
    @inlinable
    public func periodIndex(at instant: Int64) -> Int {
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) >> 1
            if transitions[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The offset period at `index` (see ``periodIndex(at:)``).
    @inlinable
    public func period(index: Int) -> Period {
        Period(
            start: index == 0 ? Int64.min : transitions[index - 1],
            end: index == transitions.count ? Int64.max : transitions[index],
            offset: offsets[index]
        )
    }

    /// Number of offset periods (one more than the number of transitions).
    @inlinable
    public var periodCount: Int { offsets.count }

    /// The offset period containing `instant`.
    @inlinable
    public func period(at instant: Int64) -> Period { period(index: periodIndex(at: instant)) }

    /// The UTC offset (ms) at `instant`.
    @inlinable
    public func offset(at instant: Int64) -> Int64 {
        transitions.isEmpty ? offsets[0] : offsets[periodIndex(at: instant)]
    }

    /// The plant-local day number (days since 1970-01-01) of `instant`.
    @inlinable
    public func localDay(at instant: Int64) -> Int64 {
        CivilTime.floorDiv(instant + offset(at: instant), CivilTime.dayMs)
    }

    /// The first UTC instant of local day `day` (DST-aware: when local midnight does not exist, the
    /// first instant after the gap).
    public func startOfLocalDay(_ day: Int64) -> Int64 {
        let local = day * CivilTime.dayMs
        if transitions.isEmpty { return local - offsets[0] }
        // Offsets stay within ±18 h: start with the period in effect 18 h before and walk forward.
        var index = periodIndex(at: local - 18 * 3_600_000 - 1)
        while index <= transitions.count {
            let period = period(index: index)
            let candidate = max(period.start, local - period.offset)
            if candidate < period.end { return candidate }
            index += 1
        }
        return local - offsets[offsets.count - 1]
    }

    /// The local day containing `instant` as a UTC interval `[start, end)`.
    public func localDayBounds(at instant: Int64) -> (start: Int64, end: Int64) {
        let day = localDay(at: instant)
        return (startOfLocalDay(day), startOfLocalDay(day + 1))
    }

    /// The UTC offset in whole seconds at `instant` (for writing `±hh:mm`).
    @inlinable
    public func offsetSeconds(at instant: Int64) -> Int32 {
        Int32(truncatingIfNeeded: offset(at: instant) / 1000)
    }

    /// Milliseconds since local midnight at `instant`.
    @inlinable
    public func localTimeOfDay(_ instant: Int64) -> Int64 {
        let local = instant + offset(at: instant)
        return local - CivilTime.floorDiv(local, CivilTime.dayMs) * CivilTime.dayMs
    }
}
