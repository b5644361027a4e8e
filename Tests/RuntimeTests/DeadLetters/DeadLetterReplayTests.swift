import KafkaClient
import Runtime
import Testing

/// Reading a dead letter's reason headers, and building the records a replay sends.
@Suite struct DeadLetterReplayTests {
    static let original: [KafkaHeader] = [
        KafkaHeader(name: "ce_id", string: "e-1"), KafkaHeader(name: "trace", value: [0, 1, 2]),
        KafkaHeader(name: "empty", value: nil),
    ]

    static func reasons(
        code: String = "MALFORMED_JSON", pipeline: String = "hold-blocks", topic: String = "mfg.quality.v1",
        partition: String = "3", offset: String = "17"
    ) -> [KafkaHeader] {
        [
            KafkaHeader(name: "ps_error_code", string: code), KafkaHeader(name: "ps_error_path", string: ""),
            KafkaHeader(name: "ps_error_message", string: "byte 30: expected ':'"),
            KafkaHeader(name: "ps_source_topic", string: topic),
            KafkaHeader(name: "ps_source_partition", string: partition),
            KafkaHeader(name: "ps_pipeline", string: pipeline),
            KafkaHeader(name: "ps_schema_id", string: "quality.hold.created/v1"),
            KafkaHeader(name: "ps_source_offset", string: offset),
        ]
    }

    static func letter(
        offset: Int64 = 5, headers: [KafkaHeader] = original + reasons(), key: String = "DE01|QH-9",
        value: String = "{oops", logAppendTime: Bool = false
    ) -> DeadLetter {
        DeadLetter(
            address: DeadLetterAddress(topic: "mfg.dlq.v1", partition: 1, offset: offset), timestamp: 1_776_153_600_000,
            isLogAppendTime: logAppendTime, key: Array(key.utf8), value: Array(value.utf8), headers: headers)
    }

    @Test func reasonHeadersAreRead() {
        let letter = Self.letter()
        #expect(letter.code == "MALFORMED_JSON")
        #expect(letter.path == "")
        #expect(letter.message == "byte 30: expected ':'")
        #expect(letter.pipeline == "hold-blocks")
        #expect(letter.schemaID == "quality.hold.created/v1")
        #expect(letter.sourceTopic == "mfg.quality.v1")
        #expect(letter.sourcePartition == 3)
        #expect(letter.sourceOffset == 17)
        #expect(letter.sourceDescription == "mfg.quality.v1/3/17")
        #expect(letter.replayedFrom == nil)
        #expect(letter.originalHeaders == Self.original)
        #expect(letter.replayBlocker() == nil)
    }

    @Test func theReplayCarriesTheOriginalRecordAndWhereItCameFrom() {
        let replay = DeadLetterReplay(Self.letter(), partitionCounts: ["mfg.quality.v1": 6])
        #expect(replay.topic == "mfg.quality.v1")
        #expect(replay.partition == 3)
        #expect(replay.key == Array("DE01|QH-9".utf8))
        #expect(replay.value == Array("{oops".utf8))
        #expect(replay.headers == Self.original + [KafkaHeader(name: "ps_replayed_from", string: "mfg.dlq.v1/1/5")])
        #expect(replay.timestamp == 1_776_153_600_000)
    }

    @Test func aReplayedRecordThatFailedAgainNamesOnlyItsNewestDeadLetter() {
        let headers = Self.original + [KafkaHeader(name: "ps_replayed_from", string: "mfg.dlq.v1/1/5")] + Self.reasons()
        let replay = DeadLetterReplay(Self.letter(offset: 9, headers: headers))
        #expect(Self.letter(offset: 9, headers: headers).replayedFrom == "mfg.dlq.v1/1/5")
        #expect(replay.headers == Self.original + [KafkaHeader(name: "ps_replayed_from", string: "mfg.dlq.v1/1/9")])
    }

    @Test func anotherTopicIsPartitionedByKeyAndAMissingPartitionToo() {
        #expect(DeadLetterReplay(Self.letter(), toTopic: "retry.v1").partition == nil)
        #expect(DeadLetterReplay(Self.letter(), toTopic: "retry.v1").topic == "retry.v1")
        #expect(DeadLetterReplay(Self.letter(), partitionCounts: ["mfg.quality.v1": 2]).partition == nil)
    }

    @Test func aBrokerTimestampIsNotCopied() {
        #expect(DeadLetterReplay(Self.letter(logAppendTime: true)).timestamp == nil)
    }

    @Test func windowResultsOnlyToATopicAndForeignRecordsNeverAreReplayable() {
        let window = Self.letter(headers: Self.reasons(code: "UNIT_NOT_CONVERTIBLE", offset: "12-40"))
        #expect(window.isWindowResult)
        #expect(window.sourceOffset == nil)
        #expect(window.replayBlocker()?.contains("window result") == true)
        #expect(window.replayBlocker(toTopic: "erp.txn.v1") == nil, "a refused output goes to its topic")
        let foreign = Self.letter(headers: Self.original)
        #expect(foreign.replayBlocker()?.contains("not a PlantStream dead letter") == true)
        let sourceless = Self.letter(headers: Self.reasons(topic: ""))
        #expect(sourceless.replayBlocker()?.contains("--to-topic") == true)
        #expect(sourceless.replayBlocker(toTopic: "retry.v1") == nil)
    }

    @Test func aPlanSendsEachRecordOnceInItsOriginalOrder() {
        let late = Self.letter(offset: 1, headers: Self.reasons(offset: "40"), key: "k2", value: "b")
        let early = Self.letter(offset: 2, headers: Self.reasons(offset: "20"), key: "k1", value: "a")
        // The same record failed in a second pipeline.
        let earlyAgain = Self.letter(
            offset: 3, headers: Self.reasons(code: "ENRICHMENT_MISSING", pipeline: "hold-scrap", offset: "20"),
            key: "k1", value: "a")
        let otherPartition = Self.letter(offset: 4, headers: Self.reasons(partition: "0", offset: "99"))
        let window = Self.letter(offset: 0, headers: Self.reasons(offset: "1-5"))
        let plan = DeadLetterReplay.plan(
            [late, early, earlyAgain, otherPartition, window], partitionCounts: ["mfg.quality.v1": 6])
        #expect(plan.replays.map(\.deadLetter.address.offset) == [4, 2, 1])
        #expect(plan.replays[1].alsoCovers == [earlyAgain.address])
        #expect(plan.replays.map(\.partition) == [0, 3, 3])
        #expect(plan.skipped.map(\.deadLetter.address) == [window.address])
    }
}
