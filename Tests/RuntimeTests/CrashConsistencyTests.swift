import Foundation
import KafkaClient
import Testing

/// The commit protocol under SIGKILL: `plantstream run` processes a live simulated plant stream (duplicates,
/// out-of-order, late and invalid events, quality holds and releases) and is killed at seeded points — a
/// moment after assignment, at the start of a restore, right after a changelog flush, during a cooperative
/// rebalance with a second instance (which survives and takes over) — and restarted in the same group. After
/// dropping repeats of identical records its outputs must equal an uninterrupted run's exactly: nothing
/// missing, nothing extra, no idempotency key with two contents; its global-table topics end equal.
extension RuntimeProcessTests {
    @Suite struct CrashConsistencyTests {
        /// Five seeds × four kill points per guarantee; every kind of point appears five times.
        static let plans: [(seed: UInt64, kills: [KillPoint])] = [
            (11, [.duringRestore, .afterCheckpoints(2), .afterAssignment(milliseconds: 1500), .duringRebalance]),
            (23, [.afterCheckpoints(1), .duringRebalance, .duringRestore, .afterAssignment(milliseconds: 2500)]),
            (37, [.afterAssignment(milliseconds: 1000), .duringRestore, .duringRebalance, .afterCheckpoints(3)]),
            (41, [.duringRebalance, .afterAssignment(milliseconds: 3500), .afterCheckpoints(1), .duringRestore]),
            (53, [.afterCheckpoints(4), .afterAssignment(milliseconds: 2000), .duringRestore, .duringRebalance]),
        ]

        @Test func atLeastOnceKilledProcessorsWriteWhatAnUninterruptedOneWrites() async throws {
            try await Self.check(guarantee: "at_least_once")
        }

        @Test func exactlyOnceKilledProcessorsWriteWhatAnUninterruptedOneWrites() async throws {
            try await Self.check(guarantee: "exactly_once")
        }

        static func check(guarantee: String) async throws {
            // Three seeds at a time: most of a run is spent waiting for a killed member's session to expire, and
            // more at once starve the other suites' group protocols on a 2-core machine.
            var failures: [String] = []
            var killCount = 0
            for wave in stride(from: 0, to: plans.count, by: 3) {
                try await withThrowingTaskGroup(of: (UInt64, CrashRun.Outcome).self) { group in
                    for plan in plans[wave..<min(wave + 3, plans.count)] {
                        group.addTask {
                            let run = CrashRun(seed: plan.seed, guarantee: guarantee, records: 7000, kills: plan.kills)
                            return (plan.seed, try await run.run())
                        }
                    }
                    for try await (seed, outcome) in group {
                        killCount += outcome.killsDone.count
                        print("crash run \(guarantee) seed \(seed): \(outcome.summary)")
                        failures += compare(outcome).map { "seed \(seed): \($0)" }
                        if outcome.killsDone.count != 4 {
                            failures.append("seed \(seed): only \(outcome.killsDone) happened")
                        }
                    }
                }
            }
            #expect(killCount == 20)
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        }

        /// The differences between the crashed application's outputs and the uninterrupted one's.
        static func compare(_ outcome: CrashRun.Outcome, minimumTransactions: Int = 100) -> [String] {
            var problems: [String] = []
            for topic in CrashRun.comparedTopics {
                let expected = outcome.expected[topic] ?? []
                let actual = outcome.actual[topic] ?? []
                if topic == "erp.txn.v1", expected.count < minimumTransactions {
                    problems.append("\(topic): only \(expected.count) records (too few to mean anything)")
                }
                let expectedSet = Set(expected.map(RestartTests.content))
                if expectedSet.count != expected.count {
                    problems.append("\(topic): the uninterrupted run repeated a record")
                }
                var byKey: [String: Set<String>] = [:]
                for record in actual {
                    byKey[RestartTests.identity(record), default: []].insert(RestartTests.content(record))
                }
                for (key, contents) in byKey where contents.count > 1 {
                    problems.append("\(topic): idempotency key \(key) has \(contents.count) contents: \(contents)")
                }
                let actualSet = Set(actual.map(RestartTests.content))
                for missing in expectedSet.subtracting(actualSet).sorted().prefix(5) {
                    problems.append("\(topic): missing \(missing)")
                }
                for extra in actualSet.subtracting(expectedSet).sorted().prefix(5) {
                    problems.append("\(topic): extra \(extra)")
                }
            }
            for (topic, tables) in outcome.tables where tables.expected != tables.actual {
                problems.append("\(topic): the table topics end differently")
            }
            if !problems.isEmpty { problems.append("kills: \(outcome.killsDone)\n\(outcome.log)") }
            return problems
        }
    }
}
