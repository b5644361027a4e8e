import ArgumentParser
import Demo
import Foundation
import Logging
import Runtime
import Simulator
import Topology

/// `plantstream demo`: embedded broker + simulated plants + processor in one process, with a live summary.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run an embedded broker, simulated plants and the processor in one process.",
        discussion: """
            Starts librdkafka's embedded broker with the topology's topics, simulates the plants of one region \
            (domain.md demo profile, with duplicates, out-of-order, late and invalid events) at --speed times real \
            time, and processes them with the same runtime as `plantstream run`. Prints the broker address (watch \
            the topics with kcat) and a summary line every few seconds: events in, ERP transactions by type, dead \
            letters, exceptions, parked postings, lag. Ctrl-C stops everything cleanly (exit 0).
            """
    )

    @OptionGroup var regionOptions: RegionOptions

    @Option(
        help: ArgumentHelp("Simulated seconds per wall-clock second (120: one plant hour per 30 s).", valueName: "X"))
    var speed = 120.0

    @Option(help: ArgumentHelp("The simulator's seed.", valueName: "S"))
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp(
            "Also serve the broker on 127.0.0.1:PORT (0: only its own ephemeral port).", valueName: "PORT"))
    var port = 9092

    @Option(
        help: ArgumentHelp(
            "Serve /metrics, /health/live and /health/ready on 127.0.0.1:PORT (0: any free port).",
            valueName: "PORT"))
    var httpPort = 8080

    @Option(help: ArgumentHelp("Seconds between summary lines.", valueName: "S"))
    var interval = 5

    @Option(help: ArgumentHelp("Stop after this long (e.g. 90s); default: until Ctrl-C.", valueName: "DUR"))
    var duration: String?

    @Option(
        help: ArgumentHelp(
            "Simulator faults (default duplicates=0.05,out_of_order=120s,late=0.01,invalid=0.001; 'none' for none).",
            valueName: "LIST"))
    var faults: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard speed > 0 else { throw ValidationError("--speed must be > 0") }
        guard interval > 0 else { throw ValidationError("--interval must be > 0") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        if let duration, DurationValue(parsing: duration) == nil {
            throw ValidationError("--duration \(duration): expected a duration such as 90s or 10m")
        }
        if let faults, faults != "none" {
            do throws(SimulatorError) { _ = try FaultConfiguration(parsing: faults) } catch {
                throw ValidationError(error.message)
            }
        }
    }

    func run() async throws {
        logging.bootstrap(default: .warning)
        var configuration = DemoConfiguration()
        configuration.topologyPath = regionOptions.topology
        configuration.region = regionOptions.region
        configuration.speed = speed
        configuration.seed = seed
        configuration.port = port
        configuration.httpPort = httpPort
        configuration.statusInterval = .seconds(interval)
        configuration.duration = duration.flatMap(DurationValue.init(parsing:)).map { .milliseconds($0.milliseconds) }
        if let faults {
            configuration.faults = faults == "none" ? .none : (try? FaultConfiguration(parsing: faults)) ?? .demo
        }
        do {
            try await Demo.run(configuration, logger: Logger(label: "plantstream.demo")) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch let error as RuntimeError {
            for finding in error.findings { RunCommand.printError(finding) }
            RunCommand.printError("demo: \(error.message)")
            throw ExitCode(1)
        } catch {
            RunCommand.printError("demo: \(error)")
            throw ExitCode(1)
        }
    }
}
