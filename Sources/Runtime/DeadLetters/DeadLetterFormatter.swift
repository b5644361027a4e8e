import Foundation
import JSON
import Timekeeping

/// The text `plantstream dlq` prints: list lines, summaries, JSON lines, details, replay lines.
public enum DeadLetterFormatter {
    /// The longest message in a list line (longer ones end with `…`).
    public static let messageWidth = 60

    /// The column titles of ``listLine(_:)``.
    public static var listHeader: String {
        columns(["DEAD LETTER", "TIME", "PIPELINE", "CODE", "PATH", "MESSAGE", "SOURCE"])
    }

    /// One line per dead letter: where it is, its time, pipeline, error code, JSON path, message (truncated) and
    /// the original record's topic/partition/offset (plus `replay of …` when the record was a replay).
    public static func listLine(_ letter: DeadLetter) -> String {
        var line = columns([
            letter.address.description, letter.timestamp.map(RFC3339.string) ?? "-", letter.pipeline ?? "-",
            letter.code ?? "-", nonEmpty(letter.path), truncated(singleLine(letter.message ?? "-"), messageWidth),
            letter.sourceDescription ?? "-",
        ])
        if let replayedFrom = letter.replayedFrom { line += "  (replay of \(replayedFrom))" }
        return line
    }

    /// The closing summary of a list: how many matched, by error code and by pipeline.
    ///
    /// - Parameters:
    ///   - summary: What the read found.
    ///   - shown: How many were printed (fewer than matched with `--limit`).
    public static func summary(_ summary: DeadLetterReadSummary, shown: Int) -> [String] {
        let topics = summary.topics.joined(separator: ", ")
        var lines = [
            "\(summary.matched) dead letter\(summary.matched == 1 ? "" : "s") matched (\(summary.read) read from "
                + "\(topics))" + (shown < summary.matched ? "; \(shown) shown (--limit)" : "")
        ]
        guard summary.matched > 0 else { return lines }
        lines.append("by code:")
        for (code, count) in sortedCounts(summary.byCode) {
            lines.append("  " + String(repeating: " ", count: max(0, 7 - String(count).count)) + "\(count)  \(code)")
        }
        lines.append(
            "by pipeline: " + sortedCounts(summary.byPipeline).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        return lines
    }

    /// One JSON object (one line) with everything about a dead letter; key, value and header values are strings
    /// when they are UTF-8, else `keyBase64` / `valueBase64` members.
    public static func json(_ letter: DeadLetter) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("dlqTopic")
        writer.string(letter.address.topic)
        writer.key("dlqPartition")
        writer.int(Int64(letter.address.partition))
        writer.key("dlqOffset")
        writer.int(letter.address.offset)
        writer.key("timestamp")
        if let timestamp = letter.timestamp { writer.string(RFC3339.string(timestamp)) } else { writer.null() }
        writer.key("timestampMs")
        if let timestamp = letter.timestamp { writer.int(timestamp) } else { writer.null() }
        for (name, value) in [
            ("pipeline", letter.pipeline), ("code", letter.code), ("path", letter.path), ("message", letter.message),
            ("schemaId", letter.schemaID), ("sourceTopic", letter.sourceTopic),
        ] {
            writer.key(name)
            if let value { writer.string(value) } else { writer.null() }
        }
        writer.key("sourcePartition")
        if let partition = letter.sourcePartition { writer.int(Int64(partition)) } else { writer.null() }
        writer.key("sourceOffset")
        if let offset = letter.sourceOffset {
            writer.int(offset)
        } else if let text = letter.sourceOffsetText {
            writer.string(text)
        } else {
            writer.null()
        }
        writer.key("replayedFrom")
        if let replayedFrom = letter.replayedFrom { writer.string(replayedFrom) } else { writer.null() }
        let blocker = letter.replayBlocker()
        writer.key("replayable")
        writer.bool(blocker == nil)
        if let blocker {
            writer.key("notReplayableBecause")
            writer.string(blocker)
        }
        bytes(letter.key, name: "key", into: &writer)
        bytes(letter.value, name: "value", into: &writer)
        writer.key("headers")
        writer.beginArray()
        for header in letter.headers {
            writer.beginObject()
            writer.key("name")
            writer.string(header.name)
            bytes(header.value, name: "value", into: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Everything about one dead letter for reading: reason, source, headers, key, and the value exactly as
    /// written when it is text, else as a hex dump.
    ///
    /// - Parameters:
    ///   - letter: The dead letter.
    ///   - pretty: Indent a JSON value (tokens kept as written) instead of printing it as written.
    public static func details(_ letter: DeadLetter, pretty: Bool = false) -> [String] {
        var lines = ["dead letter \(letter.address)"]
        func field(_ name: String, _ value: String) {
            lines.append("  " + name.padding(toLength: 15, withPad: " ", startingAt: 0) + value)
        }
        let time = letter.timestamp.map {
            RFC3339.string($0) + (letter.isLogAppendTime ? " (LogAppendTime)" : " (original record's)")
        }
        field("time", time ?? "-")
        field("pipeline", letter.pipeline ?? "-")
        field("error code", letter.code ?? "-")
        field("error path", nonEmpty(letter.path))
        field("error message", singleLine(letter.message ?? "-"))
        field("source", letter.sourceDescription ?? "-")
        field("schema id", letter.schemaID ?? "-")
        field("replay of", letter.replayedFrom ?? "-")
        if let blocker = letter.replayBlocker() {
            field("replayable", "no: \(blocker)")
        } else {
            field(
                "replayable",
                "yes, to \(letter.sourceTopic ?? "?") partition \(letter.sourcePartition.map(String.init) ?? "by key")")
        }
        lines.append("headers (\(letter.headers.count)):")
        for header in letter.headers { lines.append("  \(header.name): \(display(header.value))") }
        lines.append("key: " + (letter.key.map { "(\($0.count) bytes) " + display($0) } ?? "null"))
        guard let value = letter.value else {
            lines.append("value: null")
            return lines
        }
        if value.isEmpty {
            lines.append("value (0 bytes, empty)")
        } else if pretty, let indented = JSONPrettyPrinter.format(value) {
            lines.append("value (\(value.count) bytes, JSON, indented by --pretty):")
            lines.append(indented)
        } else if let text = printableText(value) {
            lines.append("value (\(value.count) bytes, as written):")
            lines.append(text)
        } else {
            lines.append("value (\(value.count) bytes, not text; hex dump):")
            lines.append(contentsOf: HexDump.lines(value))
        }
        return lines
    }

    /// The line for one record a replay sent (or would send, `dryRun`).
    public static func replayLine(_ replay: DeadLetterReplay, result: DeadLetterReplayer.Result?) -> String {
        let letter = replay.deadLetter
        var target = replay.topic
        if let result, let offset = result.offset {
            target += "/\(result.partition)/\(offset)"
        } else {
            target += "/" + (replay.partition.map(String.init) ?? "(by key)")
        }
        var line =
            "\(letter.address) -> \(target)  \(letter.code ?? "-")  \(letter.pipeline ?? "-")  key "
            + (letter.key.map(display) ?? "null")
        if !replay.alsoCovers.isEmpty {
            line += "  (also \(replay.alsoCovers.map(\.description).joined(separator: ", ")))"
        }
        if let error = result?.error { line += "  FAILED: \(error)" }
        return (result == nil ? "would replay " : result?.error == nil ? "replayed " : "not replayed ") + line
    }

    private static func bytes(_ bytes: [UInt8]?, name: String, into writer: inout JSONWriter) {
        guard let bytes else {
            writer.key(name)
            writer.null()
            return
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            writer.key(name)
            writer.string(text)
        } else {
            writer.key(name + "Base64")
            writer.string(Data(bytes).base64EncodedString())
        }
    }

    /// A header value or key for reading: the text when it is printable UTF-8, else `hex:` and the bytes.
    static func display(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "null" }
        if let text = String(validating: bytes, as: UTF8.self),
            !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        {
            return text
        }
        return "hex:" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The bytes as text when they are UTF-8 without control characters other than tab and line feed.
    static func printableText(_ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self),
            !text.unicodeScalars.contains(where: {
                ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || (0x7F...0x9F).contains($0.value)
            })
        else { return nil }
        return text
    }

    private static func columns(_ values: [String]) -> String {
        let widths = [22, 24, 24, 20, 18, messageWidth]
        var line = ""
        for (index, value) in values.enumerated() {
            if index < widths.count {
                line +=
                    value.count < widths[index]
                    ? value.padding(toLength: widths[index], withPad: " ", startingAt: 0) : value
                line += "  "
            } else {
                line += value
            }
        }
        return line
    }

    private static func nonEmpty(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "-" }
        return text
    }

    private static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    private static func truncated(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    private static func sortedCounts(_ counts: [String: Int]) -> [(key: String, value: Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }
}
