/// A duration written as `250ms`, `30s`, `15m`, `2h` or `7d`, kept as milliseconds.
public struct DurationValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds.
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: DurationValue, rhs: DurationValue) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public static func seconds(_ value: Int64) -> DurationValue { DurationValue(milliseconds: value * 1000) }
    public static func minutes(_ value: Int64) -> DurationValue { DurationValue(milliseconds: value * 60_000) }
    public static func hours(_ value: Int64) -> DurationValue { DurationValue(milliseconds: value * 3_600_000) }

    /// Parses `250ms`, `30s`, `15m`, `2h`, `7d`; `nil` when the text is not such a duration.
    public init?(parsing text: String) {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), let value = Int64(number), value >= 0 else {
                continue
            }
            let (product, overflow) = value.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            self.milliseconds = product
            return
        }
        return nil
    }

    public var description: String {
        let units: [(String, Int64)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        for (suffix, factor) in units where milliseconds != 0 && milliseconds % factor == 0 {
            return "\(milliseconds / factor)\(suffix)"
        }
        return "\(milliseconds)ms"
    }
}
