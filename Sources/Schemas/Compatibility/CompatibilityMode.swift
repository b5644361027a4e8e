/// A subject's compatibility mode (Confluent Schema Registry semantics).
///
/// BACKWARD: the new version can read data written with the previous one (new reader, old writer).
/// FORWARD: the previous version can read data written with the new one. FULL: both. The
/// TRANSITIVE forms check against every earlier version instead of only the previous one.
public enum CompatibilityMode: String, Sendable, Hashable, CaseIterable {
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
    case none = "NONE"

    /// The mode when `subject.yaml` names none.
    public static let `default` = CompatibilityMode.backward

    /// Whether the new version must read data of the older ones.
    public var checksBackward: Bool { self != .none && self != .forward && self != .forwardTransitive }

    /// Whether the older versions must read data of the new one.
    public var checksForward: Bool { self != .none && self != .backward && self != .backwardTransitive }

    /// Whether every earlier version is checked, not only the previous one.
    public var isTransitive: Bool {
        self == .backwardTransitive || self == .forwardTransitive || self == .fullTransitive
    }
}
