import Topology

/// Assigns event times to tumbling or hopping windows, UTC- or plant-locally aligned, optionally
/// split at plant-local midnight (DST-aware).
///
/// Plant-local windows are aligned on the local clock (`floor(local / size) * size`) and never span
/// a UTC-offset change: a window that would is clipped at the transition, so on a DST day the
/// window around the change is shorter (and the local hour that occurs twice in autumn yields two
/// distinct windows). With `splitAtLocalMidnight` windows are also clipped at local midnight.
/// Every instant belongs to exactly one tumbling window; windows for the same instant are always
/// computed identically, so their bounds identify them.
public struct WindowAssigner: Sendable {
    /// Tumbling or hopping; sessions are merged by the window step itself.
    public enum Shape: Sendable, Hashable {
        case tumbling(size: Int64)
        case hopping(size: Int64, advance: Int64)
    }

    public let shape: Shape
    public let alignment: WindowAlignment
    public let splitAtLocalMidnight: Bool

    /// Creates an assigner.
    public init(shape: Shape, alignment: WindowAlignment, splitAtLocalMidnight: Bool) {
        self.shape = shape
        self.alignment = alignment
        self.splitAtLocalMidnight = splitAtLocalMidnight
    }

    /// `true` when assignment needs the plant's time zone.
    public var needsZone: Bool { alignment == .plantLocal || splitAtLocalMidnight }

    /// Appends the windows containing `instant` to `windows`, ordered by start.
    ///
    /// - Parameters:
    ///   - instant: Event time (UTC ms).
    ///   - zone: The plant's zone rules (ignored unless ``needsZone``).
    ///   - windows: Receives the windows.
    @inlinable
    public func assign(_ instant: Int64, zone: ZoneRules, into windows: inout [WindowBounds]) {
        var clipStart = Int64.min
        var clipEnd = Int64.max
        var offset: Int64 = 0
        if alignment == .plantLocal {
            let period = zone.period(at: instant)
            offset = period.offset
            clipStart = period.start
            clipEnd = period.end
        }
        if splitAtLocalMidnight {
            let day = zone.localDayBounds(at: instant)
            clipStart = max(clipStart, day.start)
            clipEnd = min(clipEnd, day.end)
        }
        let local = instant + offset
        switch shape {
        case .tumbling(let size):
            let start = CivilTime.floor(local, toMultipleOf: size) - offset
            windows.append(WindowBounds(start: max(start, clipStart), end: min(start + size, clipEnd)))
        case .hopping(let size, let advance):
            var localStart = CivilTime.floor(local, toMultipleOf: advance)
            var firstStart = localStart
            while firstStart - advance + size > local { firstStart -= advance }
            localStart = firstStart
            while localStart <= local {
                let start = localStart - offset
                let bounds = WindowBounds(start: max(start, clipStart), end: min(start + size, clipEnd))
                if bounds.contains(instant) { windows.append(bounds) }
                localStart += advance
            }
        }
    }

    /// The windows containing `instant` (convenience for tests).
    public func windows(at instant: Int64, zone: ZoneRules = .utc) -> [WindowBounds] {
        var result: [WindowBounds] = []
        assign(instant, zone: zone, into: &result)
        return result
    }
}
