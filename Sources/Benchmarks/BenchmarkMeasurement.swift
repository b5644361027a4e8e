/// One timed run of a throughput benchmark.
public struct BenchmarkMeasurement: Sendable {
    /// A stage of the processing thread and its own time per input event.
    public struct Stage: Sendable, Equatable {
        /// `source <name>: decode + validate`, `<pipeline> <n>. <step>` or `write (producer)`.
        public var name: String
        /// Microseconds per input event spent in the stage alone (on the processing thread).
        public var microsecondsPerEvent: Double

        /// Creates a stage figure.
        public init(name: String, microsecondsPerEvent: Double) {
            self.name = name
            self.microsecondsPerEvent = microsecondsPerEvent
        }
    }

    /// Records processed.
    public var records: Int
    /// Payload bytes processed (keys + values).
    public var bytes: Int
    /// Wall-clock seconds.
    public var seconds: Double
    /// Process CPU seconds spent during the run.
    public var cpuSeconds: Double
    /// The process's peak resident set size at the end of the run, in bytes.
    public var peakResidentBytes: Int
    /// CPU seconds of the processing thread alone (`nil` when not measured: the pipe).
    public var processingThreadCPUSeconds: Double?
    /// Records the job dead-lettered (`nil` when not counted).
    public var deadLetters: Int?
    /// The processing thread's time per stage (source, each step, writes), from sampled records.
    public var stages: [Stage] = []
    /// CPU seconds of the in-process embedded broker's thread, included in ``cpuSeconds``.
    public var embeddedBrokerCPUSeconds: Double = 0

    /// CPU seconds per million records of the process without the in-process broker: what a processor
    /// deployed against a real cluster spends.
    public var processorCPUSecondsPerMillion: Double {
        records > 0 ? (cpuSeconds - embeddedBrokerCPUSeconds) / Double(records) * 1_000_000 : 0
    }

    /// Creates a measurement.
    public init(
        records: Int, bytes: Int, seconds: Double, cpuSeconds: Double, peakResidentBytes: Int,
        processingThreadCPUSeconds: Double? = nil, deadLetters: Int? = nil
    ) {
        self.records = records
        self.bytes = bytes
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
        self.peakResidentBytes = peakResidentBytes
        self.processingThreadCPUSeconds = processingThreadCPUSeconds
        self.deadLetters = deadLetters
    }

    /// Records per second.
    public var recordsPerSecond: Double { seconds > 0 ? Double(records) / seconds : 0 }
    /// Megabytes (10^6 bytes) of payload per second.
    public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / seconds / 1_000_000 : 0 }

    /// The run with the median throughput (runs sorted by records per second; the upper median for
    /// an even count).
    public static func median(_ runs: [BenchmarkMeasurement]) -> BenchmarkMeasurement? {
        guard !runs.isEmpty else { return nil }
        return runs.sorted { $0.recordsPerSecond < $1.recordsPerSecond }[runs.count / 2]
    }

    /// A one-line summary.
    public var summary: String {
        "\(Self.format(recordsPerSecond, 0)) records/s, \(Self.format(megabytesPerSecond, 1)) MB/s, "
            + "\(Self.format(cpuSeconds, 2)) CPU s for \(records) records in \(Self.format(seconds, 2)) s, "
            + "peak RSS \(peakResidentBytes / 1_048_576) MiB"
    }

    /// Formats a number with a fixed count of decimals (no Foundation).
    public static func format(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(Int(rounded))
        if decimals > 0 {
            var fraction = Int(((abs(rounded) - Double(Int(abs(rounded)))) * scale).rounded())
            if fraction >= Int(scale) { fraction = Int(scale) - 1 }
            var digits = String(fraction)
            while digits.count < decimals { digits = "0" + digits }
            if rounded < 0 && Int(rounded) == 0 { text = "-" + text }
            text += "." + digits
        }
        return text
    }
}
