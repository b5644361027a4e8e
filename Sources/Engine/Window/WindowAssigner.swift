import Timekeeping
import Topology

/// Assigns event times to tumbling or hopping windows, UTC- or plant-locally aligned, optionally
/// split at plant-local midnight (DST-aware).
///
/// A plant-local window is a local-clock interval `[ls, le)` aligned on the local clock
/// (`floor(local / size) * size`); in UTC it covers the instants whose local time lies in it, so a
/// local day is 23 or 25 hours long on DST days and a 4-hour window around spring-forward lasts
/// 3 hours. When a window lies inside the hour that autumn repeats, each occurrence is its own
/// window (the UTC instants would not be contiguous otherwise). With `splitAtLocalMidnight`
/// windows are also clipped at local midnight (this matters for UTC alignment and for sizes that do
/// not divide a day). Every instant belongs to exactly one tumbling window, and all instants of a
/// window compute the same bounds, so bounds identify windows.
package struct WindowAssigner: Sendable {
    /// Tumbling or hopping; sessions are merged by the window step itself.
    package enum Shape: Sendable, Hashable {
        case tumbling(size: Int64)
        case hopping(size: Int64, advance: Int64)
    }

    package let shape: Shape
    package let alignment: WindowAlignment
    package let splitAtLocalMidnight: Bool

    /// Creates an assigner.
    package init(shape: Shape, alignment: WindowAlignment, splitAtLocalMidnight: Bool) {
        self.shape = shape
        self.alignment = alignment
        self.splitAtLocalMidnight = splitAtLocalMidnight
    }

    /// `true` when assignment needs the plant's time zone.
    package var needsZone: Bool { alignment == .plantLocal || splitAtLocalMidnight }

    /// Appends the windows containing `instant` to `windows`, ordered by start.
    ///
    /// - Parameters:
    ///   - instant: Event time (UTC ms).
    ///   - zone: The plant's zone rules (ignored unless ``needsZone``).
    ///   - windows: Receives the windows.
    @inlinable
    package func assign(_ instant: Int64, zone: ZoneRules, into windows: inout [WindowBounds]) {
        var clipStart = Int64.min
        var clipEnd = Int64.max
        if splitAtLocalMidnight {
            let day = zone.localDayBounds(at: instant)
            clipStart = day.start
            clipEnd = day.end
        }
        let local = alignment == .plantLocal ? instant + zone.offset(at: instant) : instant
        var localStarts: (first: Int64, step: Int64, size: Int64)
        switch shape {
        case .tumbling(let size):
            localStarts = (CivilTime.floor(local, toMultipleOf: size), size, size)
        case .hopping(let size, let advance):
            var first = CivilTime.floor(local, toMultipleOf: advance)
            while first - advance + size > local { first -= advance }
            localStarts = (first, advance, size)
        }
        var localStart = localStarts.first
        while localStart <= local {
            let localEnd = localStart + localStarts.size
            if localEnd > local {
                var bounds =
                    alignment == .plantLocal
                    ? Self.localWindow(start: localStart, end: localEnd, containing: instant, zone: zone)
                    : WindowBounds(start: localStart, end: localEnd)
                bounds.start = max(bounds.start, clipStart)
                bounds.end = min(bounds.end, clipEnd)
                windows.append(bounds)
            }
            localStart += localStarts.step
        }
    }

    /// The UTC interval around `instant` whose local times lie in `[start, end)`: walks across offset
    /// changes as long as the local time on the other side still lies in the window.
    @inlinable
    static func localWindow(start: Int64, end: Int64, containing instant: Int64, zone: ZoneRules) -> WindowBounds {
        let home = zone.periodIndex(at: instant)
        var index = home
        var utcStart: Int64
        while true {
            let period = zone.period(index: index)
            let candidate = start - period.offset
            if candidate > period.start || index == 0 {
                utcStart = candidate
                break
            }
            let previous = zone.period(index: index - 1)
            let localBefore = period.start - 1 + previous.offset
            guard localBefore >= start && localBefore < end else {
                utcStart = period.start
                break
            }
            index -= 1
        }
        index = home
        var utcEnd: Int64
        while true {
            let period = zone.period(index: index)
            let candidate = end - period.offset
            if candidate < period.end || index == zone.periodCount - 1 {
                utcEnd = candidate
                break
            }
            let following = zone.period(index: index + 1)
            let localAt = period.end + following.offset
            guard localAt >= start && localAt < end else {
                utcEnd = period.end
                break
            }
            index += 1
        }
        return WindowBounds(start: utcStart, end: utcEnd)
    }

    /// The windows containing `instant` (convenience for tests).
    package func windows(at instant: Int64, zone: ZoneRules = .utc) -> [WindowBounds] {
        var result: [WindowBounds] = []
        assign(instant, zone: zone, into: &result)
        return result
    }
}
