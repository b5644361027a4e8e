import Foundation
import JSON
import KafkaClient
import Testing

@testable import Runtime

/// What `plantstream dlq` prints.
@Suite struct DeadLetterFormatterTests {
    @Test func hexDumpShowsOffsetsBytesAndPrintableCharacters() {
        let bytes: [UInt8] = Array("{\"a\":".utf8) + [0x00, 0xFF, 0x0A] + Array("0123456789".utf8)
        #expect(
            HexDump.lines(bytes) == [
                "00000000  7b 22 61 22 3a 00 ff 0a  30 31 32 33 34 35 36 37  |{\"a\":...01234567|",
                "00000010  38 39                                             |89|",
            ])
        #expect(
            HexDump.lines([1, 2, 3], limit: 2) == [
                "00000000  01 02                                             |..|", "… 1 more bytes",
            ])
        #expect(HexDump.lines([]) == [])
    }

    @Test func prettyJSONKeepsOrderAndEveryTokenAsWritten() {
        let text = #"{"b":1.500,"a":[true,null,{}],"s":"x\u00e9\n","e":[],"n":{"m":-0e3}}"#
        #expect(
            JSONPrettyPrinter.format(Array(text.utf8)) == """
                {
                  "b": 1.500,
                  "a": [
                    true,
                    null,
                    {}
                  ],
                  "s": "x\\u00e9\\n",
                  "e": [],
                  "n": {
                    "m": -0e3
                  }
                }
                """)
        #expect(JSONPrettyPrinter.format(Array("{\"type\": oops".utf8)) == nil)
        #expect(JSONPrettyPrinter.format([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]) == nil)
        #expect(JSONPrettyPrinter.format(Array(" 42 ".utf8)) == "42")
    }

    static let letter = DeadLetter(
        address: DeadLetterAddress(topic: "mfg.dlq.v1", partition: 2, offset: 14), timestamp: 1_776_153_600_000,
        key: [0x44, 0x45, 0x00], value: [0x7B, 0xFF],
        headers: [
            KafkaHeader(name: "trace", string: "t-1"), KafkaHeader(name: "bin", value: [0xFE]),
            KafkaHeader(name: "ps_error_code", string: "INVALID_UTF8"),
            KafkaHeader(
                name: "ps_error_message",
                string: "byte 1: invalid UTF-8 sequence\nsecond line " + String(repeating: "x", count: 80)),
            KafkaHeader(name: "ps_source_topic", string: "mfg.machine.v1"),
            KafkaHeader(name: "ps_source_partition", string: "5"), KafkaHeader(name: "ps_source_offset", string: "153"),
            KafkaHeader(name: "ps_pipeline", string: "oee"),
        ])

    @Test func aJSONLineHasEveryFieldAndBase64ForBinaryBytes() throws {
        let line = DeadLetterFormatter.json(Self.letter)
        #expect(!line.contains("\n"))
        let value = try JSONValue(parsing: line)
        #expect(value["dlqTopic"] == "mfg.dlq.v1")
        #expect(value["dlqPartition"] == 2)
        #expect(value["dlqOffset"] == 14)
        #expect(value["timestamp"] == "2026-04-14T08:00:00.000Z")
        #expect(value["code"] == "INVALID_UTF8")
        #expect(value["pipeline"] == "oee")
        #expect(value["path"] == .null)
        #expect(value["sourceTopic"] == "mfg.machine.v1")
        #expect(value["sourcePartition"] == 5)
        #expect(value["sourceOffset"] == 153)
        #expect(value["replayable"] == true)
        #expect(value["key"] == "DE\u{0}")
        #expect(value["valueBase64"] == .string(Data([0x7B, 0xFF]).base64EncodedString()))
        #expect(value["value"] == nil)
        let headers = value["headers"]?.arrayValue ?? []
        #expect(headers.count == 8)
        #expect(headers.first == ["name": "trace", "value": "t-1"])
        #expect(headers[1] == ["name": "bin", "valueBase64": .string(Data([0xFE]).base64EncodedString())])
    }

    @Test func aListLineHasTheColumnsInOrderOnOneLine() {
        let line = DeadLetterFormatter.listLine(Self.letter)
        #expect(!line.contains("\n"))
        let columns = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        #expect(
            Array(columns.prefix(5)) == ["mfg.dlq.v1/2/14", "2026-04-14T08:00:00.000Z", "oee", "INVALID_UTF8", "-"])
        #expect(columns.last == "mfg.machine.v1/5/153")
        #expect(line.contains("byte 1: invalid UTF-8 sequence second line xxx"))
        #expect(line.contains("…"))
        #expect(!line.contains(String(repeating: "x", count: 80)))
    }

    @Test func detailsShowEveryHeaderAndAHexDumpForBinaryValues() {
        let lines = DeadLetterFormatter.details(Self.letter)
        #expect(lines.first == "dead letter mfg.dlq.v1/2/14")
        #expect(lines.contains("  trace: t-1"))
        #expect(lines.contains("  bin: hex:fe"))
        #expect(lines.contains("key: (3 bytes) hex:444500"))
        #expect(lines.contains("value (2 bytes, not text; hex dump):"))
        #expect(lines.last?.hasPrefix("00000000  7b ff") == true)
    }

    @Test func detailsShowATextValueExactlyAsWrittenAndIndentJSONOnlyWhenAsked() {
        var letter = Self.letter
        let text = "{\"b\":1.50,  \"a\":[1]}"
        letter.value = Array(text.utf8)
        let lines = DeadLetterFormatter.details(letter)
        #expect(lines.suffix(2) == ["value (\(text.utf8.count) bytes, as written):", text])
        #expect(
            DeadLetterFormatter.details(letter, pretty: true).suffix(2) == [
                "value (\(text.utf8.count) bytes, JSON, indented by --pretty):",
                "{\n  \"b\": 1.50,\n  \"a\": [\n    1\n  ]\n}",
            ])
        // Malformed JSON is still text: shown as written, with or without --pretty.
        letter.value = Array("{\"type\": oops\n".utf8)
        #expect(DeadLetterFormatter.details(letter, pretty: true).last == "{\"type\": oops\n")
        // Control characters (other than tab and line feed) would garble a terminal: hex dump.
        letter.value = Array("ok\u{1B}[2J".utf8)
        #expect(DeadLetterFormatter.details(letter).contains("value (6 bytes, not text; hex dump):"))
        letter.value = []
        #expect(DeadLetterFormatter.details(letter).last == "value (0 bytes, empty)")
        letter.value = nil
        #expect(DeadLetterFormatter.details(letter).last == "value: null")
    }

    @Test func theSummaryCountsByCodeAndPipeline() {
        var summary = DeadLetterReadSummary(topics: ["mfg.dlq.v1"])
        summary.read = 7
        summary.matched = 3
        summary.byCode = ["SCHEMA_VIOLATION": 1, "MALFORMED_JSON": 2]
        summary.byPipeline = ["oee": 1, "confirmations": 2]
        #expect(
            DeadLetterFormatter.summary(summary, shown: 1) == [
                "3 dead letters matched (7 read from mfg.dlq.v1); 1 shown (--limit)", "by code:",
                "        2  MALFORMED_JSON", "        1  SCHEMA_VIOLATION", "by pipeline: confirmations 2, oee 1",
            ])
    }

    @Test func requestedOffsetsBecomeReadRangesAndMissingOnesAreReported() {
        let marks: [KafkaTopicPartition: KafkaWatermarks] = [
            KafkaTopicPartition(topic: "d", partition: 0): KafkaWatermarks(low: 0, high: 10),
            KafkaTopicPartition(topic: "d", partition: 1): KafkaWatermarks(low: 5, high: 8),
        ]
        var unavailable: [String] = []
        let all = DeadLetterQueue.ranges(filter: .all, watermarks: marks, unavailable: &unavailable)
        #expect(all.map { "\($0.partition.partition):\($0.start)..<\($0.end)" } == ["0:0..<10", "1:5..<8"])
        let chosen = DeadLetterQueue.ranges(
            filter: DeadLetterFilter(offsets: DeadLetterFilter.parseOffsets("0:3,0:2-4,1:9,1:2-6,2:0")),
            watermarks: marks, unavailable: &unavailable)
        #expect(chosen.map { "\($0.partition.partition):\($0.start)..<\($0.end)" } == ["0:2..<5", "1:5..<7"])
        #expect(
            unavailable == [
                "d/1/9: not (all) in the topic: partition 1 holds offsets 5-7",
                "d/1/2-6: not (all) in the topic: partition 1 holds offsets 5-7", "2:0: d has no partition 2",
            ])
    }

    @Test func hugeOrForeignRequestedOffsetsAreReportedNotTrapped() {
        let marks: [KafkaTopicPartition: KafkaWatermarks] = [
            KafkaTopicPartition(topic: "d", partition: 0): KafkaWatermarks(low: 0, high: 10)
        ]
        var unavailable: [String] = []
        let chosen = DeadLetterQueue.ranges(
            filter: DeadLetterFilter(offsets: DeadLetterFilter.parseOffsets("0:4-9223372036854775807,x/0/1")),
            watermarks: marks, unavailable: &unavailable)
        #expect(chosen.map { "\($0.partition.partition):\($0.start)..<\($0.end)" } == ["0:4..<10"])
        #expect(
            unavailable == [
                "d/0/4-9223372036854775807: not (all) in the topic: partition 0 holds offsets 0-9",
                "x/0/1: 'x' is not a dead-letter topic read here (d)",
            ])
        #expect(
            DeadLetterFilter.OffsetRange(partition: 0, offsets: 0...Int64.max).description == "0:0-9223372036854775807")
    }
}
