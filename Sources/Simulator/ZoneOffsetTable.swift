import Foundation

/// UTC offsets of one IANA time zone over the simulated period, precomputed once (Foundation is used
/// only while building it) so that formatting a timestamp is a table look-up.
struct ZoneOffsetTable: Sendable {
    /// The zone name (`Europe/Berlin`), or `UTC`.
    let identifier: String
    /// Instants (epoch ms) from which `offsets[i]` applies; `starts[0]` is `Int64.min`.
    private let starts: [Int64]
    private let offsets: [Int32]

    /// UTC.
    static let utc = ZoneOffsetTable(identifier: "UTC", starts: [Int64.min], offsets: [0])

    private init(identifier: String, starts: [Int64], offsets: [Int32]) {
        self.identifier = identifier
        self.starts = starts
        self.offsets = offsets
    }

    /// Builds the table for `identifier` covering `from` − 2 days to `from` + `years` years.
    ///
    /// - Returns: `nil` when the zone is unknown.
    init?(identifier: String, from: Int64, years: Int = 6) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        let begin = Date(timeIntervalSince1970: Double(from) / 1000 - 2 * 86_400)
        let end = begin.addingTimeInterval(Double(years) * 366 * 86_400)
        var starts: [Int64] = [Int64.min]
        var offsets: [Int32] = [Int32(zone.secondsFromGMT(for: begin))]
        var cursor = begin
        while let transition = zone.nextDaylightSavingTimeTransition(after: cursor), transition < end {
            starts.append(Int64((transition.timeIntervalSince1970 * 1000).rounded()))
            offsets.append(Int32(zone.secondsFromGMT(for: transition)))
            cursor = transition
        }
        self.init(identifier: identifier, starts: starts, offsets: offsets)
    }

    /// The offset from UTC in seconds at an instant.
    @inline(__always)
    func offset(at ms: Int64) -> Int32 {
        if starts.count == 1 { return offsets[0] }
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= ms { low = middle } else { high = middle - 1 }
        }
        return offsets[low]
    }

    /// The UTC instant of local midnight of the local day containing `ms`.
    func localMidnight(containing ms: Int64) -> Int64 {
        let offset = Int64(offset(at: ms)) * CivilTime.msPerSecond
        let localDay = CivilTime.floorDiv(ms + offset, CivilTime.msPerDay)
        return localDay * CivilTime.msPerDay - offset
    }

    /// Milliseconds since local midnight at `ms`.
    func localTimeOfDay(_ ms: Int64) -> Int64 {
        let local = ms + Int64(offset(at: ms)) * CivilTime.msPerSecond
        return local - CivilTime.floorDiv(local, CivilTime.msPerDay) * CivilTime.msPerDay
    }
}
