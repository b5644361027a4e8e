import Foundation
import JSON
import KafkaClient
import Testing

/// `plantstream dlq list|show|replay` (the built binary) on dead letters that `plantstream run` wrote for invalid
/// records on the embedded broker.
extension RuntimeProcessTests {
    @Suite struct DeadLetterCommandTests {
        static let region = "eu-central"
        static let malformed = Array("{\"type\": \"quality.hold.created\", oops".utf8)
        static let binary: [UInt8] = [0x00, 0x9F, 0x92, 0x96, 0xFF, 0x7B]
        static let originalHeaders = [
            KafkaHeader(name: "trace-id", string: "t-9"), KafkaHeader(name: "bin", value: [0x00, 0xFF]),
        ]

        /// An operation report without its yield: a schema violation.
        static let invalidReport: [UInt8] = {
            var report = ScriptedEvents.operation(
                id: 110, at: "2026-04-14T09:12:00Z", from: "2026-04-14T09:11:00Z", yield: "1")
            if case .object(var object) = report, case .object(var data)? = object["data"] {
                data.members.removeAll { $0.key == "yield" }
                object.members = object.members.map { $0.key == "data" ? .init(key: "data", value: .object(data)) : $0 }
                report = .object(object)
            }
            return ScriptedEvents.bytes(report)
        }()

        static func count(_ topic: String, cluster: KafkaEmbeddedCluster) async throws -> Int {
            try await TestKafka.readAll([topic], cluster: cluster).count
        }

        @Test func listShowAndReplayWhatTheProcessorDeadLettered() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("dlq")
            let fixture = try FixtureTopology(application: "dlq", prefix: "d.", directory: directory)
            _ = try await TestTopics.create(for: [fixture], region: Self.region, cluster: cluster)
            try await TestKafka.produce(
                [
                    TestKafka.Outgoing(
                        topic: ScriptedEvents.quality, key: Array("DE01|QH-9".utf8), value: Self.malformed,
                        headers: Self.originalHeaders),
                    TestKafka.Outgoing(
                        topic: ScriptedEvents.production, key: Array("DE01|1000121".utf8), value: Self.invalidReport),
                    TestKafka.Outgoing(topic: ScriptedEvents.machine, key: Array("DE01|M01".utf8), value: Self.binary),
                ], cluster: cluster)
            let run = try await ProcessorProcess.runToIdle(
                topology: fixture.path, region: Self.region, bootstrap: cluster.bootstrapServers, seconds: 90)
            try #require(run.status == 0, "\(run.stderr)")

            let dlqTopic = fixture.topic("mfg.dlq.v1")
            let written = try await TestKafka.readAll([dlqTopic], cluster: cluster)
            try #require(written.count == 3, "\(written)")
            func deadLetter(from source: String) throws -> ReadRecord {
                try #require(written.first { $0.header("ps_source_topic") == source })
            }
            let hold = try deadLetter(from: ScriptedEvents.quality)
            let report = try deadLetter(from: ScriptedEvents.production)
            let cycle = try deadLetter(from: ScriptedEvents.machine)
            func address(_ record: ReadRecord) -> String { "\(record.topic)/\(record.partition)/\(record.offset)" }
            func source(_ record: ReadRecord) -> String {
                "\(record.header("ps_source_topic") ?? "")/\(record.header("ps_source_partition") ?? "")/"
                    + (record.header("ps_source_offset") ?? "")
            }
            let region = DLQCommandProcess.region(fixture.path, bootstrap: cluster.bootstrapServers)

            // list: one line per dead letter with its fields, then the summary by code.
            let list = try await DLQCommandProcess.run(["list"] + region)
            #expect(list.status == 0, "\(list)")
            #expect(list.lines.first?.hasPrefix("DEAD LETTER") == true, "\(list)")
            for record in [hold, report, cycle] {
                let line = try #require(list.lines.first { $0.hasPrefix(address(record) + " ") }, "\(list)")
                let columns = line.split(separator: " ").map(String.init)
                #expect(columns[2] == record.header("ps_pipeline"), "\(line)")
                #expect(columns[3] == record.header("ps_error_code"), "\(line)")
                #expect(columns.last == source(record), "\(line)")
            }
            #expect(list.lines.contains("3 dead letters matched (3 read from \(dlqTopic))"), "\(list)")
            #expect(list.lines.contains("        1  SCHEMA_VIOLATION"), "\(list)")
            #expect(hold.header("ps_error_code") == "MALFORMED_JSON")

            // list --json: the schema violation with every field and the original value.
            let json = try await DLQCommandProcess.run(["list", "--code", "schema_violation", "--json"] + region)
            #expect(json.status == 0, "\(json)")
            let objects = try json.lines.filter { !$0.isEmpty }.map { try JSONValue(parsing: $0) }
            try #require(objects.count == 1, "\(json)")
            let object = objects[0]
            #expect(object["dlqTopic"] == .string(dlqTopic))
            #expect(object["dlqPartition"] == .number(JSONNumber(Int64(report.partition))))
            #expect(object["dlqOffset"] == .number(JSONNumber(report.offset)))
            #expect(object["pipeline"] == "confirmations")
            #expect(object["code"] == "SCHEMA_VIOLATION")
            #expect(object["schemaId"] == "operation.reported/v1")
            #expect(object["path"] == report.header("ps_error_path").map(JSONValue.string))
            #expect(object["sourceTopic"] == .string(ScriptedEvents.production))
            #expect(object["sourceOffset"] == 0)
            #expect(object["key"] == "DE01|1000121")
            #expect(object["value"] == .string(String(decoding: Self.invalidReport, as: UTF8.self)))
            #expect(json.stderr.contains("1 dead letter matched (3 read from \(dlqTopic))"), "\(json)")

            // --limit prints fewer, the summary still counts all.
            let limited = try await DLQCommandProcess.run(["list", "--limit", "1"] + region)
            #expect(limited.lines.filter { $0.hasPrefix(dlqTopic + "/") }.count == 1, "\(limited)")
            #expect(limited.lines.contains("3 dead letters matched (3 read from \(dlqTopic)); 1 shown (--limit)"))

            // show: text values exactly as written, binary ones as a hex dump, --pretty indents JSON, --raw the
            // exact bytes.
            let shownBinary = try await DLQCommandProcess.run(["show", address(cycle)] + region)
            #expect(shownBinary.status == 0, "\(shownBinary)")
            #expect(shownBinary.lines.contains("value (6 bytes, not text; hex dump):"), "\(shownBinary)")
            let dump = try #require(shownBinary.lines.first { $0.hasPrefix("00000000  ") }, "\(shownBinary)")
            #expect(dump.hasPrefix("00000000  00 9f 92 96 ff 7b ") && dump.hasSuffix("|.....{|"), "\(dump)")
            #expect(shownBinary.lines.contains("  source         \(source(cycle))"), "\(shownBinary)")

            let shownReport = try await DLQCommandProcess.run(
                ["show", "--partition", "\(report.partition)", "--offset", "\(report.offset)"] + region)
            #expect(shownReport.status == 0, "\(shownReport)")
            #expect(
                shownReport.lines.contains("value (\(Self.invalidReport.count) bytes, as written):"), "\(shownReport)")
            #expect(shownReport.lines.contains(String(decoding: Self.invalidReport, as: UTF8.self)), "\(shownReport)")
            #expect(shownReport.lines.contains("  ps_error_code: SCHEMA_VIOLATION"), "\(shownReport)")
            #expect(shownReport.lines.contains("  error code     SCHEMA_VIOLATION"), "\(shownReport)")
            #expect(shownReport.lines.contains("  source         \(source(report))"), "\(shownReport)")
            let pretty = try await DLQCommandProcess.run(["show", address(report), "--pretty"] + region)
            #expect(pretty.status == 0, "\(pretty)")
            #expect(pretty.lines.contains("value (\(Self.invalidReport.count) bytes, JSON, indented by --pretty):"))
            #expect(pretty.lines.contains("  \"eventId\": \"\(ScriptedEvents.id(110))\","), "\(pretty)")
            let shownHold = try await DLQCommandProcess.run(["show", address(hold)] + region)
            #expect(shownHold.lines.contains(String(decoding: Self.malformed, as: UTF8.self)), "\(shownHold)")
            #expect(shownHold.lines.contains("  trace-id: t-9"), "\(shownHold)")
            #expect(shownHold.lines.contains("  bin: hex:00ff"), "\(shownHold)")

            let raw = try await DLQCommandProcess.run(["show", "--source", source(hold), "--raw"] + region)
            #expect(raw.status == 0, "\(raw)")
            #expect(raw.stdout == Self.malformed)

            // Bad input: usage errors exit 2, dead letters that are not there exit 1 and nothing is sent.
            for arguments in [
                ["replay"], ["replay", "--all", "--code", "X"], ["replay", "--offsets", "0:x"],
                ["show"], ["show", "0:1", "--partition", "0", "--offset", "1"], ["show", "--source", "t/0"],
                ["list", "--since", "yesterday"], ["list", "--limit", "0"], ["list", "--timeout", "soon"],
            ] {
                let usage = try await DLQCommandProcess.run(arguments + region)
                #expect(usage.status == 2, "\(arguments): \(usage)")
                #expect(!usage.stderr.isEmpty && usage.stdout.isEmpty, "\(arguments): \(usage)")
            }
            let missing = try await DLQCommandProcess.run(["show", "\(dlqTopic)/0/999"] + region)
            #expect(missing.status == 1, "\(missing)")
            #expect(missing.stderr.contains("dlq show: no dead letter at \(dlqTopic)/0/999"), "\(missing)")
            let noRegion = try await DLQCommandProcess.run(
                [
                    "list", "--topology", fixture.path, "--region", "mars", "--bootstrap-servers",
                    cluster.bootstrapServers,
                ])
            #expect(noRegion.status == 1 && noRegion.stderr.contains("mars"), "\(noRegion)")
            // Nothing of a partly wrong list is sent: the quality topic holds only the two replays below.
            let partly = try await DLQCommandProcess.run(
                ["replay", "--offsets", "\(address(hold)),0:4-9223372036854775807,nope/0/1"] + region)
            #expect(partly.status == 1, "\(partly)")
            #expect(partly.stderr.contains("not (all) in the topic"), "\(partly)")
            #expect(partly.stderr.contains("'nope' is not a dead-letter topic read here"), "\(partly)")
            #expect(partly.stderr.contains("dlq replay: nothing was replayed"), "\(partly)")
            // replay --dry-run sends nothing.
            let sources = [ScriptedEvents.quality, ScriptedEvents.production, ScriptedEvents.machine]
            let before = try await TestKafka.readAll(sources, cluster: cluster)
            let dryRun = try await DLQCommandProcess.run(["replay", "--all", "--dry-run"] + region)
            #expect(dryRun.status == 0, "\(dryRun)")
            #expect(dryRun.lines.filter { $0.hasPrefix("would replay ") }.count == 3, "\(dryRun)")
            let holdPartition = hold.header("ps_source_partition") ?? ""
            let planned = "would replay \(address(hold)) -> \(ScriptedEvents.quality)/\(holdPartition)  MALFORMED_JSON"
            #expect(dryRun.lines.contains(planned + "  hold-blocks  key DE01|QH-9"), "\(dryRun)")
            #expect(dryRun.lines.contains("dry run: 3 records would be replayed; nothing was sent"), "\(dryRun)")
            #expect(try await TestKafka.readAll(sources, cluster: cluster) == before)

            // replay: the original key, value and headers go back to the source partition, marked.
            let replayed = try await DLQCommandProcess.run(["replay", "--offsets", address(hold)] + region)
            #expect(replayed.status == 0, "\(replayed)")
            #expect(replayed.lines.contains("replayed 1 record"), "\(replayed)")
            // Twice: visible as two records that name the same dead letter.
            let again = try await DLQCommandProcess.run(
                ["replay", "--code", "MALFORMED_JSON", "--source-topic", ScriptedEvents.quality] + region)
            #expect(again.status == 0, "\(again)")
            let quality = try await TestKafka.readAll([ScriptedEvents.quality], cluster: cluster)
            try #require(quality.count == 3, "\(quality)")
            let original = try #require(quality.first { $0.headers.last?.name != "ps_replayed_from" })
            let replays = quality.filter { $0 != original }
            #expect(replays.count == 2)
            for replay in replays {
                #expect(replay.partition == original.partition)
                #expect(replay.offset > original.offset)
                #expect(replay.key == Array("DE01|QH-9".utf8))
                #expect(replay.value == Self.malformed)
                #expect(
                    replay.headers == Self.originalHeaders + [
                        KafkaHeader(name: "ps_replayed_from", string: address(hold))
                    ])
                let line =
                    "replayed \(address(hold)) -> \(replay.topic)/\(replay.partition)/\(replay.offset)  MALFORMED_JSON  "
                    + "hold-blocks  key DE01|QH-9"
                #expect(replayed.lines.contains(line) || again.lines.contains(line), "\(replayed)\n\(again)")
            }

            // Still malformed: processed again, both replays are dead letters that name where they came from.
            let second = try await ProcessorProcess.runToIdle(
                topology: fixture.path, region: Self.region, bootstrap: cluster.bootstrapServers, seconds: 90)
            try #require(second.status == 0, "\(second.stderr)")
            let replayList = try await DLQCommandProcess.run(
                ["list", "--json", "--source-topic", ScriptedEvents.quality] + region)
            let letters = try replayList.lines.filter { !$0.isEmpty }.map { try JSONValue(parsing: $0) }
            #expect(letters.count == 3, "\(replayList)")
            let fromReplays = letters.filter { $0["replayedFrom"] == .string(address(hold)) }
            #expect(
                Set(fromReplays.compactMap { $0["sourceOffset"]?.numberValue?.int64 }) == Set(replays.map(\.offset)),
                "\(replayList)")
            let text = try await DLQCommandProcess.run(["list", "--source-topic", ScriptedEvents.quality] + region)
            #expect(text.lines.filter { $0.hasSuffix("(replay of \(address(hold)))") }.count == 2, "\(text)")
        }

        @Test func afterAFixAReplayIsProcessedAndASecondReplayIsAbsorbed() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("dlq-fix")
            let fixture = try FixtureTopology(application: "dlqfix", prefix: "f.", directory: directory)
            let fixed = try String(contentsOfFile: fixture.path, encoding: .utf8)
            // The mistake: a size limit below the size of real events (every pipeline of a source must agree).
            let step = "      - validate: {}\n"
            try #require(fixed.contains(step))
            try fixed.replacingOccurrences(of: step, with: "      - validate: { maxBytes: 300 }\n").write(
                toFile: fixture.path, atomically: true, encoding: .utf8)
            _ = try await TestTopics.create(for: [fixture], region: Self.region, cluster: cluster)
            let completed = ScriptedEvents.bytes(
                ScriptedEvents.operation(
                    id: 120, at: "2026-04-14T08:10:00Z", from: "2026-04-14T08:02:00Z", yield: "7", completed: true))
            try #require(completed.count > 300)
            try await TestKafka.produce(
                [
                    TestKafka.Outgoing(
                        topic: ScriptedEvents.production, key: Array("DE01|1000121".utf8), value: completed,
                        headers: [KafkaHeader(name: "origin", string: "mes1")])
                ], cluster: cluster)
            let erp = fixture.topic("erp.txn.v1")
            let region = DLQCommandProcess.region(fixture.path, bootstrap: cluster.bootstrapServers)
            func process() async throws {
                let run = try await ProcessorProcess.runToIdle(
                    topology: fixture.path, region: Self.region, bootstrap: cluster.bootstrapServers, seconds: 90)
                try #require(run.status == 0, "\(run.stderr)")
            }

            try await process()
            #expect(try await Self.count(erp, cluster: cluster) == 0)
            let list = try await DLQCommandProcess.run(["list", "--code", "RECORD_TOO_LARGE"] + region)
            #expect(
                list.lines.contains("1 dead letter matched (1 read from \(fixture.topic("mfg.dlq.v1")))"), "\(list)")

            // The fix, then the replay: the completion posts its final confirmation.
            try fixed.write(toFile: fixture.path, atomically: true, encoding: .utf8)
            let replay = try await DLQCommandProcess.run(["replay", "--code", "RECORD_TOO_LARGE"] + region)
            #expect(replay.status == 0 && replay.lines.contains("replayed 1 record"), "\(replay)")
            try await process()
            let postings = try await TestKafka.readAll([erp], cluster: cluster)
            try #require(postings.count == 1, "\(postings)")
            let posting = try JSONValue(parsing: postings[0].value ?? [])
            #expect(posting["txnType"] == "production_confirmation")
            #expect(posting["finalType"] == "FINAL")
            #expect(posting["idempotencyKey"] == "CONF|DE01|1000121|0|0010|2026-04-14T08:00:00Z|900|0")

            // The same dead letter replayed again (by mistake): dedupe drops the repeat, nothing is posted twice.
            let twice = try await DLQCommandProcess.run(["replay", "--pipeline", "confirmations"] + region)
            #expect(twice.status == 0 && twice.lines.contains("replayed 1 record"), "\(twice)")
            try await process()
            #expect(try await TestKafka.readAll([erp], cluster: cluster) == postings)
            #expect(try await Self.count(fixture.topic("mfg.dlq.v1"), cluster: cluster) == 1)
            let source = try await TestKafka.readAll([ScriptedEvents.production], cluster: cluster)
            #expect(source.count == 3)
            #expect(source.filter { $0.value == completed && $0.header("origin") == "mes1" }.count == 3)
            #expect(Set(source.compactMap { $0.header("ps_replayed_from") }).count == 1)
        }
    }
}
