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
    /// CPU seconds of the in-process embedded broker's thread (`rdk:mock`), included in ``cpuSeconds``: a
    /// processor deployed against a real cluster does not spend them. 0 where `/proc` has no per-thread
    /// `schedstat`.
    public var embeddedBrokerCPUSeconds: Double = 0

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
        var result = ResourceUsage(cpuSeconds: user + system, peakResidentBytes: peak)
        result.embeddedBrokerCPUSeconds = threadsCPUSeconds(named: "rdk:mock")
        return result
    }

    /// CPU seconds of this process's live threads called `name` (from `/proc/self/task/*/schedstat`).
    static func threadsCPUSeconds(named name: String) -> Double {
        #if os(Linux)
            guard let directory = opendir("/proc/self/task") else { return 0 }
            defer { closedir(directory) }
            var nanoseconds: UInt64 = 0
            while let entry = readdir(directory) {
                let task = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard task.first?.isNumber == true else { continue }
                let base = "/proc/self/task/" + task
                guard read(base + "/comm").map({ $0.split(separator: "\n").first.map(String.init) == name }) == true,
                    let schedstat = read(base + "/schedstat"), let first = schedstat.split(separator: " ").first,
                    let onCPU = UInt64(first)
                else { continue }
                nanoseconds += onCPU
            }
            return Double(nanoseconds) / 1e9
        #else
            return 0
        #endif
    }

    #if os(Linux)
        /// A small `/proc` file's text.
        private static func read(_ path: String) -> String? {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            return String(decoding: buffer[..<count], as: UTF8.self)
        }
    #endif

    /// CPU seconds of the calling thread.
    public static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
