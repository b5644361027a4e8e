import ArgumentParser
import Foundation
import JSON
import KafkaClient
import Runtime
import Simulator
import Synchronization
import Topology

/// `plantstream simulate`: realistic plant events sent to Kafka as the topology routes them.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Send a realistic, deterministic stream of plant events to Kafka.",
        discussion: """
            Simulates the plants of the topology's reference data (machines and cycles, states and downtime, \
            orders and operations, material consumption and receipts, scrap, inspections, quality holds and \
            their release) and sends every event, valid against the newest schema of its type, to the topic \
            and with the key the topology's sources declare. The same options and seed give byte-identical \
            records. A progress line goes to standard error about once a second; at the end the events per type \
            and the faults are printed. Ctrl-C stops after flushing. See docs/simulator.md.
            """
    )

    @OptionGroup var regionOptions: RegionOptions

    @Option(help: ArgumentHelp("Simulate at most this many plants.", valueName: "N"))
    var plants: Int?

    @Option(
        help: ArgumentHelp(
            "Events per second of wall time (default 100, or as fast as possible with --events).",
            valueName: "EVENTS_PER_S"))
    var rate: Double?

    @Option(help: ArgumentHelp("Stop after this much wall time (e.g. 30s, 10m).", valueName: "DUR"))
    var duration: String?

    @Option(help: ArgumentHelp("Stop after this many records.", valueName: "N"))
    var events: Int?

    @Option(help: ArgumentHelp("Seed of every random choice.", valueName: "S"))
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp(
            "Faults: duplicates=SHARE, out_of_order=DUR, out_of_order_share=SHARE, late=SHARE, late_min=DUR, "
                + "late_max=DUR, invalid=SHARE (e.g. duplicates=0.05,out_of_order=120s,late=0.01,invalid=0.001).",
            valueName: "LIST"))
    var faults = ""

    @Option(
        help: ArgumentHelp(
            "Simulated start: an RFC 3339 instant, a date, or 'now' (default: 06:00 plant time on 2025-03-17).",
            valueName: "INSTANT"))
    var start: String?

    @Option(help: ArgumentHelp("Emit only these event types (comma-separated).", valueName: "TYPES"))
    var types: String?

    @Option(help: ArgumentHelp("Telemetry sample interval per machine in seconds (0 = off).", valueName: "S"))
    var telemetryInterval = 300

    @Option(help: ArgumentHelp("Share of events sent in CloudEvents binary mode.", valueName: "SHARE"))
    var cloudeventsShare = 0.1

    @Option(help: ArgumentHelp("Share of machine.cycle events written as schema v1.", valueName: "SHARE"))
    var cycleV1Share = 0.1

    @Option(help: ArgumentHelp("Quality holds per plant per simulated day.", valueName: "N"))
    var holdsPerDay = 6.0

    @Option(
        help: ArgumentHelp(
            "Kafka record timestamps: 'simulated' (the event's ingestion instant) or 'now' (the producer's clock).",
            valueName: "MODE"))
    var recordTimestamps = "simulated"

    @Option(
        name: .customShort("X"),
        help: ArgumentHelp("A librdkafka producer property (repeatable), e.g. -X acks=all.", valueName: "KEY=VALUE"))
    var properties: [String] = []

    @Flag(help: "Generate without Kafka and report the generation rate.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "Write records as JSON lines to a file (or - for standard output) instead of Kafka.", valueName: "FILE"))
    var output: String?

    /// Set by SIGINT/SIGTERM; the loop stops, flushes and reports.
    static let stopRequested = Atomic<Bool>(false)

    func validate() throws {
        if let rate, rate <= 0 { throw ValidationError("--rate must be > 0") }
        if let events, events <= 0 { throw ValidationError("--events must be > 0") }
        if let plants, plants <= 0 { throw ValidationError("--plants must be > 0") }
        if duration != nil && events != nil { throw ValidationError("give --duration or --events, not both") }
        if let duration, DurationValue(parsing: duration) == nil {
            throw ValidationError("--duration \(duration): expected a duration such as 30s, 10m or 2h")
        }
        for property in properties where !property.contains("=") {
            throw ValidationError("-X \(property): expected KEY=VALUE")
        }
        if !["simulated", "now"].contains(recordTimestamps) {
            throw ValidationError("--record-timestamps must be 'simulated' or 'now'")
        }
        if let start, start != "now", CivilTimeText.instant(start) == nil {
            throw ValidationError("--start \(start): expected an RFC 3339 instant, a date (YYYY-MM-DD) or 'now'")
        }
        do throws(SimulatorError) {
            _ = try FaultConfiguration(parsing: faults)
            _ = try eventTypes()
        } catch {
            throw ValidationError(error.message)
        }
    }

    private func eventTypes() throws(SimulatorError) -> Set<EventType>? {
        guard let types else { return nil }
        var set: Set<EventType> = []
        for name in types.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
            guard let type = EventType(name: name) else {
                throw SimulatorError(
                    .invalidOption,
                    "--types: unknown event type '\(name)'; expected any of "
                        + EventType.allCases.map(\.name).joined(separator: ", "))
            }
            set.insert(type)
        }
        return set
    }

    func run() throws {
        let startMs: Int64?
        switch start {
        case nil: startMs = nil
        case "now": startMs = Int64(Date().timeIntervalSince1970 * 1000) / 60_000 * 60_000
        case let text?: startMs = CivilTimeText.instant(text)
        }
        let simulator: PlantSimulator
        let topologyValue: Topology
        do throws(SimulatorError) {
            topologyValue = try PlantScenario.readTopology(file: regionOptions.topology)
            let directory = (regionOptions.topology as NSString).deletingLastPathComponent
            let scenario = try PlantScenario.load(
                topology: topologyValue, directory: directory.isEmpty ? "." : directory, region: regionOptions.region,
                plants: plants, start: startMs)
            for warning in scenario.warnings { Self.printError("simulate: warning: \(warning)") }
            let configuration = SimulatorConfiguration(
                seed: seed, startMs: startMs, eventTypes: try eventTypes(), cycleV1Share: cycleV1Share,
                cloudEventsBinaryShare: cloudeventsShare, telemetryIntervalSeconds: telemetryInterval,
                holdsPerPlantPerDay: holdsPerDay, faults: try FaultConfiguration(parsing: faults))
            simulator = try PlantSimulator(scenario: scenario, configuration: configuration)
            Self.printError(
                "simulate: \(scenario.plantIDs.joined(separator: ", ")): \(scenario.lineCount) lines, "
                    + "\(scenario.machineCount) machines; topics \(simulator.topics.joined(separator: ", ")); seed \(seed)"
            )
        } catch {
            Self.printError("simulate: \(error.message)")
            throw ExitCode(1)
        }
        var sink: RecordSink
        if dryRun {
            sink = .discard
        } else if let output {
            guard
                let handle = output == "-"
                    ? FileHandle.standardOutput
                    : FileHandle(forWritingAtPath: output)
                        ?? (FileManager.default.createFile(atPath: output, contents: nil)
                            ? FileHandle(forWritingAtPath: output) : nil)
            else {
                Self.printError("simulate: cannot write \(output)")
                throw ExitCode(1)
            }
            sink = .file(handle)
        } else {
            let declared = regionOptions.region.flatMap { topologyValue.region(named: $0) }
            guard let servers = regionOptions.bootstrapServers ?? declared?.bootstrapServers else {
                Self.printError("simulate: give --bootstrap-servers (or --region, whose servers the topology names)")
                throw ExitCode(2)
            }
            var configuration = KafkaConfiguration([
                "linger.ms": "5", "batch.size": "65536", "queue.buffering.max.messages": "200000",
                "client.id": "plantstream-simulate",
            ])
            for (key, value) in declared?.kafka ?? [:] where key != "client.id" {
                switch value {
                case .literal(let text): configuration[key] = text
                case .environment(let name): configuration.setSecret(key, from: .environment(name))
                case .file(let path): configuration.setSecret(key, from: .file(path))
                }
            }
            for property in properties {
                let parts = property.split(separator: "=", maxSplits: 1).map(String.init)
                configuration[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            configuration.bootstrapServers = servers
            do {
                sink = .kafka(
                    try SimulateKafkaSink(
                        configuration: configuration, simulatedTimestamps: recordTimestamps == "simulated"))
            } catch {
                Self.printError("simulate: \(error)")
                throw ExitCode(1)
            }
        }
        let paceRate = rate ?? (events == nil && !dryRun ? 100 : nil)
        let limit = events
        let wallLimit = duration.flatMap(DurationValue.init(parsing:)).map { Double($0.milliseconds) / 1000 }
        try loop(simulator: simulator, sink: &sink, rate: paceRate, limit: limit, wallLimit: wallLimit)
    }

    private func loop(
        simulator initial: PlantSimulator,
        sink: inout RecordSink,
        rate: Double?,
        limit: Int?,
        wallLimit: Double?
    ) throws {
        var simulator = initial
        Self.installSignalHandlers()
        let begin = Date()
        var elapsed = 0.0
        var nextProgress = 1.0
        var sent = 0
        var lastSent = 0
        var lastProgress = 0.0
        var failure: Error?
        while !Self.stopRequested.load(ordering: .relaxed) {
            if let limit, sent >= limit { break }
            // Unpaced runs read the clock every 1024 records.
            if rate != nil || sent & 1023 == 0 {
                if sent & 1023 == 0 { sink.serve() }
                elapsed = Date().timeIntervalSince(begin)
                if let wallLimit, elapsed >= wallLimit { break }
                if elapsed >= nextProgress {
                    let rateNow = Double(sent - lastSent) / max(0.001, elapsed - lastProgress)
                    Self.printError(
                        "simulate: \(sent) sent, \(Int(rateNow.rounded()))/s, sim "
                            + CivilTimeText.minute(simulator.simulatedTime) + " | "
                            + simulator.statistics.shortSummary)
                    lastSent = sent
                    lastProgress = elapsed
                    nextProgress = elapsed + 1
                }
            }
            if let rate {
                let due = Double(sent) / rate
                if due > elapsed {
                    sink.idle(seconds: min(due - elapsed, 0.1))
                    continue
                }
            }
            do {
                let generated: Bool? = try simulator.withNextRecord { record throws(SinkError) in
                    try sink.send(record)
                    return true
                }
                guard generated != nil else { break }
            } catch {
                failure = error
                break
            }
            sent += 1
        }
        elapsed = Date().timeIntervalSince(begin)
        let flushResult = sink.finish()
        // With records on standard output, the report goes to standard error.
        let report: (String) -> Void = output == "-" ? { Self.printError($0) } : { print($0) }
        report(simulator.statistics.report)
        report(
            "sent \(sent) records in \(String(format: "%.2f", elapsed)) s (\(Int((Double(sent) / max(elapsed, 0.001)).rounded())) records/s); "
                + "simulated \(CivilTimeText.minute(simulator.startMs)) – \(CivilTimeText.minute(simulator.simulatedTime))"
        )
        if let summary = flushResult.summary { report(summary) }
        if let failure {
            Self.printError("simulate: \(failure)")
            throw ExitCode(1)
        }
        if let error = flushResult.error {
            Self.printError("simulate: \(error)")
            throw ExitCode(1)
        }
    }

    private static func installSignalHandlers() {
        let signals = TerminationSignals()
        Task.detached {
            _ = await signals.wait()
            SimulateCommand.stopRequested.store(true, ordering: .relaxed)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

extension SimulateCommand {
    /// Why a record could not be handed on.
    struct SinkError: Error, CustomStringConvertible {
        var description: String
    }

    /// Where `simulate` puts records: Kafka, a JSON-lines file, or nowhere (dry run).
    enum RecordSink {
        case kafka(SimulateKafkaSink)
        case file(FileHandle)
        case discard

        mutating func send(_ record: SimulatedRecordView) throws(SinkError) {
            switch self {
            case .kafka(let sink): try sink.send(record)
            case .file(let handle): handle.write(Data(JSONLines.line(record)))
            case .discard: break
            }
        }

        /// Serves queued delivery reports without waiting.
        func serve() {
            if case .kafka(let sink) = self { sink.producer.poll(timeout: .zero) }
        }

        /// Waits while pacing (serving delivery reports for Kafka).
        func idle(seconds: Double) {
            switch self {
            case .kafka(let sink): sink.producer.poll(timeout: .milliseconds(Int64(seconds * 1000)))
            case .file, .discard: Thread.sleep(forTimeInterval: seconds)
            }
        }

        /// Flushes; returns a delivery summary and the error, if any.
        func finish() -> (summary: String?, error: Error?) {
            switch self {
            case .kafka(let sink):
                do {
                    try sink.producer.close(timeout: .seconds(30))
                } catch {
                    return (sink.summary, error)
                }
                return (
                    sink.summary, sink.failedCount > 0 ? SinkError(description: "some records were not delivered") : nil
                )
            case .file(let handle):
                try? handle.synchronize()
                return (nil, nil)
            case .discard:
                return (nil, nil)
            }
        }
    }

    /// Sends records through the Kafka producer (idempotent, 64 KiB batches, partitioned by key like Java).
    /// Used from the command's loop only (one thread), so its topic cache needs no lock.
    final class SimulateKafkaSink {
        let producer: KafkaProducer
        private var topics: [String: KafkaProducerTopic] = [:]
        let simulatedTimestamps: Bool

        init(configuration: KafkaConfiguration, simulatedTimestamps: Bool) throws(KafkaError) {
            self.simulatedTimestamps = simulatedTimestamps
            let counters = DeliveryCounters()
            producer = try KafkaProducer(configuration: configuration) { report in
                if report.isSuccess {
                    counters.delivered.add(1, ordering: .relaxed)
                } else {
                    counters.failed.add(1, ordering: .relaxed)
                    if counters.failed.load(ordering: .relaxed) <= 5 {
                        SimulateCommand.printError("simulate: delivery failed: \(report.error.map { "\($0)" } ?? "?")")
                    }
                }
            }
            self.counters = counters
        }

        private let counters: DeliveryCounters

        var failedCount: Int { counters.failed.load(ordering: .relaxed) }

        var summary: String {
            "delivered \(counters.delivered.load(ordering: .relaxed)), failed \(counters.failed.load(ordering: .relaxed))"
        }

        func send(_ record: SimulatedRecordView) throws(SinkError) {
            do {
                try producer.send(record, topics: &topics, timestamp: simulatedTimestamps ? record.timestampMs : nil)
            } catch {
                throw SinkError(description: "\(error)")
            }
        }
    }

    /// Delivery-report counters shared with the producer's callback.
    final class DeliveryCounters: Sendable {
        let delivered = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
    }

    /// One JSON object per record: topic, key, timestamp, type, fault, headers, value (text, or base64 when the
    /// bytes are not UTF-8).
    enum JSONLines {
        static func line(_ record: SimulatedRecordView) -> [UInt8] {
            var writer = JSONWriter(capacity: record.value.count + 256)
            writer.beginObject()
            writer.key("topic")
            writer.string(record.topic)
            writer.key("key")
            writer.string(utf8: record.key)
            writer.key("timestamp")
            writer.int(record.timestampMs)
            writer.key("type")
            writer.string(record.eventType.name)
            if let fault = record.fault {
                writer.key("fault")
                writer.string(fault.name)
            }
            if !record.headers.isEmpty {
                writer.key("headers")
                writer.beginObject()
                for header in record.headers {
                    writer.key(header.name)
                    writer.string(header.text)
                }
                writer.endObject()
            }
            if let text = String(validating: Array(record.value), as: UTF8.self) {
                writer.key("value")
                writer.string(text)
            } else {
                writer.key("valueBase64")
                writer.string(Data(record.value).base64EncodedString())
            }
            writer.endObject()
            return writer.bytes + [0x0A]
        }
    }

    /// Instant parsing and formatting for the command line.
    enum CivilTimeText {
        /// `YYYY-MM-DD[Thh:mm[:ss[.fff]](Z|±hh:mm)]` → epoch ms.
        static func instant(_ text: String) -> Int64? {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
            formatter.formatOptions = [.withInternetDateTime]
            if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
            formatter.formatOptions = [.withFullDate]
            if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
            return nil
        }

        /// `2025-03-17T06:15Z`.
        static func minute(_ ms: Int64) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            let text = formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
            return String(text.dropLast(4)) + "Z"
        }
    }
}
