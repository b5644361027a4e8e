import Foundation
import KafkaClient
import Runtime
import Simulator
import Synchronization
import Topology

/// Where a crash run SIGKILLs its processor.
enum KillPoint: Sendable, CustomStringConvertible {
    /// A moment after the process got its partitions.
    case afterAssignment(milliseconds: Int)
    /// As soon as the process starts restoring state.
    case duringRestore
    /// Right after the process flushed its changelogs for the `n`-th time since its assignment (changelog
    /// records, outputs and offsets in flight).
    case afterCheckpoints(Int)
    /// A second instance joins the group; the first is killed as the cooperative rebalance revokes its
    /// partitions. The second instance survives and takes over.
    case duringRebalance

    var description: String {
        switch self {
        case .afterAssignment(let milliseconds): "\(milliseconds) ms after assignment"
        case .duringRestore: "during restore"
        case .afterCheckpoints(let count): "after checkpoint \(count)"
        case .duringRebalance: "during a rebalance (survivor takes over)"
        }
    }
}

/// One crash-consistency run: a simulated plant stream (with quality holds) fed live to two applications on
/// the same input topics — one processor that is never interrupted and one that is SIGKILLed at the given
/// points and restarted in the same group — then their outputs compared.
///
/// The stream is fed at a steady rate in rounds: quality records (holds and releases) are fed on their own,
/// with barriers before and after them (both groups' committed offsets at the end of every input partition),
/// so no output depends on the order in which the processors interleave the quality and production topics.
struct CrashRun {
    let seed: UInt64
    let guarantee: String
    let records: Int
    let kills: [KillPoint]
    let region = "eu-central"
    /// Records fed per second.
    let rate = 1500

    /// What happened.
    struct Outcome {
        var expected: [String: [ReadRecord]] = [:]
        var actual: [String: [ReadRecord]] = [:]
        var tables: [String: (expected: [String: String], actual: [String: String])] = [:]
        var killsDone: [String] = []
        var log: String = ""
        var seconds: Double = 0
        var barrierSeconds: Double = 0
        var barriers = 0

        /// Counts and what the kills hit.
        var summary: String {
            let counts = CrashRun.comparedTopics.map { "\($0) \(expected[$0]?.count ?? 0)/\(actual[$0]?.count ?? 0)" }
            return
                "\(Int(seconds)) s (\(barriers) barriers: \(Int(barrierSeconds)) s); records (uninterrupted/crashed) \(counts.joined(separator: ", ")); kills: "
                + killsDone.joined(separator: "; ")
        }
    }

    static let comparedTopics = ["erp.txn.v1", "erp.txn.exception.v1", "mfg.oee.v1", "mfg.dlq.v1"]
    static let tableTopics = ["mfg.lotstatus.v1", "mfg.holdindex.v1"]

    func run() async throws -> Outcome {
        let began = ContinuousClock.now
        // Three brokers lead the partitions in turn, one of them slow: the records of one changelog flush travel
        // in several produce requests that are acknowledged at different times, so a kill often lands between
        // them (some of a checkpoint's records durable, others lost).
        let cluster = try KafkaEmbeddedCluster(brokers: 3, logger: TestKafka.logger)
        try cluster.setRoundTripTime(broker: 2, milliseconds: 40)
        let directory = try RuntimeTestPaths.temporaryDirectory("crash-\(seed)")
        let name = guarantee == "exactly_once" ? "eos" : "alo"
        let uninterrupted = try FixtureTopology(
            application: "crash-\(name)-\(seed)-u", prefix: "u.", directory: directory)
        let crashed = try FixtureTopology(application: "crash-\(name)-\(seed)-c", prefix: "c.", directory: directory)
        _ = try await TestTopics.create(for: [uninterrupted, crashed], region: region, cluster: cluster)
        let topology = try TopologyLoader(environment: [:]).load(contentsOf: uninterrupted.path)
        let feeder = try Feeder(cluster: cluster)
        defer { feeder.close() }
        let rounds = try Self.rounds(
            topology: topology, directory: directory, region: region, seed: seed, count: records)

        let environment = ["PLANTSTREAM_GUARANTEE": guarantee]
        let bootstrap = cluster.bootstrapServers
        let region = self.region
        @Sendable func arguments(_ fixture: FixtureTopology, instance: String) -> [String] {
            ProcessorProcess.arguments(topology: fixture.path, region: region, bootstrap: bootstrap)
                + ["--instance-id", instance, "--log-level", "debug"]
        }
        let reference = try ProcessorProcess(
            arguments: arguments(uninterrupted, instance: "u"), environment: environment)
        let groups = [uninterrupted.application + "-" + region, crashed.application + "-" + region]
        let killer = Killer(start: { instance in
            try ProcessorProcess(arguments: arguments(crashed, instance: instance), environment: environment)
        })

        // The crashed application's processes: started, killed at each point, restarted; the last one stays up.
        async let killing: [String] = killer.run(kills)
        var barrierTime = Duration.zero
        var barriers = 0
        do {
            for round in rounds {
                try await Self.feed(round.records, rate: rate, feeder: feeder)
                if round.barrier {
                    let waited = ContinuousClock.now
                    try await Self.waitUntilCaughtUp(
                        groups: groups, feeder: feeder, processes: { [reference] + killer.live })
                    barrierTime += ContinuousClock.now - waited
                    barriers += 1
                }
            }
            try await Self.waitUntilCaughtUp(
                groups: groups, feeder: feeder, processes: { [reference] + killer.live })
        } catch {
            reference.kill()
            killer.killAll()
            _ = try? await killing
            killer.killAll()
            throw error
        }
        var outcome = Outcome()
        outcome.barriers = barriers
        outcome.barrierSeconds = Double(barrierTime.components.seconds)
        outcome.killsDone = try await killing
        // Everything is processed and committed: stop both applications gracefully.
        try await Self.waitUntilCaughtUp(groups: groups, feeder: feeder, processes: { [reference] + killer.live })
        let referenceExit = try await Self.stop(reference)
        let crashedExits = try await killer.stopAll()
        outcome.log = "reference: \(reference.standardError.suffix(4000))\ncrashed: \(killer.logTail)"
        guard referenceExit == 0, crashedExits.allSatisfy({ $0 == 0 }) else {
            throw HarnessError(
                "a processor did not stop cleanly (reference \(referenceExit), crashed \(crashedExits))\n\(outcome.log)"
            )
        }
        for topic in Self.comparedTopics {
            outcome.expected[topic] = try await TestKafka.readAll([uninterrupted.topic(topic)], cluster: cluster)
            outcome.actual[topic] = try await TestKafka.readAll([crashed.topic(topic)], cluster: cluster)
        }
        outcome.seconds = Double((ContinuousClock.now - began).components.seconds)
        for topic in Self.tableTopics {
            outcome.tables[topic] = (
                Self.latest(try await TestKafka.readAll([uninterrupted.topic(topic)], cluster: cluster)),
                Self.latest(try await TestKafka.readAll([crashed.topic(topic)], cluster: cluster))
            )
        }
        return outcome
    }

    /// The latest value per key of a compacted topic.
    static func latest(_ records: [ReadRecord]) -> [String: String] {
        var latest: [String: String] = [:]
        for record in records { latest[record.keyString] = record.valueString }
        return latest
    }

    // MARK: Input

    struct Round {
        var records: [TestKafka.Outgoing]
        /// Wait for both applications to commit everything fed so far before the next round.
        var barrier: Bool
    }

    /// The simulated stream in rounds: runs of production and machine records, and runs of quality records,
    /// each followed by a barrier.
    static func rounds(topology: Topology, directory: String, region: String, seed: UInt64, count: Int) throws
        -> [Round]
    {
        let scenario = try PlantScenario.load(topology: topology, directory: directory, region: region)
        var simulator = try PlantSimulator(
            scenario: scenario,
            configuration: SimulatorConfiguration(
                seed: seed, holdsPerPlantPerDay: 96,
                faults: FaultConfiguration(
                    duplicateShare: 0.05, outOfOrderMaxDelayMs: 90_000, lateShare: 0.01, invalidShare: 0.002)))
        let quality = topology.source(named: "quality")?.topic ?? "mfg.quality.v1"
        var rounds: [Round] = []
        for record in simulator.records(count: count) {
            let outgoing = TestKafka.Outgoing(
                topic: record.topic, key: record.key, value: record.value,
                headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) })
            let isQuality = record.topic == quality
            if let last = rounds.last, (last.records.first?.topic == quality) == isQuality {
                rounds[rounds.count - 1].records.append(outgoing)
            } else {
                rounds.append(Round(records: [outgoing], barrier: true))
            }
        }
        return rounds
    }

    /// Produces records at `rate` per second; the feeder learns each partition's end offset from the delivery
    /// reports.
    static func feed(_ records: [TestKafka.Outgoing], rate: Int, feeder: Feeder) async throws {
        let chunk = max(rate / 10, 1)
        var start = 0
        while start < records.count {
            let end = min(start + chunk, records.count)
            let began = ContinuousClock.now
            try await feeder.produce(Array(records[start..<end]))
            let spent = ContinuousClock.now - began
            let target = Duration.milliseconds(1000 * (end - start) / rate)
            if spent < target { try await Task.sleep(for: target - spent) }
            start = end
        }
    }

    /// Waits until every group committed every input partition to the end the feeder produced to.
    static func waitUntilCaughtUp(
        groups: [String], feeder: Feeder, processes: () -> [ProcessorProcess], seconds: Int = 180
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            var behind: [String] = []
            for group in groups { behind += try await feeder.partitionsBehind(group: group) }
            if behind.isEmpty { return }
            for process in processes() where process.exitStatus != nil {
                throw HarnessError("a processor exited while input was pending: \(process.standardError.suffix(6000))")
            }
            guard ContinuousClock.now < deadline else {
                throw HarnessError(
                    "not caught up within \(seconds) s: \(behind.prefix(8))\n"
                        + processes().map { String($0.standardError.suffix(3000)) }.joined(separator: "\n---\n"))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// SIGTERM, then the exit status.
    static func stop(_ process: ProcessorProcess) async throws -> Int32 {
        process.terminate()
        return try await process.waitForExit(seconds: 60)
    }
}

/// Runs the crashed application's processes: kills them at the kill points and restarts them.
final class Killer: Sendable {
    private let start: @Sendable (String) throws -> ProcessorProcess
    private let processes = Mutex<[ProcessorProcess]>([])
    private let killed = Mutex<[ProcessorProcess]>([])

    init(start: @escaping @Sendable (String) throws -> ProcessorProcess) {
        self.start = start
    }

    /// The processes still running.
    var live: [ProcessorProcess] { processes.withLock { $0 } }

    /// The end of every killed and live process's log.
    var logTail: String {
        (killed.withLock { $0 } + live).map { String($0.standardError.suffix(2500)) }.joined(separator: "\n---\n")
    }

    /// Applies the kill points in order; returns what was done.
    func run(_ kills: [KillPoint]) async throws -> [String] {
        var done: [String] = []
        var instance = 1
        processes.withLock { $0 = [] }
        var current = try start("c\(instance)")
        processes.withLock { $0.append(current) }
        for kill in kills {
            let fired = try await trigger(kill, on: current, instance: &instance)
            // The process to kill may have been replaced by the survivor of a rebalance.
            let victim = fired.victim
            processes.withLock { $0.removeAll { $0 === victim } }
            killed.withLock { $0.append(victim) }
            victim.kill()
            _ = try await victim.waitForExit(seconds: 30)
            done.append("\(kill): \(fired.how)")
            if let survivor = fired.survivor {
                current = survivor
            } else {
                instance += 1
                current = try start("c\(instance)")
                processes.withLock { $0.append(current) }
            }
        }
        return done
    }

    /// Waits for the kill point's moment; returns whom to kill, how it fired and a survivor if one took over.
    private func trigger(_ kill: KillPoint, on process: ProcessorProcess, instance: inout Int) async throws -> (
        victim: ProcessorProcess, survivor: ProcessorProcess?, how: String
    ) {
        switch kill {
        case .afterAssignment(let milliseconds):
            let seen = try await wait(for: "partitions assigned", in: process, count: 1, seconds: 60)
            try await Task.sleep(for: .milliseconds(milliseconds))
            return (process, nil, seen ? "killed" : "killed (no assignment seen)")
        case .duringRestore:
            let seen = try await wait(for: "restoring state", in: process, count: 1, seconds: 60)
            return (process, nil, seen ? "killed at restore start" : "killed (no restore seen)")
        case .afterCheckpoints(let count):
            _ = try await wait(for: "partitions assigned", in: process, count: 1, seconds: 60)
            let seen = try await wait(
                for: "checkpoint", in: process, count: count, from: process.lineCount, seconds: 8)
            return (process, nil, seen ? "killed after a flush" : "killed (fewer flushes)")
        case .duringRebalance:
            _ = try await wait(for: "partitions assigned", in: process, count: 1, seconds: 60)
            instance += 1
            let survivor = try start("c\(instance)")
            processes.withLock { $0.append(survivor) }
            // (On the embedded broker the first member often loses its partitions in the rebalance a joining
            // member starts, instead of revoking some: either is the moment.)
            let revoked = try await wait(
                for: "partitions revoked", or: ["partitions lost"], in: process, count: 1, seconds: 40)
            var detail = ""
            if !revoked {
                let first: [String] = process.standardError.split(separator: "\n").map(String.init)
                let second: [String] = survivor.standardError.split(separator: "\n").map(String.init)
                let a = first.filter { $0.contains("partitions") }.map { String($0.prefix(160)) }
                let b = second.filter { $0.contains("partitions") || $0.contains("error") }.map {
                    String($0.prefix(160))
                }
                detail = " A: " + a.joined(separator: " | ") + " B: " + b.joined(separator: " | ")
            }
            return (
                process, survivor,
                revoked ? "killed as it revoked or lost partitions" : "killed (no revoke seen)" + detail
            )
        }
    }

    /// Waits until `count` lines from line `start` on contain `text` (or one of `alternatives`), or the time is
    /// up; fails when the process exits.
    private func wait(
        for text: String, or alternatives: [String] = [], in process: ProcessorProcess, count: Int, from start: Int = 0,
        seconds: Int
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var scanned = start
        var found = 0
        while ContinuousClock.now < deadline {
            let available = process.lineCount
            if available > scanned {
                for candidate in [text] + alternatives {
                    found += process.lines(containing: candidate, in: scanned..<available)
                }
                scanned = available
                if found >= count { return true }
            }
            if let status = process.exitStatus {
                throw HarnessError("the crashed processor exited (\(status)): \(process.standardError.suffix(6000))")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    /// Kills every live process (after a harness failure).
    func killAll() {
        for process in live { process.kill() }
    }

    /// SIGTERM to every live process once it is past start-up (its signal handlers installed); their exit
    /// statuses.
    func stopAll() async throws -> [Int32] {
        var statuses: [Int32] = []
        for process in live { _ = try await wait(for: "processing", in: process, count: 1, seconds: 60) }
        for process in live { process.terminate() }
        for process in live { statuses.append(try await process.waitForExit(seconds: 60)) }
        return statuses
    }
}

/// Produces the input with one producer and remembers, from the delivery reports, where each partition ends;
/// reads committed offsets with one admin client.
final class Feeder: Sendable {
    private let producer: KafkaProducer
    private let admin: KafkaAdmin
    private let thread = KafkaThread(name: "crash-feeder")
    private let state = State()

    private final class State: Sendable {
        let ends = Mutex<[KafkaTopicPartition: Int64]>([:])
        let topics = Mutex<[String]>([])
    }

    init(cluster: KafkaEmbeddedCluster) throws {
        let state = self.state
        producer = try KafkaProducer(
            configuration: cluster.configuration(["linger.ms": "1", "max.in.flight.requests.per.connection": "1"]),
            logger: TestKafka.logger
        ) { report in
            guard report.error == nil else { return }
            let topic = state.topics.withLock { $0[Int(report.token)] }
            state.ends.withLock { ends in
                let key = KafkaTopicPartition(topic: topic, partition: report.partition)
                ends[key] = max(ends[key] ?? 0, report.offset + 1)
            }
        }
        admin = try KafkaAdmin(configuration: cluster.configuration(), logger: TestKafka.logger)
    }

    /// Produces records in order and waits for their acknowledgement.
    func produce(_ records: [TestKafka.Outgoing]) async throws {
        let producer = self.producer
        let state = self.state
        try await thread.run {
            for record in records {
                let token = state.topics.withLock { names in
                    if let index = names.firstIndex(of: record.topic) { return index }
                    names.append(record.topic)
                    return names.count - 1
                }
                try producer.send(
                    topic: record.topic, key: record.key, value: record.value, headers: record.headers,
                    token: UInt64(token))
            }
            try producer.flush(timeout: .seconds(30))
        }
    }

    /// The partitions whose committed offset in `group` is below the end the feeder produced to.
    func partitionsBehind(group: String) async throws -> [String] {
        let targets = state.ends.withLock { $0 }
        let admin = self.admin
        return try await thread.run {
            let committed = try admin.committedOffsets(
                group: group, partitions: targets.keys.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.unset) },
                timeout: .seconds(10))
            return committed.compactMap { entry in
                guard let end = targets[entry.topicPartition], entry.offset < end else { return nil }
                return "\(group) \(entry.topicPartition) at \(entry.offset) of \(end)"
            }
        }
    }

    func close() {
        try? producer.close(timeout: .seconds(10))
        thread.shutdown()
    }
}
