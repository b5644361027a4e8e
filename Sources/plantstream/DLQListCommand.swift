import ArgumentParser
import Runtime

/// `plantstream dlq list`: one line per dead letter and a summary by error code.
struct DLQListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "One line per dead letter: where, when, pipeline, error code, path, message, source.",
        discussion: """
            Columns: the dead letter (dlq-topic/partition/offset, as --offsets and show take it), its time (the \
            original record's timestamp), pipeline, error code, JSON path, message (truncated) and the original \
            record's source topic/partition/offset. A summary by error code and pipeline follows. With --json, one \
            JSON object per dead letter (key, value and all headers included) and the summary on standard error.
            """
    )

    @OptionGroup var options: DLQOptions
    @OptionGroup var filters: DLQFilterOptions

    @Option(help: ArgumentHelp("Print at most N dead letters (the summary still counts all).", valueName: "N"))
    var limit: Int?

    @Flag(help: "One JSON object per line instead of text.")
    var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit \(limit): expected at least 1") }
    }

    func run() async throws {
        let (plan, logger) = try options.load("list")
        let queue = options.queue(plan: plan, logger: logger)
        let filter = filters.filter()
        let (limit, json) = (self.limit ?? Int.max, self.json)
        try await options.onKafkaThread("list") {
            var shown = 0
            let summary = try queue.read(filter: filter, progress: DLQOutput.progress) { letter in
                guard shown < limit else { return }
                if shown == 0 && !json { DLQOutput.line(DeadLetterFormatter.listHeader) }
                shown += 1
                DLQOutput.line(json ? DeadLetterFormatter.json(letter) : DeadLetterFormatter.listLine(letter))
            }
            let lines = DeadLetterFormatter.summary(summary, shown: shown)
            if json {
                DLQOutput.error(lines[0])
            } else {
                if shown > 0 { DLQOutput.line("") }
                for line in lines { DLQOutput.line(line) }
            }
        }
    }
}
