import ArgumentParser
import Runtime

/// `plantstream dlq replay`: sends chosen dead letters' original records back to their source topic.
struct DLQReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Send chosen dead letters' original records back to their source topic (after a fix).",
        discussion: """
            Each chosen dead letter's original key, value, timestamp and headers (without the ps_* reason headers, \
            plus ps_replayed_from: <dlq-topic>/<partition>/<offset>) go to its source topic and partition \
            (ps_source_topic, ps_source_partition), or with --to-topic to that topic partitioned by key, through an \
            idempotent producer; the command waits for every acknowledgement and prints where each record went. \
            Records are sent in their original order; a record with dead letters from several pipelines is sent \
            once. Window results (no single original record) are skipped (exit 1 when named by --offsets). Choose with --code, --pipeline, \
            --offsets or --all (--since and --source-topic narrow any choice); --dry-run prints the plan and sends \
            nothing. A replay runs through every pipeline of the source again: dedupe steps and idempotency keys \
            absorb what was already processed (README, "Dead letters").
            """
    )

    @OptionGroup var options: DLQOptions
    @OptionGroup var filters: DLQFilterOptions

    @Option(
        help: ArgumentHelp(
            "Only these dead letters: P:O, P:FROM-TO or dlq-topic/P/O, comma-separated.", valueName: "LIST"))
    var offsets: String?

    @Flag(help: "Every dead letter (narrowed by --since and --source-topic only).")
    var all = false

    @Flag(help: "Print what would be sent; send nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Send to this topic instead of the source topics (partitioned by key).", valueName: "T"))
    var toTopic: String?

    @Option(help: ArgumentHelp("Replay at most N dead letters (the first N in dead-letter order).", valueName: "N"))
    var limit: Int?

    func validate() throws {
        let chosen = !filters.code.isEmpty || !filters.pipeline.isEmpty || offsets != nil
        if all && chosen {
            throw ValidationError("--all replays everything: do not combine it with --code, --pipeline or --offsets")
        }
        if !all && !chosen {
            throw ValidationError("choose the dead letters to replay: --code C, --pipeline P, --offsets LIST or --all")
        }
        if let offsets, let problem = DeadLetterFilter.offsetSyntaxError(offsets) {
            throw ValidationError("--offsets \(problem)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit \(limit): expected at least 1") }
        if let toTopic, toTopic.isEmpty || toTopic.contains("/") {
            throw ValidationError("--to-topic '\(toTopic)': expected a topic name")
        }
    }

    func run() async throws {
        let (plan, logger) = try options.load("replay")
        let queue = options.queue(plan: plan, logger: logger)
        let replayer = DeadLetterReplayer(kafka: plan.kafka, timeout: options.timeoutDuration, logger: logger)
        var filter = filters.filter()
        filter.offsets = offsets.flatMap(DeadLetterFilter.parseOffsets)
        let (limit, toTopic, dryRun, chosen) = (self.limit ?? Int.max, self.toTopic, self.dryRun, filter)
        // Dead letters named one by one must all go back; a skipped one is a failure, not a detail.
        let named = offsets != nil
        let failed = try await options.onKafkaThread("replay") { () throws -> Bool in
            var letters: [DeadLetter] = []
            let summary = try queue.read(filter: chosen, progress: DLQOutput.progress) { letter in
                if letters.count < limit { letters.append(letter) }
            }
            // Offsets asked for by name must all exist: a typo must not replay a part silently.
            guard summary.unavailable.isEmpty else {
                for problem in summary.unavailable { DLQOutput.error("dlq replay: \(problem)") }
                DLQOutput.error("dlq replay: nothing was replayed")
                return true
            }
            guard !letters.isEmpty else {
                DLQOutput.line(
                    "no dead letters matched (\(summary.read) read from \(summary.topics.joined(separator: ", "))); nothing to replay"
                )
                return false
            }
            var targets = Set<String>()
            for letter in letters where letter.replayBlocker(toTopic: toTopic) == nil {
                targets.insert(toTopic ?? letter.sourceTopic ?? "")
            }
            let counts = try replayer.partitionCounts(of: targets)
            let (replays, skipped) = DeadLetterReplay.plan(letters, toTopic: toTopic, partitionCounts: counts)
            for (letter, reason) in skipped { DLQOutput.line("skipped \(letter.address): \(reason)") }
            if dryRun {
                for replay in replays { DLQOutput.line(DeadLetterFormatter.replayLine(replay, result: nil)) }
                DLQOutput.line(
                    "dry run: \(replays.count) record\(replays.count == 1 ? "" : "s") would be replayed"
                        + (skipped.isEmpty ? "" : ", \(skipped.count) dead letter(s) skipped") + "; nothing was sent")
                return named && !skipped.isEmpty
            }
            let results = try replayer.send(replays)
            for result in results { DLQOutput.line(DeadLetterFormatter.replayLine(result.replay, result: result)) }
            let failures = results.filter { !$0.isDelivered }.count
            DLQOutput.line(
                "replayed \(results.count - failures) record\(results.count - failures == 1 ? "" : "s")"
                    + (failures > 0 ? ", \(failures) FAILED" : "")
                    + (skipped.isEmpty ? "" : ", \(skipped.count) dead letter(s) skipped"))
            return failures > 0 || (named && !skipped.isEmpty)
        }
        if failed { throw ExitCode(1) }
    }
}
