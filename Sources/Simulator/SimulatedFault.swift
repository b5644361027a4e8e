/// A fault the simulator injected into a record.
public enum SimulatedFault: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// An exact re-send of an earlier record (same key, value, headers and event id).
    case duplicate
    /// Sent later than events that occurred after it, by at most the configured out-of-orderness.
    case outOfOrder
    /// Sent so late that its window has closed (older than out-of-orderness + grace).
    case late
    /// An extra record that fails schema validation (a const, required or additionalProperties rule).
    case invalidSchema
    /// An extra record whose body is truncated JSON.
    case invalidJSON
    /// An extra record whose `type` is not in the catalogue.
    case unknownType
    /// An extra record with an invalid UTF-8 sequence inside a string.
    case invalidUTF8

    /// The name used in statistics and on the command line.
    public var name: String {
        switch self {
        case .duplicate: "duplicate"
        case .outOfOrder: "out_of_order"
        case .late: "late"
        case .invalidSchema: "invalid_schema"
        case .invalidJSON: "invalid_json"
        case .unknownType: "unknown_type"
        case .invalidUTF8: "invalid_utf8"
        }
    }

    /// Whether the record is an invalid one (a dead letter for the processor).
    public var isInvalid: Bool { rawValue >= SimulatedFault.invalidSchema.rawValue }

    /// The invalid kinds, chosen in turn with equal probability.
    public static let invalidKinds: [SimulatedFault] = [.invalidSchema, .invalidJSON, .unknownType, .invalidUTF8]

    public var description: String { name }
}
