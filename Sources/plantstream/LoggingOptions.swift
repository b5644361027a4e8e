import ArgumentParser
import Logging

/// `--log-level`, shared by every command that logs: swift-log is bootstrapped once, here, to standard error.
struct LoggingOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Log level: trace, debug, info, notice, warning, error, critical (default: the command's).",
            valueName: "LEVEL"),
        transform: Self.level)
    var logLevel: Logger.Level?

    /// Bootstraps logging at the chosen level, else `fallback`; returns the level.
    @discardableResult
    func bootstrap(default fallback: Logger.Level) -> Logger.Level {
        let level = logLevel ?? fallback
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return level
    }

    private static func level(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown log level '\(text)'; expected one of \(names)")
        }
        return level
    }
}
