import ArgumentParser
import KafkaClient

#if canImport(Glibc)
    import Glibc
#endif

/// The `plantstream` command line.
///
/// Exit codes: 0 success, 1 findings or a runtime failure, 2 usage error (unknown option, missing argument).
@main
struct PlantStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plantstream",
        abstract: "Turns plant-floor events on Kafka into ERP-ready transactions.",
        version: "plantstream \(version) (librdkafka \(KafkaLibrary.version))",
        subcommands: [
            BrokerCommand.self, BenchCommand.self, CheckCommand.self, DescribeCommand.self, SchemasCommand.self,
            SimulateCommand.self, RunCommand.self, DemoCommand.self, DLQCommand.self, TestCommand.self,
        ]
    )

    /// The release this binary is (`plantstream --version`).
    static let version = "0.2.0"

    /// Runs the parsed command, mapping argument-parser usage errors to exit code 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success {
                    print(message)
                } else {
                    printToStandardError(message)
                }
            }
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    private static func printToStandardError(_ message: String) {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
