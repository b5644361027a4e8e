import Topology

/// Which faults the simulator injects and how often (`--faults duplicates=0.05,out_of_order=120s,…`).
///
/// Every share is a probability per generated event, decided with the simulator's own fault generator,
/// so switching faults on or off leaves the fault-free part of the stream unchanged.
public struct FaultConfiguration: Sendable, Hashable {
    /// `duplicates`: share of events re-sent as exact copies (default 0).
    public var duplicateShare: Double
    /// `duplicate_delay`: a copy follows its original by up to this much simulated time (default 5s).
    public var duplicateMaxDelayMs: Int64
    /// `out_of_order`: the largest delay of an out-of-order event (default 0 = off).
    public var outOfOrderMaxDelayMs: Int64
    /// `out_of_order_share`: share of events delayed when `out_of_order` is set (default 0.02).
    public var outOfOrderShare: Double
    /// `late`: share of events sent late (default 0).
    public var lateShare: Double
    /// `late_min`: smallest delay of a late event (default 15m: past 2m out-of-orderness + 10m grace).
    public var lateMinDelayMs: Int64
    /// `late_max`: largest delay of a late event (default 30m).
    public var lateMaxDelayMs: Int64
    /// `invalid`: share of events followed by an extra invalid record (default 0); the kinds (schema
    /// violation, malformed JSON, unknown type, invalid UTF-8) are chosen with equal probability.
    public var invalidShare: Double

    /// Creates a configuration; the defaults inject nothing.
    public init(
        duplicateShare: Double = 0,
        duplicateMaxDelayMs: Int64 = 5000,
        outOfOrderMaxDelayMs: Int64 = 0,
        outOfOrderShare: Double = 0.02,
        lateShare: Double = 0,
        lateMinDelayMs: Int64 = 15 * 60_000,
        lateMaxDelayMs: Int64 = 30 * 60_000,
        invalidShare: Double = 0
    ) {
        self.duplicateShare = duplicateShare
        self.duplicateMaxDelayMs = duplicateMaxDelayMs
        self.outOfOrderMaxDelayMs = outOfOrderMaxDelayMs
        self.outOfOrderShare = outOfOrderShare
        self.lateShare = lateShare
        self.lateMinDelayMs = lateMinDelayMs
        self.lateMaxDelayMs = lateMaxDelayMs
        self.invalidShare = invalidShare
    }

    /// No faults.
    public static let none = FaultConfiguration()

    /// The fault mix of domain.md §2.8: 5 % duplicates, out-of-order up to 2 min, 1 % late, 0.1 % invalid.
    public static let demo = FaultConfiguration(
        duplicateShare: 0.05, outOfOrderMaxDelayMs: 120_000, lateShare: 0.01, invalidShare: 0.001)

    /// The share of events delayed as out-of-order (0 when `out_of_order` is off).
    public var effectiveOutOfOrderShare: Double { outOfOrderMaxDelayMs > 0 ? outOfOrderShare : 0 }

    /// Whether any fault is on.
    public var isEnabled: Bool {
        duplicateShare > 0 || effectiveOutOfOrderShare > 0 || lateShare > 0 || invalidShare > 0
    }

    /// Parses `key=value` pairs separated by commas (an empty text means no faults).
    ///
    /// Keys: `duplicates`, `duplicate_delay`, `out_of_order`, `out_of_order_share`, `late`, `late_min`,
    /// `late_max`, `invalid`. Shares are numbers in 0…1; delays are durations (`250ms`, `120s`, `30m`).
    /// - Throws: ``SimulatorError/Code/invalidOption`` naming the bad pair and what was expected.
    public init(parsing text: String) throws(SimulatorError) {
        self.init()
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                throw SimulatorError(.invalidOption, "--faults: '\(item)' is not key=value")
            }
            let (key, value) = (pair[0], pair[1])
            switch key {
            case "duplicates": duplicateShare = try Self.share(key, value)
            case "duplicate_delay": duplicateMaxDelayMs = try Self.duration(key, value)
            case "out_of_order": outOfOrderMaxDelayMs = try Self.duration(key, value)
            case "out_of_order_share": outOfOrderShare = try Self.share(key, value)
            case "late": lateShare = try Self.share(key, value)
            case "late_min": lateMinDelayMs = try Self.duration(key, value)
            case "late_max": lateMaxDelayMs = try Self.duration(key, value)
            case "invalid": invalidShare = try Self.share(key, value)
            default:
                throw SimulatorError(
                    .invalidOption,
                    "--faults: unknown fault '\(key)'; expected duplicates, duplicate_delay, out_of_order, "
                        + "out_of_order_share, late, late_min, late_max or invalid")
            }
        }
        guard lateMinDelayMs <= lateMaxDelayMs else {
            throw SimulatorError(.invalidOption, "--faults: late_min must not exceed late_max")
        }
        guard duplicateShare + effectiveOutOfOrderShare + lateShare <= 1 else {
            throw SimulatorError(.invalidOption, "--faults: duplicates + out_of_order_share + late must be ≤ 1")
        }
    }

    private static func share(_ key: String, _ value: String) throws(SimulatorError) -> Double {
        guard let share = Double(value), share >= 0, share <= 1 else {
            throw SimulatorError(.invalidOption, "--faults: \(key)=\(value): expected a share between 0 and 1")
        }
        return share
    }

    private static func duration(_ key: String, _ value: String) throws(SimulatorError) -> Int64 {
        guard let duration = DurationValue(parsing: value) else {
            throw SimulatorError(
                .invalidOption, "--faults: \(key)=\(value): expected a duration such as 500ms, 120s, 30m or 2h")
        }
        return duration.milliseconds
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
