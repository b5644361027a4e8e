import ArgumentParser
import Benchmarks
import Foundation
import KafkaClient
import Logging

/// `plantstream bench e2e`: the raw pipe and processing jobs over the same records through the embedded broker;
/// events/s, CPU seconds per million events (process and processing thread), peak RSS and the ratios.
struct E2EBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "End-to-end throughput: raw pipe vs. a workload's jobs A and B, or vs. any topology.",
        discussion: """
            Each measurement runs in a fresh child process (so peak RSS is per job) with a fresh embedded \
            broker and a preloaded input (not timed). Workloads (--workload): catalogue — machine.cycle/v2 in \
            the canonical envelope, one plant/line/work center per partition; flat — a line controller's flat \
            linectl.machine_cycle/v1 JSON, no headers, 256 keys, 1 % invalid; sparkplug — Sparkplug B DDATA \
            (protobuf, 10 aliased metrics each, 64 edge nodes × 4 devices, after their births; job A routes one \
            record per metric, job B reports numeric metrics by exception into 60 s windows per device \
            metric). Job A (route): validate, valid \
            events byte for byte to one topic (flat: re-keyed by order_id), invalid ones to a dead-letter \
            topic; job B (window): 60 s tumbling windows per plant/line/work center summing good and scrap \
            counts. With --topology FILE --region R the job is that topology's pipelines, fed on one source's \
            topic with the workload's events or the records of --records FILE (KEY<TAB>VALUE per line). Jobs \
            run through the same runtime as `plantstream run` (at-least-once, commit every 100 ms). The pipe \
            copies the same records. Timing runs from the first batch until every output is acknowledged and \
            committed. Prints every run, then the median of each job, its share of the pipe and the CPU \
            seconds per million events of the whole process (which includes the in-process broker) and of \
            the processing thread alone. Build with -c release.
            """
    )

    @Option(help: "Input events per run (with --records: the file's records, repeated or cut to this count).")
    var events: Int?

    @Option(
        help: "Partitions of a workload's input and output topics (a topology's own count is used with --topology).")
    var partitions = 128

    @Option(help: "Runs of each job; the median is reported.")
    var runs = 3

    @Option(help: "Largest batch per poll.")
    var batch = 4096

    @Option(help: ArgumentHelp("The synthetic input: catalogue, flat or sparkplug.", valueName: "NAME"))
    var workload = BenchWorkload.catalogue.rawValue

    @Option(help: ArgumentHelp("Preload these records instead (KEY<TAB>VALUE per line).", valueName: "FILE"))
    var records: String?

    @Option(help: ArgumentHelp("Measure this topology's pipelines instead of the workload's jobs.", valueName: "FILE"))
    var topology: String?

    @Option(help: ArgumentHelp("With --topology: the region to run.", valueName: "NAME"))
    var region: String?

    @Option(
        help: ArgumentHelp("With --topology: the source fed with the input (default: the only one).", valueName: "NAME")
    )
    var source: String?

    @Option(
        help: ArgumentHelp(
            "Jobs to run, comma-separated: pipe, route, window (workloads) or pipe, topology (with --topology).",
            valueName: "LIST"))
    var jobs: String?

    @Option(help: ArgumentHelp("The PlantStream repository (its schemas/ folder is used).", valueName: "DIR"))
    var repository = "."

    @Option(help: .hidden)
    var child: String?

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be > 0") }
        guard batch > 0 else { throw ValidationError("--batch must be > 0") }
        guard BenchWorkload(rawValue: workload) != nil else {
            throw ValidationError(
                "--workload: unknown workload '\(workload)'; expected "
                    + BenchWorkload.allCases.map(\.rawValue).joined(separator: " or "))
        }
        if topology != nil, region == nil { throw ValidationError("--topology needs --region") }
        if topology == nil, !FileManager.default.fileExists(atPath: repository + "/schemas") {
            throw ValidationError(
                "no schemas/ folder in \(repository): run from the PlantStream repository or pass --repository DIR")
        }
        if topology == nil, region != nil || source != nil {
            throw ValidationError("--region and --source need --topology")
        }
        for job in try selectedJobs() {
            if topology == nil, job == .topology { throw ValidationError("--jobs: topology needs --topology") }
            if topology != nil, job == .route || job == .window {
                throw ValidationError("--jobs: with --topology, the jobs are pipe and topology")
            }
        }
    }

    private func settings() throws -> E2EBenchmark.Configuration {
        var settings = E2EBenchmark.Configuration()
        settings.partitions = partitions
        settings.maxBatch = batch
        settings.repository = repository
        settings.workload = BenchWorkload(rawValue: workload) ?? .catalogue
        settings.recordsFile = records
        settings.topology = topology.map {
            E2EBenchmark.TopologyTarget(path: $0, region: region ?? "", source: source)
        }
        if let events {
            settings.events = events
        } else if let records {
            settings.events = try BenchInput(recordsFile: records).fixedCount ?? settings.events
        }
        return settings
    }

    private func selectedJobs() throws -> [E2EBenchmark.Job] {
        let list = jobs ?? (topology == nil ? "pipe,route,window" : "pipe,topology")
        return try list.split(separator: ",").map { name in
            guard let job = E2EBenchmark.Job(rawValue: String(name)) else {
                throw ValidationError("--jobs: unknown job '\(name)'; expected pipe, route, window or topology")
            }
            return job
        }
    }

    func run() async throws {
        var logger = Logger(label: "plantstream.bench")
        logger.logLevel = .error
        let settings: E2EBenchmark.Configuration
        let benchmark: E2EBenchmark
        do {
            settings = try self.settings()
            benchmark = try E2EBenchmark(configuration: settings, logger: logger)
            try settings.validate(
                meanRecordSize: benchmark.meanRecordSize(), partitions: try benchmark.inputPartitions())
        } catch let error as BenchmarksError {
            throw ValidationError(error.message)
        }
        if let child {
            guard let job = E2EBenchmark.Job(rawValue: child) else { throw ValidationError("unknown job \(child)") }
            let thread = KafkaThread(name: "ps-bench-e2e")
            defer { thread.shutdown() }
            let measurement = try await thread.run { try benchmark.measure(job) }
            for stage in measurement.stages { print("STAGE \(stage.microsecondsPerEvent) \(stage.name)") }
            print(Self.resultLine(measurement))
            return
        }
        let selected = try selectedJobs()
        let inputName = records.map { "records of \($0)" } ?? benchmark.input.workloadSummary
        print(
            "bench e2e: \(settings.events) \(inputName) (~\(benchmark.meanRecordSize()) B) over "
                + "\(try benchmark.inputPartitions()) partitions, \(runs) run(s) of "
                + "\(selected.map { label($0) }.joined(separator: ", ")), batch \(batch), librdkafka \(KafkaLibrary.version)"
        )
        var results: [E2EBenchmark.Job: [BenchmarkMeasurement]] = [:]
        for run in 1...runs {
            for job in selected {
                let measurement = try await Self.runChild(
                    job: job, arguments: childArguments(job, events: settings.events))
                results[job, default: []].append(measurement)
                print("run \(run) \(label(job)): \(measurement.summary)")
            }
        }
        print("")
        print(
            "| job | events/s | of pipe | CPU s per M events | without the broker | processing thread CPU µs per event "
                + "| peak RSS | dead letters |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        let pipe = BenchmarkMeasurement.median(results[.pipe] ?? [])
        var medians: [E2EBenchmark.Job: BenchmarkMeasurement] = [:]
        for job in selected {
            guard let median = BenchmarkMeasurement.median(results[job] ?? []) else { continue }
            medians[job] = median
            let cpuPerMillion = median.cpuSeconds / Double(median.records) * 1_000_000
            let share = pipe.map { Self.percent(median.recordsPerSecond / $0.recordsPerSecond) } ?? "–"
            let thread =
                median.processingThreadCPUSeconds.map {
                    BenchmarkMeasurement.format($0 / Double(median.records) * 1_000_000, 2)
                } ?? "–"
            print(
                "| \(label(job)) | \(BenchmarkMeasurement.format(median.recordsPerSecond, 0)) | \(share) | "
                    + "\(BenchmarkMeasurement.format(cpuPerMillion, 2)) | "
                    + "\(BenchmarkMeasurement.format(median.processorCPUSecondsPerMillion, 2)) | \(thread) | "
                    + "\(median.peakResidentBytes / 1_048_576) MiB | \(median.deadLetters.map(String.init) ?? "–") |")
        }
        if let route = medians[.route], let window = medians[.window] {
            print("B/A = \(Self.percent(window.recordsPerSecond / route.recordsPerSecond))")
        }
        for job in selected {
            guard let median = medians[job], !median.stages.isEmpty else { continue }
            Self.printProfile(label(job), median)
        }
    }

    /// The processing thread's CPU per event by stage (sampled), and the rest of the thread's time.
    private static func printProfile(_ label: String, _ measurement: BenchmarkMeasurement) {
        print("")
        print("\(label), processing thread (1 event in 64 timed):")
        print("| stage | µs per event |")
        print("|---|---:|")
        var staged = 0.0
        for stage in measurement.stages {
            staged += stage.microsecondsPerEvent
            print("| \(stage.name) | \(BenchmarkMeasurement.format(stage.microsecondsPerEvent, 3)) |")
        }
        if let thread = measurement.processingThreadCPUSeconds {
            let total = thread / Double(max(measurement.records, 1)) * 1_000_000
            print(
                "| runtime: poll, record headers, delivery reports, commits (the rest) | "
                    + "\(BenchmarkMeasurement.format(max(total - staged, 0), 3)) |")
            print("| **processing thread** | **\(BenchmarkMeasurement.format(total, 3))** |")
        }
    }

    private func childArguments(_ job: E2EBenchmark.Job, events: Int) -> [String] {
        var arguments = [
            "bench", "e2e", "--child", job.rawValue, "--events", "\(events)", "--partitions", "\(partitions)",
            "--batch", "\(batch)", "--repository", repository, "--workload", workload,
        ]
        if let records { arguments += ["--records", records] }
        if let topology, let region {
            arguments += ["--topology", topology, "--region", region]
            if let source { arguments += ["--source", source] }
        }
        return arguments
    }

    private func label(_ job: E2EBenchmark.Job) -> String {
        switch job {
        case .pipe: "pipe (ceiling)"
        case .route: "A: validate + route"
        case .window: "B: 60 s window"
        case .topology: "topology " + (topology?.split(separator: "/").last.map(String.init) ?? "")
        }
    }

    private static func percent(_ ratio: Double) -> String {
        BenchmarkMeasurement.format(ratio * 100, 0) + " %"
    }

    /// Runs one measurement in a child process of this executable and parses its result line.
    private static func runChild(job: E2EBenchmark.Job, arguments: [String]) async throws -> BenchmarkMeasurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let finished = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished.continuation.yield($0.terminationStatus) }
        try process.run()
        let text = Task.detached { String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        var status: Int32 = -1
        for await value in finished.stream {
            status = value
            break
        }
        let lines = await text.value
        guard status == 0, let line = lines.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }) else {
            throw ValidationError("the \(job.rawValue) run failed (exit \(status)):\n\(lines)")
        }
        let fields = line.split(separator: " ").dropFirst().map(String.init)
        guard fields.count == 8, let broker = Double(fields[7]), let records = Int(fields[0]),
            let bytes = Int(fields[1]),
            let seconds = Double(fields[2]), let cpu = Double(fields[3]), let peak = Int(fields[4])
        else { throw ValidationError("unreadable result line: \(line)") }
        var measurement = BenchmarkMeasurement(
            records: records, bytes: bytes, seconds: seconds, cpuSeconds: cpu, peakResidentBytes: peak,
            processingThreadCPUSeconds: Double(fields[5]), deadLetters: Int(fields[6]))
        measurement.embeddedBrokerCPUSeconds = broker
        measurement.stages = lines.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, parts[0] == "STAGE", let value = Double(parts[1]) else { return nil }
            return BenchmarkMeasurement.Stage(name: String(parts[2]), microsecondsPerEvent: value)
        }
        return measurement
    }

    /// The line a child prints: records, bytes, seconds, CPU seconds, peak RSS, processing thread CPU seconds,
    /// dead letters (`-` when not measured) and the embedded broker's CPU seconds.
    private static func resultLine(_ measurement: BenchmarkMeasurement) -> String {
        "RESULT \(measurement.records) \(measurement.bytes) \(measurement.seconds) \(measurement.cpuSeconds) "
            + "\(measurement.peakResidentBytes) \(measurement.processingThreadCPUSeconds.map { "\($0)" } ?? "-") "
            + "\(measurement.deadLetters.map { "\($0)" } ?? "-") \(measurement.embeddedBrokerCPUSeconds)"
    }
}
