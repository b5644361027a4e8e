import Foundation
import Topology

extension DeadLetterFilter {
    /// Parses `--offsets`: comma-separated `P:O`, `P:FROM-TO`, `TOPIC/P/O` or `TOPIC/P/FROM-TO` (offsets of the
    /// dead-letter topics, as `plantstream dlq list` prints them).
    ///
    /// - Parameter text: The list.
    /// - Returns: The ranges, or `nil` with nothing parsed when an item is malformed (see
    ///   ``offsetSyntaxError(_:)``).
    public static func parseOffsets(_ text: String) -> [OffsetRange]? {
        var ranges: [OffsetRange] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let range = parseOffsetItem(item.trimmingCharacters(in: .whitespaces)) else { return nil }
            ranges.append(range)
        }
        return ranges.isEmpty ? nil : ranges
    }

    /// The first malformed item of an `--offsets` list, for the error message.
    public static func offsetSyntaxError(_ text: String) -> String? {
        for item in text.split(separator: ",", omittingEmptySubsequences: false)
        where parseOffsetItem(item.trimmingCharacters(in: .whitespaces)) == nil {
            return "'\(item)': expected PARTITION:OFFSET, PARTITION:FROM-TO or TOPIC/PARTITION/OFFSET"
        }
        return nil
    }

    private static func parseOffsetItem(_ item: String) -> OffsetRange? {
        let topic: String?
        let partitionText: Substring
        let offsetText: Substring
        if item.contains("/") {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[0].isEmpty else { return nil }
            topic = String(parts[0])
            partitionText = parts[1]
            offsetText = parts[2]
        } else {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            topic = nil
            partitionText = parts[0]
            offsetText = parts[1]
        }
        guard let partition = Int32(partitionText), partition >= 0 else { return nil }
        let bounds = offsetText.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 1 || bounds.count == 2, let from = Int64(bounds[0]), from >= 0 else { return nil }
        let to = bounds.count == 2 ? Int64(bounds[1]) : from
        guard let to, to >= from else { return nil }
        return OffsetRange(topic: topic, partition: partition, offsets: from...to)
    }

    /// Parses `--since`: an RFC 3339 instant (`2026-04-14T08:00:00Z`, fractions and offsets allowed), a UTC date
    /// (`2026-04-14`), or a duration back from now (`90m`, `2h`, `3d`).
    ///
    /// - Parameters:
    ///   - text: The value.
    ///   - now: The current time in milliseconds since the epoch.
    /// - Returns: Milliseconds since the epoch, or `nil` when the text is none of these.
    public static func parseInstant(_ text: String, now: Int64) -> Int64? {
        if let duration = DurationValue(parsing: text) { return now - duration.milliseconds }
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime], [.withFullDate],
        ] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            formatter.timeZone = TimeZone(identifier: "UTC")
            if let date = formatter.date(from: text) {
                return Int64((date.timeIntervalSince1970 * 1000).rounded())
            }
        }
        return nil
    }
}
