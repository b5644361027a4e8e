import ArgumentParser

/// `plantstream dlq`: inspect a region's dead letters and send chosen ones back to their source after a fix.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List, show and replay a region's dead letters.",
        discussion: """
            Reads the dead-letter topics of the region (outputs of kind dead_letter in the topology) from the \
            beginning, without a consumer group, up to the high watermark they had when the command started. \
            Exit codes: 0 done, 1 runtime failure (broker unreachable, topic missing, offsets not found, a record \
            not delivered), 2 usage error. See the README, "Dead letters".
            """,
        subcommands: [DLQListCommand.self, DLQShowCommand.self, DLQReplayCommand.self]
    )
}
