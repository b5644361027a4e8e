import ArgumentParser
import Benchmarks
import Foundation

/// `plantstream bench validate`: parse + validate throughput of canonical events on one core.
struct ValidateBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Measure single-core parse + validate throughput against Foundation JSONSerialization.",
        discussion: """
            Generates realistic machine.cycle and operation.reported events, validates each against the \
            newest version of its subject in the schema catalogue (envelope and shared definitions via $ref, \
            closed content models) and reports the median of the runs in events/s and MB/s, next to the \
            reader alone and to Foundation JSONSerialization parsing the same bytes. The catalogue is \
            --schemas, else schemas/ in the current directory, else the package's own schemas/. Build with \
            `swift build -c release`.
            """
    )

    @Option(help: "Distinct generated events per type.")
    var events = 10_000

    @Option(help: "Timed runs per measurement; the median is reported.")
    var runs = 5

    @Option(help: "Minimum seconds per run.")
    var seconds = 1.0

    @Option(help: "Schema catalogue folder (default: ./schemas, else the package's schemas/).")
    var schemas: String?

    @Option(help: "Event type to measure (repeatable): machine.cycle, operation.reported.")
    var type: [String] = []

    @Option(help: "Profile mode: run this many untimed parse + validate passes and print nothing else.")
    var profilePasses: Int?

    @Flag(help: "With --profile-passes: parse only, do not validate.")
    var profileParseOnly = false

    func validate() throws {
        guard events > 0, runs > 0, seconds > 0 else {
            throw ValidationError("--events, --runs and --seconds must be > 0")
        }
        let known = ["machine.cycle", "operation.reported"]
        for name in type where !known.contains(name) {
            throw ValidationError("unknown --type '\(name)'; expected one of \(known.joined(separator: ", "))")
        }
    }

    func run() throws {
        var configuration = ValidateBenchmark.Configuration()
        configuration.distinctEvents = events
        configuration.runs = runs
        configuration.secondsPerRun = seconds
        configuration.schemasDirectory = schemas
        if !type.isEmpty { configuration.types = type }
        if let profilePasses {
            let valid = try ValidateBenchmark(configuration: configuration).profile(
                passes: profilePasses, parseOnly: profileParseOnly)
            print("profile: \(valid) valid events")
            return
        }
        let rows = try ValidateBenchmark(configuration: configuration).run { print($0) }
        print("")
        print("schemas: \(rows.first?.schemaSource ?? "-"); median of \(runs) runs, single core")
        let header = [
            "schema", "bytes/event", "validate ev/s", "validate MB/s", "parse-only ev/s", "Foundation ev/s",
            "vs Foundation", "validate ev/CPU-s",
        ]
        print(header.joined(separator: " | "))
        for row in rows {
            let megabytes = row.validateEventsPerSecond * row.bytesPerEvent / 1_000_000
            let ratio = row.validateEventsPerSecond / row.foundationEventsPerSecond
            print(
                [
                    row.schemaID, String(format: "%.0f", row.bytesPerEvent),
                    String(format: "%.0f", row.validateEventsPerSecond), String(format: "%.0f", megabytes),
                    String(format: "%.0f", row.parseEventsPerSecond),
                    String(format: "%.0f", row.foundationEventsPerSecond),
                    String(format: "%.1f×", ratio), String(format: "%.0f", row.validateEventsPerCPUSecond),
                ].joined(separator: " | "))
        }
    }
}
