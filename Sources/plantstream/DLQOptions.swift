import ArgumentParser
import Foundation
import KafkaClient
import Logging
import Runtime
import Topology

/// Options every `plantstream dlq` subcommand takes: where the region's dead letters are.
struct DLQOptions: ParsableArguments {
    @OptionGroup var regionOptions: RegionOptions

    @Option(
        help: ArgumentHelp(
            "Read only this dead-letter topic (default: every dead_letter output of the topology).", valueName: "T"))
    var dlqTopic: String?

    @Option(
        name: .customShort("X"),
        help: ArgumentHelp("A librdkafka property for every client (repeatable).", valueName: "KEY=VALUE"))
    var properties: [String] = []

    @Option(
        help: ArgumentHelp(
            "The longest wait for metadata, for read progress and for acknowledgements (e.g. 15s).", valueName: "DUR"))
    var timeout = "15s"

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try regionOptions.requiredRegion()
        guard let duration = DurationValue(parsing: timeout), duration.milliseconds > 0 else {
            throw ValidationError("--timeout \(timeout): expected a duration such as 15s, 500ms or 2m")
        }
        for property in properties where !property.contains("=") || property.hasPrefix("=") {
            throw ValidationError("-X \(property): expected KEY=VALUE")
        }
    }

    /// `--timeout` as a duration.
    var timeoutDuration: Duration { .milliseconds(DurationValue(parsing: timeout)?.milliseconds ?? 15_000) }

    /// Bootstraps logging and loads the region like `plantstream run` (lint, schemas, secrets); on failure
    /// prints the findings and exits 1.
    ///
    /// - Parameter command: The subcommand's name, for messages.
    func load(_ command: String) throws -> (plan: RuntimePlan, logger: Logger) {
        logging.bootstrap(default: .error)
        let configuration = RuntimeConfiguration(
            topologyPath: regionOptions.topology, region: try regionOptions.requiredRegion(),
            bootstrapServers: regionOptions.bootstrapServers,
            kafkaProperties: RunCommand.properties(properties))
        do {
            return (try RuntimePlan.load(configuration), Logger(label: "plantstream.dlq"))
        } catch {
            for finding in error.findings { DLQOutput.error(finding) }
            DLQOutput.error("dlq \(command): \(error.message)")
            throw ExitCode(1)
        }
    }

    /// The reader of the region's dead-letter topics.
    func queue(plan: RuntimePlan, logger: Logger) -> DeadLetterQueue {
        DeadLetterQueue(plan: plan, topic: dlqTopic, timeout: timeoutDuration, logger: logger)
    }

    /// Runs blocking Kafka work on a dedicated thread; a ``RuntimeError`` is printed and exits 1.
    func onKafkaThread<T: Sendable>(_ command: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        let thread = KafkaThread(name: "ps-dlq")
        defer { thread.shutdown() }
        do {
            return try await thread.run(body)
        } catch let error as RuntimeError {
            DLQOutput.error("dlq \(command): \(error.message)")
            throw ExitCode(1)
        } catch let error as KafkaError {
            DLQOutput.error("dlq \(command): \(error.message)")
            throw ExitCode(1)
        }
    }
}

/// Filters `list` and `replay` share.
struct DLQFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only dead letters of this pipeline (repeatable).", valueName: "P"))
    var pipeline: [String] = []

    @Option(
        help: ArgumentHelp(
            "Only dead letters with this error code, e.g. SCHEMA_VIOLATION (repeatable).", valueName: "C"))
    var code: [String] = []

    @Option(help: ArgumentHelp("Only dead letters of records from this source topic (repeatable).", valueName: "T"))
    var sourceTopic: [String] = []

    @Option(
        help: ArgumentHelp(
            "Only dead letters at or after: an RFC 3339 time, a UTC date (2026-04-14) or a duration back from now "
                + "(2h).",
            valueName: "TS"))
    var since: String?

    func validate() throws {
        if let since, DeadLetterFilter.parseInstant(since, now: 0) == nil {
            throw ValidationError(
                "--since \(since): expected an RFC 3339 time (2026-04-14T08:00:00Z), a date (2026-04-14) or a "
                    + "duration (90m, 2h, 3d)")
        }
    }

    /// The filter (offsets added by the caller).
    func filter() -> DeadLetterFilter {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        return DeadLetterFilter(
            codes: Set(code), pipelines: Set(pipeline), sourceTopics: Set(sourceTopic),
            since: since.flatMap { DeadLetterFilter.parseInstant($0, now: now) })
    }

    /// Whether any filter is set.
    var isEmpty: Bool { pipeline.isEmpty && code.isEmpty && sourceTopic.isEmpty && since == nil }
}

/// Standard output and error for the dlq commands (safe from any thread).
enum DLQOutput {
    /// Writes a line to standard output.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes a line to standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A progress handler that reports long reads on standard error.
    static let progress: @Sendable (DeadLetterReadProgress) -> Void = { progress in
        error(
            "reading dead letters: \(progress.read) of ~\(progress.total) records (\(progress.topic)[\(progress.partition)])"
        )
    }
}
