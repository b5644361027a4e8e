import ArgumentParser
import Benchmarks
import Foundation
import KafkaClient
import Logging

/// `plantstream bench e2e`: the raw pipe, job A (validate + route 1:1) and job B (60 s windows) over the same
/// events through the embedded broker; events/s, CPU seconds per million events, peak RSS and the ratios.
struct E2EBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "End-to-end throughput: raw pipe vs. route job (A) vs. window job (B).",
        discussion: """
            Each measurement runs in a fresh child process (so peak RSS is per job) with a fresh embedded \
            broker and a preloaded input (not timed) of synthetic machine.cycle/v2 events, one \
            plant/line/work center per partition. A: validate + route 1:1; B: 60 s tumbling windows per \
            plant/line/work center summing good and scrap counts; both through the same runtime as \
            `plantstream run` (at-least-once, commit every 100 ms). The pipe copies records of the same size \
            (bench pipe). Timing runs from the first batch until every output is acknowledged and committed. \
            Prints every run, then the median of each job and the ratios A/pipe (target ≥ 70 %) and B/A \
            (target ≥ 80 %). Build with -c release.
            """
    )

    @Option(help: "Input events per run.")
    var events = 1_000_000

    @Option(help: "Partitions of the input and output topics (each holds one plant/line/work center).")
    var partitions = 128

    @Option(help: "Runs of each job; the median is reported.")
    var runs = 3

    @Option(help: "Largest batch per poll.")
    var batch = 4096

    @Option(help: ArgumentHelp("Jobs to run, comma-separated: pipe, route, window.", valueName: "LIST"))
    var jobs = "pipe,route,window"

    @Option(help: ArgumentHelp("The PlantStream repository (its schemas/ folder is used).", valueName: "DIR"))
    var repository = "."

    @Option(help: .hidden)
    var child: String?

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be > 0") }
        for job in try selectedJobs() where job == .pipe && child == nil && batch <= 0 {
            throw ValidationError("--batch must be > 0")
        }
        do { try settings.validate() } catch { throw ValidationError(error.message) }
    }

    private var settings: E2EBenchmark.Configuration {
        var settings = E2EBenchmark.Configuration()
        settings.events = events
        settings.partitions = partitions
        settings.maxBatch = batch
        settings.repository = repository
        return settings
    }

    private func selectedJobs() throws -> [E2EBenchmark.Job] {
        try jobs.split(separator: ",").map { name in
            guard let job = E2EBenchmark.Job(rawValue: String(name)) else {
                throw ValidationError("--jobs: unknown job '\(name)'; expected pipe, route or window")
            }
            return job
        }
    }

    func run() async throws {
        var logger = Logger(label: "plantstream.bench")
        logger.logLevel = .error
        let benchmark = E2EBenchmark(configuration: settings, logger: logger)
        if let child {
            guard let job = E2EBenchmark.Job(rawValue: child) else { throw ValidationError("unknown job \(child)") }
            let thread = KafkaThread(name: "ps-bench-e2e")
            defer { thread.shutdown() }
            let measurement = try await thread.run { try benchmark.measure(job) }
            print(
                "RESULT \(measurement.records) \(measurement.bytes) \(measurement.seconds) \(measurement.cpuSeconds) "
                    + "\(measurement.peakResidentBytes)")
            return
        }
        let selected = try selectedJobs()
        print(
            "bench e2e: \(events) machine.cycle events (~\(benchmark.meanRecordSize()) B) over \(partitions) "
                + "partitions, \(runs) run(s) of \(selected.map(\.rawValue).joined(separator: ", ")), batch \(batch), "
                + "librdkafka \(KafkaLibrary.version)")
        var results: [E2EBenchmark.Job: [BenchmarkMeasurement]] = [:]
        for run in 1...runs {
            for job in selected {
                let measurement = try await Self.runChild(job: job, arguments: childArguments(job))
                results[job, default: []].append(measurement)
                print("run \(run) \(Self.label(job)): \(measurement.summary)")
            }
        }
        print("")
        print("| job | events/s | CPU s per M events | peak RSS |")
        print("|---|---:|---:|---:|")
        var medians: [E2EBenchmark.Job: BenchmarkMeasurement] = [:]
        for job in selected {
            guard let median = BenchmarkMeasurement.median(results[job] ?? []) else { continue }
            medians[job] = median
            let cpuPerMillion = median.cpuSeconds / Double(median.records) * 1_000_000
            print(
                "| \(Self.label(job)) | \(BenchmarkMeasurement.format(median.recordsPerSecond, 0)) | "
                    + "\(BenchmarkMeasurement.format(cpuPerMillion, 2)) | \(median.peakResidentBytes / 1_048_576) MiB |"
            )
        }
        if let pipe = medians[.pipe], let route = medians[.route] {
            print("A/pipe = \(Self.percent(route.recordsPerSecond / pipe.recordsPerSecond)) (target ≥ 70 %)")
        }
        if let route = medians[.route], let window = medians[.window] {
            print("B/A = \(Self.percent(window.recordsPerSecond / route.recordsPerSecond)) (target ≥ 80 %)")
        }
    }

    private func childArguments(_ job: E2EBenchmark.Job) -> [String] {
        [
            "bench", "e2e", "--child", job.rawValue, "--events", "\(events)", "--partitions", "\(partitions)",
            "--batch", "\(batch)", "--repository", repository,
        ]
    }

    private static func label(_ job: E2EBenchmark.Job) -> String {
        switch job {
        case .pipe: "pipe (ceiling)"
        case .route: "A: validate + route"
        case .window: "B: 60 s window"
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
        guard fields.count == 5, let records = Int(fields[0]), let bytes = Int(fields[1]),
            let seconds = Double(fields[2]), let cpu = Double(fields[3]), let peak = Int(fields[4])
        else { throw ValidationError("unreadable result line: \(line)") }
        return BenchmarkMeasurement(
            records: records, bytes: bytes, seconds: seconds, cpuSeconds: cpu, peakResidentBytes: peak)
    }
}
