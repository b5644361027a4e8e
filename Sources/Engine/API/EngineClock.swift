#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The wall clock the engine reads for idle detection (injected so tests control it).
public protocol EngineClock: AnyObject {
    /// Milliseconds since the Unix epoch.
    func now() -> Int64
}

/// The system's real-time clock.
public final class SystemClock: EngineClock, Sendable {
    /// Creates the clock.
    public init() {}

    public func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// A clock that only moves when told to (tests, replays).
public final class ManualClock: EngineClock {
    /// Current time (ms since the epoch).
    public var milliseconds: Int64

    /// Creates a clock at `milliseconds`.
    public init(milliseconds: Int64 = 0) {
        self.milliseconds = milliseconds
    }

    public func now() -> Int64 { milliseconds }
}
