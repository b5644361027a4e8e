import Engine
import JSON
import Schemas
import Timekeeping
import Topology

/// `plantstream bench engine`: the engine alone (no Kafka) on one core, for the two jobs of issue 5's
/// end-to-end benchmark, next to a raw pass-through of the same records.
///
/// - **pipe**: hand each record's bytes to the sink unchanged (what a consume → produce loop costs the
///   engine's side at least).
/// - **job A**: `validate` + `emit` of `machine.cycle/v2` (route 1:1, no header).
/// - **job B**: `validate` + 60 s tumbling `window` per plant/line/work cell summing good and scrap
///   counts, + `map` + `emit` of the window results.
public struct EngineBenchmark: Sendable {
    /// What to measure.
    public struct Configuration: Sendable {
        /// Distinct generated events (cycled through; event times keep increasing across passes).
        public var distinctEvents = 20_000
        /// Records per `process` batch.
        public var batchSize = 500
        /// Timed runs per job (the median is reported).
        public var runs = 5
        /// Minimum duration of one run in seconds.
        public var secondsPerRun = 1.0
        /// The schema catalogue.
        public var schemasDirectory = "schemas"

        /// Creates the default configuration.
        public init() {}
    }

    /// Figures for one job.
    public struct Row: Sendable {
        public var job: String
        public var eventsPerSecond: Double
        public var nanosecondsPerEvent: Double
        /// Records the engine wrote per input event.
        public var outputsPerEvent: Double
    }

    public var configuration: Configuration

    /// Creates a benchmark.
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    static let topic = "mfg.machine.v1"

    /// Runs pipe, job A and job B.
    /// - Throws: ``Engine/EngineError`` when the catalogue or topology cannot be compiled.
    public func run(progress: (String) -> Void = { _ in }) throws -> [Row] {
        let catalog = try RegistryCatalog(directory: configuration.schemasDirectory)
        var rows: [Row] = []
        for job in ["pipe", "parse+validate", "A", "B"] {
            let eventsPerSecond = try median { try measure(job: job, catalog: catalog) }
            let outputs = try checkOutputs(job: job, catalog: catalog)
            let row = Row(
                job: job.count > 1 ? job : "job \(job)", eventsPerSecond: eventsPerSecond.rate,
                nanosecondsPerEvent: 1e9 / eventsPerSecond.rate, outputsPerEvent: outputs)
            progress("\(row.job): \(Int(row.eventsPerSecond)) events/s, \(Int(row.nanosecondsPerEvent)) ns/event")
            rows.append(row)
        }
        return rows
    }

    /// Runs job `job` (`A` or `B`) untimed for `passes` passes (for `perf record` or callgrind).
    public func profile(job: String, passes: Int) throws -> Int {
        let catalog = try RegistryCatalog(directory: configuration.schemasDirectory)
        let sink = CountingSink()
        var generator = CycleEvents(seed: 7)
        let events = generator.events(count: configuration.distinctEvents, pass: 0)
        if job == "parse+validate" {
            guard let validator = catalog.validator(forSchemaID: "machine.cycle/v2") else { return 0 }
            let tape = JSONTape()
            for _ in 0..<passes {
                Self.withBorrowed(events[...], offset: 0) { batch in
                    for record in batch {
                        if let document = try? JSONReader().parse(record.value!, into: tape),
                            validator.isValid(document.root)
                        {
                            sink.count += 1
                        }
                    }
                }
            }
            return sink.count
        }
        // Distinct, later events per pass (generated up front so runs with different pass counts differ
        // only in processing), as in a live stream.
        let passEvents = (0..<max(passes, 4)).map {
            generator.events(count: configuration.distinctEvents, pass: $0 + 1)
        }
        let engine = try makeEngine(job: job, catalog: catalog)
        let task = try engine.makeTask(topic: Self.topic, partition: 0, sink: sink)
        for pass in 0..<passes { feed(passEvents[pass], to: task) }
        return sink.count
    }

    struct Rate {
        var rate: Double
    }

    private func median(_ measure: () throws -> Rate) rethrows -> Rate {
        var results: [Double] = []
        for _ in 0..<max(1, configuration.runs) { results.append(try measure().rate) }
        results.sort()
        return Rate(rate: results[results.count / 2])
    }

    func makeEngine(job: String, catalog: SchemaCatalog) throws -> Engine {
        try Engine(
            topology: Self.topology(job: job), region: "bench", schemas: catalog, referenceData: ReferenceData(),
            clock: ManualClock(milliseconds: 0))
    }

    private func measure(job: String, catalog: SchemaCatalog) throws -> Rate {
        var generator = CycleEvents(seed: 42)
        let sink = CountingSink()
        let clock = ContinuousClock()
        var processed = 0
        var pass = 0
        var events = generator.events(count: configuration.distinctEvents, pass: 0)
        if job == "pipe" {
            let start = clock.now
            repeat {
                for event in events {
                    event.withUnsafeBytes { bytes in sink.sendRaw(bytes) }
                }
                processed += events.count
            } while clock.now - start < .seconds(configuration.secondsPerRun)
            return Rate(rate: Double(processed) / seconds(clock.now - start))
        }
        if job == "parse+validate" {
            guard let validator = catalog.validator(forSchemaID: "machine.cycle/v2") else { return Rate(rate: 0) }
            let tape = JSONTape()
            let reader = JSONReader()
            let start = clock.now
            var valid = 0
            repeat {
                for event in events {
                    event.withUnsafeBytes { bytes in
                        if let document = try? reader.parse(bytes, into: tape), validator.isValid(document.root) {
                            valid += 1
                        }
                    }
                }
                processed += events.count
            } while clock.now - start < .seconds(configuration.secondsPerRun)
            precondition(valid == processed, "the benchmark's events must be valid")
            return Rate(rate: Double(processed) / seconds(clock.now - start))
        }
        let engine = try makeEngine(job: job, catalog: catalog)
        let task = try engine.makeTask(topic: Self.topic, partition: 0, sink: sink)
        var elapsed = Duration.zero
        repeat {
            let start = clock.now
            feed(events, to: task)
            elapsed += clock.now - start
            processed += events.count
            pass += 1
            events = generator.events(count: configuration.distinctEvents, pass: pass)
        } while elapsed < .seconds(configuration.secondsPerRun)
        precondition(task.metrics.deadLetters == 0, "the benchmark's events must be valid")
        return Rate(rate: Double(processed) / seconds(elapsed))
    }

    private func checkOutputs(job: String, catalog: SchemaCatalog) throws -> Double {
        guard job == "A" || job == "B" else { return 1 }
        var generator = CycleEvents(seed: 1)
        let sink = CountingSink()
        let engine = try makeEngine(job: job, catalog: catalog)
        let task = try engine.makeTask(topic: Self.topic, partition: 0, sink: sink)
        let events = generator.events(count: configuration.distinctEvents, pass: 0)
        feed(events, to: task)
        return Double(sink.count) / Double(events.count)
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Hands events to the task in batches of borrowed records, as the runtime does.
    func feed(_ events: [[UInt8]], to task: PartitionTask) {
        var index = 0
        while index < events.count {
            let end = min(index + configuration.batchSize, events.count)
            Self.withBorrowed(events[index..<end], offset: Int64(index)) { batch in task.process(batch) }
            index = end
        }
    }

    /// Lends a slice of byte arrays as a batch of input records.
    static func withBorrowed(
        _ values: ArraySlice<[UInt8]>, offset: Int64, _ body: (UnsafeBufferPointer<InputRecord>) -> Void
    ) {
        let total = values.reduce(0) { $0 + $1.count }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 8)
        defer { storage.deallocate() }
        var records: [InputRecord] = []
        records.reserveCapacity(values.count)
        var position = 0
        for (number, value) in values.enumerated() {
            let slice = UnsafeMutableRawBufferPointer(rebasing: storage[position..<position + value.count])
            value.withUnsafeBytes { slice.copyMemory(from: $0) }
            records.append(
                InputRecord(
                    offset: offset + Int64(number), timestamp: 0, key: nil, value: UnsafeRawBufferPointer(slice)))
            position += value.count
        }
        records.withUnsafeBufferPointer { body($0) }
    }

    /// The benchmark topology: job A routes cycles 1:1, job B windows them.
    static func topology(job: String) -> Topology {
        let here = SourceLocation(file: "bench", line: 1, column: 1)
        func path(_ text: String) -> Expression {
            .path(FieldPath(segments: text.split(separator: ".").map { .member(String($0)) }), here)
        }
        var steps = [Step(.validate(ValidateStep()), location: here)]
        if job == "A" {
            steps.append(
                Step(
                    .emit(
                        EmitStep(
                            output: "out", schema: "machine.cycle/v2",
                            key: [path("plantId"), path("equipment.equipmentId")], idempotencyKey: [], header: .none)),
                    location: here))
        } else {
            steps.append(
                Step(
                    .window(
                        WindowStep(
                            groupBy: [
                                NamedExpression(name: "plantId", expression: path("plantId")),
                                NamedExpression(name: "lineId", expression: path("equipment.lineId")),
                                NamedExpression(name: "workCellId", expression: path("equipment.workCellId")),
                            ], shape: .tumbling(size: .seconds(60)), outOfOrderness: .seconds(5),
                            aggregates: [
                                Aggregate(
                                    name: "good", function: .sum, argument: path("data.goodCount"), location: here),
                                Aggregate(
                                    name: "scrap", function: .sum,
                                    argument: .binary(.subtract, path("data.totalCount"), path("data.goodCount"), here),
                                    location: here),
                            ], late: .drop)),
                    location: here))
            steps.append(
                Step(
                    .map(
                        MapStep(fields: [
                            NamedExpression(name: "plantId", expression: path("plantId")),
                            NamedExpression(name: "lineId", expression: path("lineId")),
                            NamedExpression(name: "workCellId", expression: path("workCellId")),
                            NamedExpression(name: "windowStart", expression: path("window.start")),
                            NamedExpression(name: "good", expression: path("good")),
                            NamedExpression(name: "scrap", expression: path("scrap")),
                        ])), location: here))
            steps.append(
                Step(
                    .emit(
                        EmitStep(
                            output: "out", schema: "", key: [path("plantId"), path("lineId"), path("workCellId")],
                            idempotencyKey: [], header: .none)), location: here))
        }
        return Topology(
            application: "bench", regions: [Region(name: "bench", bootstrapServers: "", location: here)],
            sources: [
                Source(
                    name: "machine", topic: topic, partitions: 1,
                    key: [FieldPath(segments: [.member("plantId")])], location: here)
            ],
            outputs: [
                Output(name: "out", topic: "bench.out", location: here),
                Output(name: "dlq", topic: "bench.dlq", kind: .deadLetter, location: here),
            ],
            pipelines: [
                Pipeline(
                    name: "job-\(job)", source: "machine", types: ["machine.cycle"], deadLetter: "dlq", steps: steps,
                    location: here)
            ])
    }
}

/// Counts records and touches their bytes (so the work is not optimised away).
final class CountingSink: Sink {
    var count = 0
    var checksum = 0

    func send(_ record: OutgoingRecord) {
        count += 1
        checksum &+= record.value?.count ?? 0
    }

    func sendRaw(_ bytes: UnsafeRawBufferPointer) {
        count += 1
        checksum &+= bytes.count &+ Int(bytes.first ?? 0)
    }
}

/// `machine.cycle/v2` events (~450 bytes) of 3 plants × 6 lines × 3 work cells × 40 machines, one
/// second apart in event time per pass.
struct CycleEvents {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        var text = ""
        for index in 0..<32 {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append("-") }
            text.append(index == 12 ? "7" : (index == 16 ? "8" : hex[below(16)]))
        }
        return text
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    mutating func events(count: Int, pass: Int) -> [[UInt8]] {
        let base: Int64 = 1_775_000_000_000 + Int64(pass) * Int64(count) * 100
        var result: [[UInt8]] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let time = base + Int64(index) * 100 - Int64(below(2000))
            let stamp = RFC3339.string(time)
            let plant = ["DE01", "CN01", "US01"][below(3)]
            let line = "L\(1 + below(6))"
            let cell = "C\(1 + below(3))"
            let machine = "M\(Self.pad(1 + below(40), 2))"
            let total = 1 + below(24)
            var text = #"{"specVersion":"mfg/1.0","eventId":"\#(uuid())","type":"machine.cycle","schemaVersion":2,"#
            text += #""source":"edge://\#(plant)/\#(line)/\#(machine)","sourceSeq":\#(index),"#
            text += #""occurredAt":"\#(stamp)","ingestedAt":"\#(stamp)","plantId":"\#(plant)","#
            text += #""equipment":{"enterpriseId":"acme","siteId":"\#(plant)","areaId":"A1","lineId":"\#(line)","#
            text += #""workCellId":"\#(cell)","equipmentId":"\#(machine)"},"#
            text += #""data":{"cycleId":"CY-\#(Self.pad(index, 9))","totalCount":\#(total),"#
            text += #""goodCount":\#(total - below(2)),"reworkCount":0,"cycleTimeMs":\#(800 + below(9000)),"#
            text += #""orderId":"10\#(Self.pad(below(100_000), 5))","operationId":"00\#(1 + below(9))0"}}"#
            result.append(Array(text.utf8))
        }
        return result
    }
}
