import ArgumentParser
import Demo
import Foundation
import JSON
import KafkaClient
import Runtime
import Simulator
import Topology

/// `plantstream simulate`: realistic plant events sent to Kafka as the topology routes them.
struct SimulateCommand: AsyncParsableCommand {
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

    @Flag(
        help: ArgumentHelp(
            "Send machine cycles, states and telemetry as Sparkplug B from one edge node per line (group = plant, "
                + "device = machine) to the topology's sparkplug_b source."))
    var sparkplug = false

    @Option(help: ArgumentHelp("With --sparkplug: share of DATA messages lost (sequence gaps).", valueName: "SHARE"))
    var sparkplugLost = 0.0

    @Option(
        help: ArgumentHelp(
            "With --sparkplug: share of DATA messages after which the edge node reconnects (NDEATH, rebirth).",
            valueName: "SHARE"))
    var sparkplugReconnects = 0.0

    @Flag(help: "Generate without Kafka and report the generation rate.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "Write records as JSON lines to a file (or - for standard output) instead of Kafka.", valueName: "FILE"))
    var output: String?

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
        if !sparkplug && (sparkplugLost != 0 || sparkplugReconnects != 0) {
            throw ValidationError("--sparkplug-lost and --sparkplug-reconnects need --sparkplug")
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

    func run() async throws {
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
                holdsPerPlantPerDay: holdsPerDay, faults: try FaultConfiguration(parsing: faults),
                sparkplug: sparkplug
                    ? SparkplugSimulation(lostShare: sparkplugLost, reconnectShare: sparkplugReconnects) : nil)
            simulator = try PlantSimulator(scenario: scenario, configuration: configuration)
            Self.printError(
                "simulate: \(scenario.plantIDs.joined(separator: ", ")): \(scenario.lineCount) lines, "
                    + "\(scenario.machineCount) machines; topics \(simulator.topics.joined(separator: ", ")); seed \(seed)"
            )
        } catch {
            Self.printError("simulate: \(error.message)")
            throw ExitCode(1)
        }
        let service = SimulatorService(
            simulator: simulator,
            pacing: rate.map { .rate($0) } ?? (events == nil && !dryRun ? .rate(100) : .unpaced),
            limits: SimulatorService.Limits(
                records: events,
                wallTime: duration.flatMap(DurationValue.init(parsing:)).map { .milliseconds($0.milliseconds) }),
            makeSink: try makeSink(topology: topologyValue))
        let signals = TerminationSignals()
        let stopOnSignal = Task.detached {
            _ = await signals.wait()
            service.requestStop()
        }
        let progressLines = Task.detached { await Self.printProgress(of: service) }
        defer {
            stopOnSignal.cancel()
            progressLines.cancel()
        }
        var failure: (any Error)?
        do { try await service.run() } catch { failure = error }
        report(service.progress, startMs: simulator.startMs)
        if let failure {
            Self.printError("simulate: \(failure)")
            throw ExitCode(1)
        }
    }

    /// The sink the options ask for; its resources are opened on the service's thread.
    private func makeSink(
        topology: Topology
    ) throws -> @Sendable () throws(SimulatorSinkError) -> any SimulatedRecordSink {
        if dryRun { return { () throws(SimulatorSinkError) in DiscardingRecordSink() } }
        if let output {
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
            return { () throws(SimulatorSinkError) in JSONLinesRecordSink(handle: handle) }
        }
        let declared = regionOptions.region.flatMap { topology.region(named: $0) }
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
        let simulatedTimestamps = recordTimestamps == "simulated"
        let settings = configuration
        return { () throws(SimulatorSinkError) in
            do {
                return try KafkaRecordSink(configuration: settings, simulatedTimestamps: simulatedTimestamps) {
                    Self.printError("simulate: \($0)")
                }
            } catch {
                throw SimulatorSinkError("\(error)")
            }
        }
    }

    /// A progress line on standard error about once a second.
    private static func printProgress(of service: SimulatorService) async {
        var last = service.progress
        while (try? await Task.sleep(for: .seconds(1))) != nil {
            let now = service.progress
            let seconds =
                Double((now.elapsed - last.elapsed).components.attoseconds) / 1e18
                + Double((now.elapsed - last.elapsed).components.seconds)
            let rate = Double(now.records - last.records) / max(0.001, seconds)
            printError(
                "simulate: \(now.records) sent, \(Int(rate.rounded()))/s, sim "
                    + CivilTimeText.minute(now.simulatedTime) + " | " + (now.statistics?.shortSummary ?? "starting"))
            last = now
        }
    }

    /// Events per type, faults, the rate and the sink's summary.
    private func report(_ progress: SimulatorService.Progress, startMs: Int64) {
        // With records on standard output, the report goes to standard error.
        let report: (String) -> Void = output == "-" ? { Self.printError($0) } : { print($0) }
        let seconds = max(
            0.001,
            Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) / 1e18)
        if let statistics = progress.statistics { report(statistics.report) }
        report(
            "sent \(progress.records) records in \(String(format: "%.2f", seconds)) s "
                + "(\(Int((Double(progress.records) / seconds).rounded())) records/s); simulated "
                + "\(CivilTimeText.minute(startMs)) – \(CivilTimeText.minute(max(progress.simulatedTime, startMs)))")
        if let summary = progress.sinkSummary { report(summary) }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

extension SimulateCommand {
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
