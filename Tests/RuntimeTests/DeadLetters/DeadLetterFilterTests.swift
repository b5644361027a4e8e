import KafkaClient
import Runtime
import Testing

/// `--offsets`, `--since` and the filter conditions of `plantstream dlq`.
@Suite struct DeadLetterFilterTests {
    @Test(arguments: [
        ("2:14", [DeadLetterFilter.OffsetRange(partition: 2, offsets: 14...14)]),
        ("0:10-20", [DeadLetterFilter.OffsetRange(partition: 0, offsets: 10...20)]),
        ("mfg.dlq.v1/3/7", [DeadLetterFilter.OffsetRange(topic: "mfg.dlq.v1", partition: 3, offsets: 7...7)]),
        (
            "1:5, a.dlq/0/1-2",
            [
                DeadLetterFilter.OffsetRange(partition: 1, offsets: 5...5),
                DeadLetterFilter.OffsetRange(topic: "a.dlq", partition: 0, offsets: 1...2),
            ]
        ),
    ])
    func offsetListsParse(text: String, expected: [DeadLetterFilter.OffsetRange]) {
        #expect(DeadLetterFilter.parseOffsets(text) == expected)
        #expect(DeadLetterFilter.offsetSyntaxError(text) == nil)
    }

    @Test(arguments: ["", "2", "2:", ":4", "-1:4", "2:-4", "2:9-3", "2:x", "t/2", "/2/3", "t/2/3/4", "1:2,", "2:3:4"])
    func malformedOffsetListsAreRejectedNamingTheItem(text: String) {
        #expect(DeadLetterFilter.parseOffsets(text) == nil)
        let problem = DeadLetterFilter.offsetSyntaxError(text)
        #expect(problem?.contains("expected PARTITION:OFFSET") == true, "\(text): \(problem ?? "nil")")
    }

    static let now: Int64 = 1_776_160_800_000  // 2026-04-14T10:00:00Z

    @Test(arguments: [
        ("2026-04-14T08:00:00Z", Int64(1_776_153_600_000)),
        ("2026-04-14T08:00:00.250Z", 1_776_153_600_250),
        ("2026-04-14T10:00:00+02:00", 1_776_153_600_000),
        ("2026-04-14", 1_776_124_800_000),
        ("2h", now - 7_200_000),
        ("90m", now - 5_400_000),
        ("3d", now - 259_200_000),
    ])
    func sinceAcceptsInstantsDatesAndDurations(text: String, expected: Int64) {
        #expect(DeadLetterFilter.parseInstant(text, now: Self.now) == expected)
    }

    @Test(arguments: ["yesterday", "2026-13-01", "14.04.2026", "2h30m", ""])
    func sinceRejectsOtherText(text: String) {
        #expect(DeadLetterFilter.parseInstant(text, now: Self.now) == nil)
    }

    static func letter(
        partition: Int32 = 0, offset: Int64 = 0, timestamp: Int64? = 1000, code: String = "SCHEMA_VIOLATION",
        pipeline: String = "confirmations", source: String = "mfg.production.v1", sourcePartition: Int = 3,
        sourceOffset: String = "17"
    ) -> DeadLetter {
        DeadLetter(
            address: DeadLetterAddress(topic: "mfg.dlq.v1", partition: partition, offset: offset), timestamp: timestamp,
            key: Array("DE01|1".utf8), value: Array("{}".utf8),
            headers: [
                KafkaHeader(name: "ps_error_code", string: code), KafkaHeader(name: "ps_pipeline", string: pipeline),
                KafkaHeader(name: "ps_source_topic", string: source),
                KafkaHeader(name: "ps_source_partition", string: String(sourcePartition)),
                KafkaHeader(name: "ps_source_offset", string: sourceOffset),
            ])
    }

    @Test func everyConditionMustHold() {
        let letter = Self.letter(partition: 2, offset: 14)
        #expect(DeadLetterFilter.all.matches(letter))
        #expect(DeadLetterFilter(codes: ["schema_violation"]).matches(letter))
        #expect(!DeadLetterFilter(codes: ["MALFORMED_JSON"]).matches(letter))
        #expect(DeadLetterFilter(codes: ["MALFORMED_JSON", "SCHEMA_VIOLATION"]).matches(letter))
        #expect(DeadLetterFilter(pipelines: ["confirmations"]).matches(letter))
        #expect(!DeadLetterFilter(codes: ["SCHEMA_VIOLATION"], pipelines: ["oee"]).matches(letter))
        #expect(DeadLetterFilter(sourceTopics: ["mfg.production.v1"]).matches(letter))
        #expect(!DeadLetterFilter(sourceTopics: ["mfg.quality.v1"]).matches(letter))
        #expect(DeadLetterFilter(since: 1000).matches(letter))
        #expect(!DeadLetterFilter(since: 1001).matches(letter))
        #expect(!DeadLetterFilter(since: 0).matches(Self.letter(timestamp: nil)))
        #expect(DeadLetterFilter(offsets: DeadLetterFilter.parseOffsets("2:10-20")).matches(letter))
        #expect(DeadLetterFilter(offsets: DeadLetterFilter.parseOffsets("mfg.dlq.v1/2/14")).matches(letter))
        #expect(!DeadLetterFilter(offsets: DeadLetterFilter.parseOffsets("other.dlq/2/14")).matches(letter))
        #expect(!DeadLetterFilter(offsets: DeadLetterFilter.parseOffsets("1:14")).matches(letter))
        let source = KafkaTopicPartitionOffset(topic: "mfg.production.v1", partition: 3, offset: 17)
        #expect(DeadLetterFilter(source: source).matches(letter))
        var other = source
        other.offset = 18
        #expect(!DeadLetterFilter(source: other).matches(letter))
    }
}
