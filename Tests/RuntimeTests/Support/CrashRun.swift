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

/// A fault of the crashed application's cluster (the reference application runs on a cluster of its own).
struct ClusterFault: Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        /// Every broker down for this long, then up again.
        case brokersDown(seconds: Int)
        /// The next requests of an API fail with these errors, one each.
        case requestErrors(KafkaAPIKey, [KafkaResponseError])
        /// The leaders of the input and output partitions move to another broker.
        case leaderMove
        /// An output topic is reported as not existing (metadata `UNKNOWN_TOPIC_OR_PART`) for this long; the
        /// processor's producer fails what it holds for the topic (give it a short metadata refresh interval).
        case topicGone(String, seconds: Int)
    }

    /// Applied once this many records were fed.
    var after: Int
    var kind: Kind

    var description: String {
        switch kind {
        case .brokersDown(let seconds): "every broker down for \(seconds) s after \(after) records"
        case .requestErrors(let api, let errors):
            "\(errors.count) errors on \(api) (\(errors.map(\.name).joined(separator: ", "))) after \(after) records"
        case .leaderMove: "partition leaders moved after \(after) records"
        case .topicGone(let topic, let seconds): "\(topic) gone for \(seconds) s after \(after) records"
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
    var faults: [ClusterFault] = []
    /// More arguments of the crashed application's processors.
    var extraArguments: [String] = []
    let region = "eu-central"
    /// Records fed per second.
    let rate = 1500

    /// What happened.
    struct Outcome {
        var expected: [String: [ReadRecord]] = [:]
        var actual: [String: [ReadRecord]] = [:]
        var tables: [String: (expected: [String: String], actual: [String: String])] = [:]
        var killsDone: [String] = []
        var faultsDone: [String] = []
        var log: String = ""
        /// Lines of the crashed application's logs about the cluster's reachability.
        var reachabilityLines: [String] = []
        var seconds: Double = 0
        var barrierSeconds: Double = 0
        var barriers = 0

        /// Counts and what the kills hit.
        var summary: String {
            let counts = CrashRun.comparedTopics.map { "\($0) \(expected[$0]?.count ?? 0)/\(actual[$0]?.count ?? 0)" }
            return
                "\(Int(seconds)) s (\(barriers) barriers: \(Int(barrierSeconds)) s); records (uninterrupted/crashed) \(counts.joined(separator: ", ")); kills: "
                + killsDone.joined(separator: "; ") + (faultsDone.isEmpty ? "" : "; faults: ")
                + faultsDone.joined(separator: "; ")
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
        // The uninterrupted application has a cluster of its own: no kill or fault touches it.
        let referenceCluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
        let directory = try RuntimeTestPaths.temporaryDirectory("crash-\(seed)")
        let name = guarantee == "exactly_once" ? "eos" : "alo"
        let uninterrupted = try FixtureTopology(
            application: "crash-\(name)-\(seed)-u", prefix: "u.", directory: directory)
        let crashed = try FixtureTopology(application: "crash-\(name)-\(seed)-c", prefix: "c.", directory: directory)
        let partitions = try await TestTopics.create(for: [crashed], region: region, cluster: cluster)
        _ = try await TestTopics.create(for: [uninterrupted], region: region, cluster: referenceCluster)
        let topology = try TopologyLoader(environment: [:]).load(contentsOf: uninterrupted.path)
        let feeder = try Feeder(clusters: [cluster, referenceCluster])
        defer { feeder.close() }
        let rounds = try Self.rounds(
            topology: topology, directory: directory, region: region, seed: seed, count: records)

        let environment = ["PLANTSTREAM_GUARANTEE": guarantee]
        let region = self.region
        @Sendable func arguments(_ fixture: FixtureTopology, _ cluster: KafkaEmbeddedCluster, instance: String)
            -> [String]
        {
            ProcessorProcess.arguments(topology: fixture.path, region: region, bootstrap: cluster.bootstrapServers)
                + ["--instance-id", instance, "--log-level", "debug"]
        }
        let reference = try ProcessorProcess(
            arguments: arguments(uninterrupted, referenceCluster, instance: "u"), environment: environment)
        let groups = [(crashed.application + "-" + region, 0), (uninterrupted.application + "-" + region, 1)]
        let extraArguments = self.extraArguments
        let killer = Killer(start: { instance in
            try ProcessorProcess(
                arguments: arguments(crashed, cluster, instance: instance) + extraArguments, environment: environment)
        })

        // The crashed application's processes: started, killed at each point, restarted; the last one stays up.
        async let killing: [String] = killer.run(kills)
        var barrierTime = Duration.zero
        var barriers = 0
        var pendingFaults = faults
        var faultsDone: [String] = []
        var recovering: [Task<Void, any Error>] = []
        let inputs = partitions.filter { topology.sources.map(\.topic).contains($0.key) }
        let outputs = partitions.filter { name in crashed.prefix.isEmpty || name.key.hasPrefix(crashed.prefix) }
        do {
            for round in rounds {
                try await Self.feed(round.records, rate: rate, feeder: feeder) { fed in
                    while let fault = pendingFaults.first, fault.after <= feeder.fed {
                        pendingFaults.removeFirst()
                        faultsDone.append(fault.description)
                        if let task = try Self.apply(fault, to: cluster, inputs: inputs, outputs: outputs) {
                            recovering.append(task)
                        }
                    }
                }
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
        for task in recovering { try await task.value }
        var outcome = Outcome()
        outcome.faultsDone = faultsDone
        outcome.barriers = barriers
        outcome.barrierSeconds = Double(barrierTime.components.seconds)
        outcome.killsDone = try await killing
        // Everything is processed and committed: stop both applications gracefully.
        try await Self.waitUntilCaughtUp(groups: groups, feeder: feeder, processes: { [reference] + killer.live })
        let referenceExit = try await Self.stop(reference)
        let crashedExits = try await killer.stopAll()
        outcome.log = "reference: \(reference.standardError.suffix(4000))\ncrashed: \(killer.logTail)"
        outcome.reachabilityLines =
            killer.lines(containing: "cluster unreachable") + killer.lines(containing: "cluster reachable")
        guard referenceExit == 0, crashedExits.allSatisfy({ $0 == 0 }) else {
            throw HarnessError(
                "a processor did not stop cleanly (reference \(referenceExit), crashed \(crashedExits))\n\(outcome.log)"
            )
        }
        for topic in Self.comparedTopics {
            outcome.expected[topic] = try await TestKafka.readAll(
                [uninterrupted.topic(topic)], cluster: referenceCluster)
            outcome.actual[topic] = try await TestKafka.readAll([crashed.topic(topic)], cluster: cluster)
        }
        outcome.seconds = Double((ContinuousClock.now - began).components.seconds)
        for topic in Self.tableTopics {
            outcome.tables[topic] = (
                Self.latest(try await TestKafka.readAll([uninterrupted.topic(topic)], cluster: referenceCluster)),
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
            let outgoing = TestKafka.Outgoing(record)
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
    static func feed(
        _ records: [TestKafka.Outgoing], rate: Int, feeder: Feeder, afterChunk: (Int) throws -> Void = { _ in }
    ) async throws {
        let chunk = max(rate / 10, 1)
        var start = 0
        while start < records.count {
            let end = min(start + chunk, records.count)
            let began = ContinuousClock.now
            try await feeder.produce(Array(records[start..<end]))
            try afterChunk(feeder.fed)
            let spent = ContinuousClock.now - began
            let target = Duration.milliseconds(1000 * (end - start) / rate)
            if spent < target { try await Task.sleep(for: target - spent) }
            start = end
        }
    }

    /// Applies a fault; returns the task that ends it, if it lasts.
    static func apply(
        _ fault: ClusterFault, to cluster: KafkaEmbeddedCluster, inputs: [String: Int], outputs: [String: Int]
    ) throws -> Task<Void, any Error>? {
        switch fault.kind {
        case .brokersDown(let seconds):
            for broker in Int32(1)...3 { try cluster.setBrokerDown(broker) }
            return Task {
                try await Task.sleep(for: .seconds(seconds))
                for broker in Int32(1)...3 { try cluster.setBrokerUp(broker) }
            }
        case .requestErrors(let api, let errors):
            cluster.injectRequestErrors(errors, api: api)
            return nil
        case .leaderMove:
            // Every partition of the inputs and outputs moves to the next broker (mock leaders are assigned in turn).
            for (topic, count) in inputs.merging(outputs, uniquingKeysWith: { a, _ in a }) {
                for partition in 0..<Int32(count) {
                    try cluster.setPartitionLeader(topic: topic, partition: partition, broker: (partition + 1) % 3 + 1)
                }
            }
            return nil
        case .topicGone(let name, let seconds):
            guard let topic = outputs.keys.first(where: { $0 == name || $0.hasSuffix("." + name) }) else {
                throw HarnessError("no output topic \(name) in \(outputs.keys.sorted())")
            }
            cluster.setTopicError(topic: topic, error: .unknownTopicOrPartition)
            return Task {
                try await Task.sleep(for: .seconds(seconds))
                cluster.setTopicError(topic: topic, error: nil)
            }
        }
    }

    /// Waits until every group (with the index of its cluster in the feeder) committed every input partition to
    /// the end the feeder produced to.
    static func waitUntilCaughtUp(
        groups: [(String, Int)], feeder: Feeder, processes: () -> [ProcessorProcess], seconds: Int = 240
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            var behind: [String] = []
            for (group, cluster) in groups {
                behind += try await feeder.partitionsBehind(group: group, cluster: cluster)
            }
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

    /// The lines of every process's log that contain `text`.
    func lines(containing text: String) -> [String] {
        (killed.withLock { $0 } + live).flatMap { process in
            process.standardError.split(separator: "\n").filter { $0.contains(text) }.map(String.init)
        }
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

/// Produces the input to every cluster (one producer each) and remembers, from the delivery reports of the first,
/// where each partition ends (the same records go to the same partitions everywhere); reads committed offsets with
/// one admin client per cluster.
///
/// The producers are idempotent and a failed delivery fails the feed: a cluster fault (a leader moving under the
/// feed) must not leave the clusters with different inputs — a retried request would otherwise write a record
/// twice or a record could be dropped, and every later offset of that partition would differ between the runs.
final class Feeder: Sendable {
    private let producers: [KafkaProducer]
    private let admins: [KafkaAdmin]
    private let thread = KafkaThread(name: "crash-feeder")
    private let state = State()

    private final class State: Sendable {
        let ends = Mutex<[KafkaTopicPartition: Int64]>([:])
        let topics = Mutex<[String]>([])
        let fed = Mutex(0)
        /// Deliveries that failed, per cluster.
        let failures = Mutex<[String]>([])
    }

    init(clusters: [KafkaEmbeddedCluster]) throws {
        let state = self.state
        var producers: [KafkaProducer] = []
        var admins: [KafkaAdmin] = []
        for (index, cluster) in clusters.enumerated() {
            producers.append(
                try KafkaProducer(
                    configuration: cluster.configuration([
                        "linger.ms": "1", "max.in.flight.requests.per.connection": "1", "enable.idempotence": "true",
                    ]),
                    logger: TestKafka.logger
                ) { report in
                    if let error = report.error {
                        state.failures.withLock { $0.append("cluster \(index): \(error)") }
                        return
                    }
                    guard index == 0 else { return }
                    let topic = state.topics.withLock { $0[Int(report.token)] }
                    state.ends.withLock { ends in
                        let key = KafkaTopicPartition(topic: topic, partition: report.partition)
                        ends[key] = max(ends[key] ?? 0, report.offset + 1)
                    }
                })
            admins.append(try KafkaAdmin(configuration: cluster.configuration(), logger: TestKafka.logger))
        }
        self.producers = producers
        self.admins = admins
    }

    /// Records fed so far.
    var fed: Int { state.fed.withLock { $0 } }

    /// Produces records in order to every cluster and waits for their acknowledgement.
    func produce(_ records: [TestKafka.Outgoing]) async throws {
        let producers = self.producers
        let state = self.state
        try await thread.run {
            for record in records {
                let token = state.topics.withLock { names in
                    if let index = names.firstIndex(of: record.topic) { return index }
                    names.append(record.topic)
                    return names.count - 1
                }
                for producer in producers {
                    try producer.send(
                        topic: record.topic, key: record.key, value: record.value, headers: record.headers,
                        token: UInt64(token))
                }
            }
            // A cluster that is down holds this up until it is back.
            for producer in producers { try producer.flush(timeout: .seconds(120)) }
        }
        let failures = state.failures.withLock { $0 }
        if !failures.isEmpty {
            throw HarnessError("the input could not be produced to every cluster: \(failures.prefix(3))")
        }
        state.fed.withLock { $0 += records.count }
    }

    /// The partitions whose committed offset in `group` (on the cluster at `cluster`) is below the end fed.
    func partitionsBehind(group: String, cluster: Int) async throws -> [String] {
        let targets = state.ends.withLock { $0 }
        let admin = admins[cluster]
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
        for producer in producers { try? producer.close(timeout: .seconds(10)) }
        thread.shutdown()
    }
}
