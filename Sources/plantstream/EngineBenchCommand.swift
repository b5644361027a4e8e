import ArgumentParser
import Benchmarks

/// `plantstream bench engine`: the processing engine alone (no Kafka), single core.
struct EngineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure the engine alone (no Kafka): pass-through, parse+validate, job A and job B.",
        discussion: """
            Job A validates machine.cycle events and routes them 1:1; job B aggregates them in 60 s
            tumbling windows per plant/line/work cell. Prints the median of the runs in events/s and
            ns/event, the records written per event, and each job's ratio to the pass-through.
            Build with `swift build -c release`.
            """
    )

    @Option(help: "The schema catalogue directory.")
    var schemas = "schemas"

    @Option(help: "Timed runs per job; the median is reported.")
    var runs = 5

    @Option(help: "Profile mode: run this job (A, B or parse+validate) untimed and print nothing else.")
    var profileJob: String?

    @Option(help: "With --profile-job: passes over the generated events.")
    var passes = 50

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be at least 1") }
        guard passes > 0 else { throw ValidationError("--passes must be at least 1") }
    }

    func run() throws {
        var configuration = EngineBenchmark.Configuration()
        configuration.schemasDirectory = schemas
        configuration.runs = runs
        let benchmark = EngineBenchmark(configuration: configuration)
        if let profileJob {
            _ = try benchmark.profile(job: profileJob, passes: passes)
            return
        }
        let rows = try benchmark.run { print($0) }
        guard let pipe = rows.first?.eventsPerSecond, pipe > 0 else { return }
        print("job | events/s | ns/event | outputs/event | vs pass-through")
        for row in rows {
            let ratio = (row.eventsPerSecond / pipe * 100).rounded() / 100
            print(
                "\(row.job) | \(Int(row.eventsPerSecond)) | \(Int(row.nanosecondsPerEvent)) | "
                    + "\(row.outputsPerEvent) | \(ratio)"
            )
        }
    }
}
