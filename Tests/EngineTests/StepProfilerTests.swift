import Engine
import PlantStreamTesting
import Testing

/// The step profiler `bench e2e` prints: it names every stage a record passes, charges each its own time, and
/// changes nothing the engine writes.
@Suite struct StepProfilerTests {
    /// 600 cycles of one work center, 10 s apart (windows close every 6 records), every 50th invalid.
    static func pipeCycles(into driver: TopologyTestDriver) throws {
        for index in 0..<600 {
            let seconds = index * 10
            let time =
                "2026-01-05T" + Self.two(6 + seconds / 3600) + ":" + Self.two(seconds / 60 % 60) + ":"
                + Self.two(seconds % 60) + "Z"
            try driver.pipe(
                topic: ForeignSourceTests.topic, key: "P05/L4/WC04",
                value: ForeignSourceTests.cycle(id: index + 1, at: time, scrap: index % 50 == 49 ? -1 : 0))
        }
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    @Test func aProfiledEngineWritesTheSameAndTimesEveryStage() throws {
        let plain = try ForeignSourceTests().driver()
        try Self.pipeCycles(into: plain)

        let profiled = try ForeignSourceTests().driver()
        let profiler = StepProfiler(sampleEvery: 4)
        profiled.engine.stepProfiler = profiler
        try Self.pipeCycles(into: profiled)

        for output in ["cycles", "totals", "dlq"] {
            let expected = plain.records(output: output)
            #expect(!expected.isEmpty, "\(output)")
            #expect(profiled.records(output: output).map(\.valueString) == expected.map(\.valueString), "\(output)")
        }
        #expect(
            profiler.figures.map(\.stage) == [
                "source line-controllers: decode + validate", "route › emit", "totals › window", "totals › map",
                "totals › emit", "write (producer)",
            ])
        // One record in 4 at random: about 150 of 600.
        #expect((90...210).contains(profiler.sampledRecords), "\(profiler.sampledRecords)")
        // The heavy stages were charged time (cheap ones may round to nothing once the clock reads are taken off).
        let charged = Dictionary(uniqueKeysWithValues: profiler.figures.map { ($0.stage, $0.nanoseconds) })
        for stage in ["source line-controllers: decode + validate", "route › emit", "totals › window"] {
            #expect((charged[stage] ?? 0) > 0, "\(stage)")
        }
    }
}
