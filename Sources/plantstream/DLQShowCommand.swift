import ArgumentParser
import Foundation
import KafkaClient
import Runtime

/// `plantstream dlq show`: one dead letter in full.
struct DLQShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One dead letter in full: reason, source, every header, key, and the original value.",
        discussion: """
            Name the dead letter as list prints it (mfg.dlq.v1/2/14), by --partition and --offset in the \
            dead-letter topic, or by the original record with --source TOPIC/PARTITION/OFFSET (every dead letter \
            of that record: one per failing pipeline). The value is printed exactly as written when it is text, else \
            as a hex dump; --pretty indents a JSON value; --raw writes only the value's exact bytes to standard \
            output.
            """
    )

    @OptionGroup var options: DLQOptions

    @Argument(
        help: ArgumentHelp("The dead letter: dlq-topic/partition/offset or partition:offset.", valueName: "DEAD-LETTER")
    )
    var deadLetter: String?

    @Option(help: ArgumentHelp("The dead letter's partition in the dead-letter topic.", valueName: "P"))
    var partition: Int32?

    @Option(help: ArgumentHelp("The dead letter's offset in the dead-letter topic.", valueName: "O"))
    var offset: Int64?

    @Option(help: ArgumentHelp("The original record instead: its topic/partition/offset.", valueName: "T/P/O"))
    var source: String?

    @Flag(help: "Print the dead letter as one JSON object.")
    var json = false

    @Flag(help: "Write only the value's exact bytes to standard output.")
    var raw = false

    @Flag(help: "Indent a JSON value (tokens kept as written).")
    var pretty = false

    func validate() throws {
        let ways = [deadLetter != nil, partition != nil || offset != nil, source != nil].filter { $0 }.count
        guard ways == 1 else {
            throw ValidationError(
                "name one dead letter: DEAD-LETTER (as list prints it), --partition P --offset O, or --source T/P/O")
        }
        if (partition == nil) != (offset == nil) {
            throw ValidationError("--partition and --offset go together")
        }
        if let partition, partition < 0 { throw ValidationError("--partition \(partition): expected 0 or more") }
        if let offset, offset < 0 { throw ValidationError("--offset \(offset): expected 0 or more") }
        if let deadLetter, DeadLetterFilter.parseOffsets(deadLetter)?.count != 1 {
            throw ValidationError("\(deadLetter): expected dlq-topic/partition/offset or partition:offset")
        }
        if let source, DeadLetterAddress(parsing: source) == nil {
            throw ValidationError("--source \(source): expected TOPIC/PARTITION/OFFSET, e.g. mfg.quality.v1/3/17")
        }
        if [json, raw, pretty].filter({ $0 }).count > 1 {
            throw ValidationError("--json, --raw and --pretty exclude each other")
        }
    }

    func run() async throws {
        var filter = DeadLetterFilter()
        let wanted: String
        if let deadLetter {
            filter.offsets = DeadLetterFilter.parseOffsets(deadLetter)
            wanted = deadLetter
        } else if let partition, let offset {
            filter.offsets = [DeadLetterFilter.OffsetRange(partition: partition, offsets: offset...offset)]
            wanted = "\(partition):\(offset)"
        } else if let source, let address = DeadLetterAddress(parsing: source) {
            filter.source = KafkaTopicPartitionOffset(
                topic: address.topic, partition: address.partition, offset: address.offset)
            wanted = "source \(source)"
        } else {
            return
        }
        let (plan, logger) = try options.load("show")
        let queue = options.queue(plan: plan, logger: logger)
        let chosen = filter
        let letters = try await options.onKafkaThread("show") {
            var found: [DeadLetter] = []
            try queue.read(filter: chosen, progress: DLQOutput.progress) { found.append($0) }
            return found
        }
        guard !letters.isEmpty else {
            DLQOutput.error("dlq show: no dead letter at \(wanted) in \(queue.topics.joined(separator: ", "))")
            throw ExitCode(1)
        }
        if raw {
            guard letters.count == 1 else {
                DLQOutput.error(
                    "dlq show: \(wanted) names \(letters.count) dead letters (\(letters.map(\.address.description).joined(separator: ", "))); "
                        + "--raw needs one: name it as DEAD-LETTER")
                throw ExitCode(1)
            }
            FileHandle.standardOutput.write(Data(letters[0].value ?? []))
            return
        }
        for (index, letter) in letters.enumerated() {
            if json {
                DLQOutput.line(DeadLetterFormatter.json(letter))
            } else {
                if index > 0 { DLQOutput.line("") }
                for line in DeadLetterFormatter.details(letter, pretty: pretty) { DLQOutput.line(line) }
            }
        }
    }
}
