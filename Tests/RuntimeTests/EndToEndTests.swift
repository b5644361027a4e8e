import Engine
import Foundation
import JSON
import KafkaClient
import PlantStreamTesting
import Runtime
import Testing

/// The built `plantstream run` binary against the embedded broker, on a scripted stream in three phases
/// (holds; production and machine events; releases), each processed by a separate run of the same group
/// that exits when idle — so every phase after the first restores its partitions' state from the changelogs.
extension RuntimeProcessTests {
    @Suite struct EndToEndTests {
        static let order = "DE01|1000121"
        static let machineKey = "DE01|M01"
        static let region = "eu-central"

        /// Phase 1: two quality holds (one lot each) and a malformed record.
        static let holds: [ScriptedRecord] = [
            ScriptedRecord(
                ScriptedEvents.quality, "DE01|QH-1",
                ScriptedEvents.holdCreated(id: 201, at: "2026-04-14T08:20:00Z", hold: "QH-1", batch: "B240311")),
            ScriptedRecord(
                ScriptedEvents.quality, "DE01|QH-2",
                ScriptedEvents.holdCreated(id: 211, at: "2026-04-14T08:21:00Z", hold: "QH-2", batch: "B240312")),
            ScriptedRecord(ScriptedEvents.quality, "DE01|QH-9", raw: "{\"type\": \"quality.hold.created\", oops"),
        ]

        /// Phase 2: reports (with a duplicate, an out-of-order and a late one), consumptions of held and free lots,
        /// a completion, an invalid report, machine cycles and a breakdown.
        static let production: [ScriptedRecord] = {
            let reported = ScriptedEvents.operation(
                id: 101, at: "2026-04-14T08:01:00Z", from: "2026-04-14T07:56:00Z", yield: "6")
            var invalid = ScriptedEvents.operation(
                id: 110, at: "2026-04-14T09:12:00Z", from: "2026-04-14T09:11:00Z", yield: "1")
            if case .object(var object) = invalid, case .object(var data)? = object["data"] {
                data.members.removeAll { $0.key == "yield" }
                object.members = object.members.map { $0.key == "data" ? .init(key: "data", value: .object(data)) : $0 }
                invalid = .object(object)
            }
            let topic = ScriptedEvents.production
            return [
                ScriptedRecord(topic, order, reported),
                ScriptedRecord(topic, order, reported),  // an exact duplicate
                ScriptedRecord(
                    topic, order,
                    ScriptedEvents.operation(
                        id: 102, at: "2026-04-14T08:12:00Z", from: "2026-04-14T08:08:00Z", yield: "4")),
                // Out of order: earlier than the report before it, still inside the open window.
                ScriptedRecord(
                    topic, order,
                    ScriptedEvents.operation(
                        id: 103, at: "2026-04-14T08:05:00Z", from: "2026-04-14T08:02:00Z", yield: "3")),
                ScriptedRecord(
                    topic, order,
                    ScriptedEvents.consumed(id: 104, at: "2026-04-14T08:30:00Z", qty: "2.5", batch: "B240311")
                ),
                ScriptedRecord(
                    topic, order,
                    ScriptedEvents.consumed(id: 105, at: "2026-04-14T08:35:00Z", qty: "1.5", batch: "B240312")
                ),
                ScriptedRecord(
                    topic, order,
                    ScriptedEvents.consumed(id: 106, at: "2026-04-14T08:40:00Z", qty: "4", batch: "B240313")),
                // Moves the watermark past 08:15 + 10 min grace and 09:00 + 5 min grace: both windows close.
                ScriptedRecord(
                    topic, order,
                    ScriptedEvents.operation(
                        id: 107, at: "2026-04-14T09:10:00Z", from: "2026-04-14T09:06:00Z", yield: "2")),
                // Late: its window [08:00, 08:15) has closed; posted as an additional delta (revision 1).
                ScriptedRecord(
                    topic, order,
                    ScriptedEvents.operation(
                        id: 108, at: "2026-04-14T08:07:00Z", from: "2026-04-14T08:06:00Z", yield: "5")),
                ScriptedRecord(
                    topic, order,
                    ScriptedEvents.operation(
                        id: 109, at: "2026-04-14T09:14:00Z", from: "2026-04-14T09:11:00Z", yield: "1", completed: true)),
                ScriptedRecord(topic, order, invalid),
                ScriptedRecord(
                    ScriptedEvents.machine, machineKey,
                    ScriptedEvents.cycle(id: 301, at: "2026-04-14T08:05:00Z", total: 4, good: 3)),
                ScriptedRecord(
                    ScriptedEvents.machine, machineKey,
                    ScriptedEvents.breakdown(id: 302, at: "2026-04-14T08:40:00Z", from: "2026-04-14T08:20:00Z")),
                ScriptedRecord(
                    ScriptedEvents.machine, machineKey,
                    ScriptedEvents.cycle(id: 303, at: "2026-04-14T09:10:00Z", total: 2, good: 2)),
            ]
        }()

        /// Phase 3: QH-1 released (its parked goods issue is posted), QH-2 scrapped (cancelled), a duplicate release.
        static let releases: [ScriptedRecord] = {
            let release = ScriptedEvents.holdReleased(
                id: 202, at: "2026-04-14T09:45:00Z", hold: "QH-1", batch: "B240311", disposition: "RELEASE")
            return [
                ScriptedRecord(ScriptedEvents.quality, "DE01|QH-1", release),
                ScriptedRecord(ScriptedEvents.quality, "DE01|QH-1", release),
                ScriptedRecord(
                    ScriptedEvents.quality, "DE01|QH-2",
                    ScriptedEvents.holdReleased(
                        id: 212, at: "2026-04-14T09:46:00Z", hold: "QH-2", batch: "B240312", disposition: "SCRAP")),
            ]
        }()

        static let phases = [holds, production, releases]

        @Test func scriptedStreamGivesExactOutputsAndASecondRunIsByteIdentical() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("e2e")
            let first = try FixtureTopology(application: "e2e-a", prefix: "a.", directory: directory)
            let second = try FixtureTopology(application: "e2e-b", prefix: "b.", directory: directory)
            let partitions = try await TestTopics.create(for: [first, second], region: Self.region, cluster: cluster)
            let oracle = try Oracle(topology: first, region: Self.region, partitions: partitions)

            for (number, phase) in Self.phases.enumerated() {
                try await TestKafka.produce(
                    phase.map { TestKafka.Outgoing(topic: $0.topic, key: Array($0.key.utf8), value: $0.value) },
                    cluster: cluster)
                try oracle.pipe(phase)
                // The two independent runs (own groups, changelogs and outputs) process the phase side by side.
                async let a = ProcessorProcess.runToIdle(
                    topology: first.path, region: Self.region, bootstrap: cluster.bootstrapServers)
                async let b = ProcessorProcess.runToIdle(
                    topology: second.path, region: Self.region, bootstrap: cluster.bootstrapServers)
                for (fixture, outcome) in [(first, try await a), (second, try await b)] {
                    try #require(
                        outcome.status == 0, "phase \(number + 1) of \(fixture.application): \(outcome.stderr)")
                }
            }

            let outputs = try await TestKafka.readAll(FixtureTopology.outputTopics.map(first.topic), cluster: cluster)
            func records(_ name: String) -> [ReadRecord] { outputs.filter { $0.topic == first.topic(name) } }
            let erp = records("erp.txn.v1")
            let exceptions = records("erp.txn.exception.v1")
            let deadLetters = records("mfg.dlq.v1")

            // The exact ERP transactions (type, key, quantity, posting date, idempotency key).
            let summary = erp.map(Self.describe).sorted()
            #expect(
                summary == [
                    "goods_issue DE01|1000121 261 2.500 KGM B240311 2026-04-14 GI|DE01|1000121|RM-100|B240311|PS01|2026-04-14T08:00:00Z|3600|0",
                    "goods_issue DE01|1000121 261 4.000 KGM B240313 2026-04-14 GI|DE01|1000121|RM-100|B240313|PS01|2026-04-14T08:00:00Z|3600|0",
                    "maintenance_notification DE01|DT-1 M2 20.000 MIN 2026-04-14 PMN|DE01|DT-1|edge://DE01/L1/M01|\(ScriptedEvents.id(302))",
                    "production_confirmation DE01|1000121 FINAL 3.000 H87 2026-04-14 CONF|DE01|1000121|0|0010|2026-04-14T09:00:00Z|900|0",
                    "production_confirmation DE01|1000121 PARTIAL 13.000 H87 2026-04-14 CONF|DE01|1000121|0|0010|2026-04-14T08:00:00Z|900|0",
                    "production_confirmation DE01|1000121 PARTIAL 5.000 H87 2026-04-14 CONF|DE01|1000121|0|0010|2026-04-14T08:00:00Z|900|1",
                    "scrap DE01|RM-100 555 980 KGM B240312 2026-04-14 SCRAP|QH-2|B240312|qms://DE01/qms|\(ScriptedEvents.id(212))|0",
                    "stock_status_change DE01|RM-100|B240311 343 1250.5 KGM B240311 2026-04-14 STAT|QH-1|RELEASE|B240311|PS01|qms://DE01/qms|\(ScriptedEvents.id(202))|0",
                    "stock_status_change DE01|RM-100|B240311 344 1250.5 KGM B240311 2026-04-14 STAT|QH-1|BLOCK|B240311|PS01|qms://DE01/qms|\(ScriptedEvents.id(201))|0",
                    "stock_status_change DE01|RM-100|B240312 344 980 KGM B240312 2026-04-14 STAT|QH-2|BLOCK|B240312|PS01|qms://DE01/qms|\(ScriptedEvents.id(211))|0",
                ], "\(summary.joined(separator: "\n"))")

            // Exceptions: both held goods issues parked, then one released, one cancelled by the scrap.
            let kinds = exceptions.map {
                "\(Self.string($0, "exceptionKind") ?? "") \(Self.string($0, "reasonCode") ?? "") \(Self.string($0, "holdId") ?? "")"
            }
            #expect(
                kinds.sorted() == [
                    "CANCELLED HOLD_DISPOSITION_SCRAP QH-2", "PARKED QUALITY_HOLD QH-1", "PARKED QUALITY_HOLD QH-2",
                    "RELEASED HOLD_RELEASED QH-1",
                ], "\(exceptions)")
            let released = try #require(
                erp.first { Self.string($0, "batchId") == "B240311" && Self.string($0, "txnType") == "goods_issue" })
            let parked = try #require(
                exceptions.first { Self.string($0, "exceptionKind") == "PARKED" && Self.string($0, "holdId") == "QH-1" }
            )
            #expect(Self.string(parked, "txn.txnId") == Self.string(released, "txnId"))
            #expect(Self.string(parked, "txn.qty.value") == "2.500")

            // Dead letters keep the original bytes and carry the reason headers.
            #expect(deadLetters.count == 2, "\(deadLetters)")
            let malformed = try #require(deadLetters.first { $0.header("ps_source_topic") == ScriptedEvents.quality })
            #expect(malformed.valueString == "{\"type\": \"quality.hold.created\", oops")
            #expect(malformed.keyString == "DE01|QH-9")
            #expect(malformed.header("ps_error_code") == "MALFORMED_JSON")
            #expect(malformed.header("ps_source_offset") != nil && malformed.header("ps_pipeline") != nil)
            let violation = try #require(
                deadLetters.first { $0.header("ps_source_topic") == ScriptedEvents.production })
            #expect(violation.header("ps_error_code") == "SCHEMA_VIOLATION")
            #expect(violation.header("ps_schema_id") == "operation.reported/v1")
            #expect(violation.header("ps_pipeline") == "confirmations")
            #expect(violation.value == Self.production[10].value)

            // OEE analytics for the closed hour.
            let oee = records("mfg.oee.v1")
            #expect(oee.count == 1)
            #expect(oee.first.flatMap { Self.string($0, "totalCount") } == "4")
            #expect(oee.first.flatMap { Self.string($0, "downtimeSec.EQUIPMENT_FAILURE") } == "1200")

            // Everything equals what the test driver computes for the same records, partitions and offsets.
            for name in FixtureTopology.outputTopics {
                let expected = oracle.records(topic: first.topic(name)).map(Oracle.Entry.init).sorted()
                let actual = records(name).map(Oracle.Entry.init).sorted()
                #expect(actual == expected, "\(name): runtime \(actual.count) records, driver \(expected.count)")
            }

            // The second run (own group, changelogs and outputs) wrote byte-identical ERP records.
            let secondOutputs = try await TestKafka.readAll(
                ["erp.txn.v1", "erp.txn.exception.v1", "mfg.oee.v1"].map(second.topic), cluster: cluster)
            for name in ["erp.txn.v1", "erp.txn.exception.v1", "mfg.oee.v1"] {
                let a = records(name).map { Oracle.Entry(key: $0.key, value: $0.value, headers: []) }.sorted()
                let b = secondOutputs.filter { $0.topic == second.topic(name) }.map {
                    Oracle.Entry(key: $0.key, value: $0.value, headers: [])
                }.sorted()
                #expect(a == b, "\(name) differs between the two runs")
            }
        }

        /// `txnType key movementOrFinal quantity uom batch postingDate idempotencyKey`.
        static func describe(_ record: ReadRecord) -> String {
            let type = string(record, "txnType") ?? "?"
            var parts = [type, record.keyString]
            switch type {
            case "production_confirmation":
                parts += [string(record, "finalType"), string(record, "yield.value"), string(record, "yield.uom")].map {
                    $0 ?? "-"
                }
            case "maintenance_notification":
                parts += [
                    string(record, "notificationType"), string(record, "downtimeDuration.value"),
                    string(record, "downtimeDuration.uom"),
                ].map { $0 ?? "-" }
            default:
                parts += [
                    string(record, "movementType"), string(record, "qty.value"), string(record, "qty.uom"),
                    string(record, "batchId"),
                ].map { $0 ?? "-" }
            }
            parts += [string(record, "postingDate") ?? "-", string(record, "idempotencyKey") ?? "-"]
            return parts.joined(separator: " ")
        }

        /// A member of a record's JSON value by dotted path (strings and numbers as text).
        static func string(_ record: ReadRecord, _ path: String) -> String? {
            guard let bytes = record.value, var current = try? JSONValue(parsing: bytes) else { return nil }
            for part in path.split(separator: ".") {
                guard let next = current[String(part)] else { return nil }
                current = next
            }
            if case .string(let text) = current { return text }
            if case .number(let number) = current { return number.description }
            return nil
        }
    }
}
