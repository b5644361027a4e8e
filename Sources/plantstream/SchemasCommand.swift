import ArgumentParser
import Foundation

/// `plantstream schemas`: the schema registry in git.
struct SchemasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemas",
        abstract: "Check the schema catalogue and validate documents against it.",
        subcommands: [SchemasCheckCommand.self, SchemasValidateCommand.self]
    )

    /// Exit status for problems found in the input (findings, invalid documents).
    static let findings = ExitCode(1)

    /// Prints `Error: message` and the command's usage line to standard error.
    /// - Returns: Exit status 2 (usage error), to throw.
    static func usageError(_ message: String, command: any ParsableCommand.Type) -> ExitCode {
        let usage = PlantStreamCommand.usageString(for: command)
        FileHandle.standardError.write(Data("Error: \(message)\nUsage: \(usage)\n".utf8))
        return ExitCode(2)
    }
}
