/// An incompatible difference found when checking a new schema version against an earlier one.
public struct CompatibilityIssue: Sendable, Hashable, CustomStringConvertible {
    /// Which reader/writer pairing broke.
    public enum Direction: String, Sendable, Hashable {
        /// The new version cannot read data of the earlier one.
        case backward = "BACKWARD"
        /// The earlier version cannot read data of the new one.
        case forward = "FORWARD"
    }

    /// The difference (kind and schema pointer) that is incompatible.
    public var difference: SchemaDifference
    /// The direction that failed.
    public var direction: Direction
    /// The URI of the earlier version compared against.
    public var against: String

    /// Creates an issue.
    public init(difference: SchemaDifference, direction: Direction, against: String) {
        self.difference = difference
        self.direction = direction
        self.against = against
    }

    /// `#/pointer: KIND (BACKWARD against <uri>)`.
    public var description: String { "\(difference) (\(direction.rawValue) against \(against))" }
}
