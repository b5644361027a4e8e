import Foundation
import KafkaClient
import Testing

/// The cluster misbehaves under a running `plantstream run`: every broker down for 30 s, request errors on
/// Produce, OffsetCommit, TxnOffsetCommit and EndTxn, partition leaders moving. The processor rides it out and
/// writes what an undisturbed processor on a cluster of its own writes: nothing missing, nothing extra, no
/// idempotency key with two contents.
extension RuntimeProcessTests {
    @Suite struct ClusterFaultTests {
        struct Case: Sendable, CustomStringConvertible {
            var name: String
            var guarantee: String
            var faults: [ClusterFault]
            var arguments: [String] = []
            var description: String { name }
        }

        static let cases: [Case] = [
            Case(
                name: "every broker down for 30 s", guarantee: "at_least_once",
                faults: [ClusterFault(after: 1500, kind: .brokersDown(seconds: 30))]),
            Case(
                name: "every broker down for 30 s (exactly once)", guarantee: "exactly_once",
                faults: [ClusterFault(after: 1500, kind: .brokersDown(seconds: 30))]),
            Case(
                name: "Produce errors", guarantee: "at_least_once",
                faults: [
                    ClusterFault(
                        after: 1200,
                        kind: .requestErrors(
                            .produce,
                            [
                                .notLeaderForPartition, .requestTimedOut, .notEnoughReplicas, .notLeaderForPartition,
                                .notEnoughReplicasAfterAppend, .requestTimedOut,
                            ]))
                ]),
            Case(
                name: "OffsetCommit errors", guarantee: "at_least_once",
                faults: [
                    ClusterFault(
                        after: 1200,
                        kind: .requestErrors(
                            .offsetCommit,
                            [.rebalanceInProgress, .coordinatorLoadInProgress, .notCoordinator, .requestTimedOut]))
                ]),
            Case(
                name: "TxnOffsetCommit errors", guarantee: "exactly_once",
                faults: [
                    ClusterFault(
                        after: 1200,
                        kind: .requestErrors(.txnOffsetCommit, [.coordinatorLoadInProgress, .notCoordinator]))
                ]),
            Case(
                name: "EndTxn errors", guarantee: "exactly_once",
                faults: [
                    ClusterFault(
                        after: 1200,
                        kind: .requestErrors(.endTxn, [.notCoordinator, .coordinatorLoadInProgress, .requestTimedOut]))
                ]),
            Case(
                name: "leaders move", guarantee: "at_least_once",
                faults: [ClusterFault(after: 1500, kind: .leaderMove)]),
            Case(
                name: "leaders move (exactly once)", guarantee: "exactly_once",
                faults: [ClusterFault(after: 1500, kind: .leaderMove)]),
            Case(
                name: "an output topic refused", guarantee: "at_least_once",
                faults: [ClusterFault(after: 1500, kind: .topicGone("erp.txn.v1", seconds: 20))],
                arguments: refreshMetadataOften),
            Case(
                name: "an output topic refused (exactly once)", guarantee: "exactly_once",
                faults: [ClusterFault(after: 1500, kind: .topicGone("erp.txn.v1", seconds: 20))],
                arguments: refreshMetadataOften),
        ]

        /// The producer learns that a topic is gone at its next metadata refresh (5 min by default).
        static let refreshMetadataOften = ["-X", "topic.metadata.refresh.interval.ms=1000"]

        /// The records of a refused topic are `OUTPUT_REFUSED` dead letters that keep key and value: counted back
        /// as records of that topic, every expected record must be there once (with one content per key).
        static func restoringRefused(_ outcome: CrashRun.Outcome, topic: String) -> (CrashRun.Outcome, refused: Int) {
            var outcome = outcome
            var letters: [ReadRecord] = []
            var refused: [ReadRecord] = []
            for record in outcome.actual["mfg.dlq.v1"] ?? [] {
                if record.header("ps_error_code") == "OUTPUT_REFUSED" {
                    refused.append(
                        ReadRecord(
                            topic: topic, partition: record.partition, offset: record.offset, key: record.key,
                            value: record.value, headers: []))
                } else {
                    letters.append(record)
                }
            }
            outcome.actual["mfg.dlq.v1"] = letters
            outcome.actual[topic, default: []] += refused
            return (outcome, refused.count)
        }

        /// `PLANTSTREAM_FAULT_CASE=<part of a name>` runs only the matching cases (while working on one).
        static let selected = cases.filter { faultCase in
            ProcessInfo.processInfo.environment["PLANTSTREAM_FAULT_CASE"].map { faultCase.name.contains($0) } ?? true
        }

        @Test func theProcessorRidesOutClusterFaults() async throws {
            var failures: [String] = []
            // Four at a time: most of a run is waiting (for the cluster to come back, for rebalances).
            for start in stride(from: 0, to: Self.selected.count, by: 4) {
                try await withThrowingTaskGroup(of: (Case, CrashRun.Outcome).self) { group in
                    for (index, faultCase) in Self.selected[start..<min(start + 4, Self.selected.count)].enumerated() {
                        group.addTask {
                            let run = CrashRun(
                                seed: UInt64(100 + start + index), guarantee: faultCase.guarantee, records: 4000,
                                kills: [], faults: faultCase.faults, extraArguments: faultCase.arguments)
                            return (faultCase, try await run.run())
                        }
                    }
                    for try await (faultCase, result) in group {
                        var outcome = result
                        if case .topicGone(let topic, _) = faultCase.faults[0].kind {
                            let restored = Self.restoringRefused(outcome, topic: topic)
                            outcome = restored.0
                            if restored.refused == 0 {
                                failures.append("\(faultCase.name): no OUTPUT_REFUSED dead letter\n\(outcome.log)")
                            }
                            print("fault run \(faultCase.name): \(restored.refused) OUTPUT_REFUSED dead letters")
                        }
                        print("fault run \(faultCase.name): \(outcome.summary)")
                        failures += CrashConsistencyTests.compare(outcome, minimumTransactions: 30).map {
                            "\(faultCase.name): \($0)"
                        }
                        if case .brokersDown = faultCase.faults[0].kind {
                            // One line when the cluster goes, one when it is back.
                            let lines = outcome.reachabilityLines
                            if !lines.contains(where: { $0.contains("cluster unreachable") })
                                || !lines.contains(where: { $0.contains("cluster reachable again") })
                            {
                                failures.append("\(faultCase.name): the outage was not reported: \(lines)")
                            }
                        }
                        if outcome.faultsDone.count != faultCase.faults.count {
                            failures.append("\(faultCase.name): only \(outcome.faultsDone) applied")
                        }
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        }
    }
}
