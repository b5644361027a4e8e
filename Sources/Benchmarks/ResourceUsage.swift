#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Process CPU time and peak resident memory, read with `getrusage`.
public struct ResourceUsage: Sendable {
    /// User + system CPU seconds of the whole process (all threads, including librdkafka's and
    /// the in-process embedded broker's).
    public var cpuSeconds: Double
    /// The process's peak resident set size so far, in bytes.
    public var peakResidentBytes: Int

    /// Reads the current usage.
    public static func now() -> ResourceUsage {
        var usage = rusage()
        #if os(Linux)
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1_000_000
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1_000_000
        #if os(Linux)
            let peak = usage.ru_maxrss * 1024  // kilobytes on Linux
        #else
            let peak = usage.ru_maxrss  // bytes on Darwin
        #endif
        return ResourceUsage(cpuSeconds: user + system, peakResidentBytes: peak)
    }

    /// CPU seconds of the calling thread.
    public static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
