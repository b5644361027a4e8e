#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the processing thread's CPU goes, per step: one input record in `sampleEvery` (at random) is timed with the
/// thread's CPU clock at each stage it passes (source decode + validation, each step, the write to the
/// producer), and each stage is charged its own time without the stages it called (`bench e2e` prints it).
///
/// Off unless set on the engine: then each node is wrapped in a ``ProfiledNode`` (one indirect call per step
/// and record, two clock reads per stage of a sampled record).
///
/// - Important: Used on the processing thread only; read after it stopped.
// Safe: every mutation happens on the one processing thread that runs the engine's tasks; the figures are read
// (``figures``) only after `ProcessorService.runBlocking` returned, which joins that thread's work.
package final class StepProfiler: @unchecked Sendable {
    /// One stage's figures.
    package struct Figure: Sendable {
        /// `source <name>: decode + validate`, `<pipeline> <n>. <step>` or `write (producer)`.
        package var stage: String
        /// Nanoseconds spent in the stage alone over the sampled records.
        package var nanoseconds: UInt64
    }

    /// One record in this many is timed.
    package let sampleEvery: Int
    /// Whether the current record is timed.
    private(set) var sampling = false
    /// xorshift64 state.
    private var random: UInt64 = 0x9E37_79B9_7F4A_7C15
    /// Input records timed.
    package private(set) var sampledRecords = 0
    private var stages: [String] = []
    private var stageIndexes: [String: Int] = [:]
    private var selfNanoseconds: [UInt64] = []
    /// Time of the stages called from the running one (subtracted from its own).
    private var nested: UInt64 = 0

    /// Nanoseconds of one clock read (measured at start), taken off every timed stage.
    private let clockCost: UInt64

    /// Creates a profiler timing one record in `sampleEvery`.
    package init(sampleEvery: Int = 64) {
        self.sampleEvery = max(sampleEvery, 1)
        let reads: UInt64 = 4096
        let start = Self.now()
        for _ in 1..<reads { _ = Self.now() }
        clockCost = (Self.now() &- start) / reads
    }

    /// The stage's index (registered on first use).
    func stage(_ name: String) -> Int {
        if let index = stageIndexes[name] { return index }
        stages.append(name)
        selfNanoseconds.append(0)
        stageIndexes[name] = stages.count - 1
        return stages.count - 1
    }

    /// Starts an input record: decides whether it is timed, at random (a fixed stride would alias with the
    /// periodic patterns of an input, e.g. never time the record whose event time closes windows).
    @inline(__always)
    func beginRecord() {
        random ^= random &<< 13
        random ^= random &>> 7
        random ^= random &<< 17
        sampling = random % UInt64(sampleEvery) == 0
        if sampling { sampledRecords += 1 }
    }

    /// Ends an input record.
    @inline(__always)
    func endRecord() { sampling = false }

    /// Runs `body` as stage `index`, timing it when the record is sampled.
    @inline(__always)
    func measure<R>(_ index: Int, _ body: () -> R) -> R {
        guard sampling else { return body() }
        let saved = nested
        nested = 0
        let start = Self.now()
        let result = body()
        let elapsed = Self.now() &- start
        // The interval holds about one clock read of its own and two of each stage it called.
        let overhead = clockCost &+ nested
        selfNanoseconds[index] &+= elapsed &- min(overhead, elapsed)
        nested = saved &+ elapsed &+ clockCost
        return result
    }

    /// The stages in the order first seen, with their own time.
    package var figures: [Figure] {
        zip(stages, selfNanoseconds).map { Figure(stage: $0, nanoseconds: $1) }
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

/// A step node timed by a ``StepProfiler``: forwards everything to the node it wraps.
final class ProfiledNode: StepNode {
    private let inner: StepNode
    private let profiler: StepProfiler
    private let stage: Int

    init(_ inner: StepNode, stage: String, profiler: StepProfiler) {
        self.inner = inner
        self.profiler = profiler
        self.stage = profiler.stage(stage)
    }

    var next: StepNode? {
        get { inner.next }
        set { inner.next = newValue }
    }

    func push(_ context: RecordContext) {
        profiler.measure(stage) { inner.push(context) }
    }

    func streamTimeAdvanced() { profiler.measure(stage) { inner.streamTimeAdvanced() } }
    func wallClockAdvanced(_ now: Int64) { inner.wallClockAdvanced(now) }
    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer) { inner.tableChanged(table, key: key) }
    func stateRestored() { inner.stateRestored() }
    func prepareFlush() { inner.prepareFlush() }
    var stores: [StateStore] { inner.stores }
}
