/// One difference between two versions of a schema, in Confluent's `Difference.Type` vocabulary.
public struct SchemaDifference: Sendable, Hashable, CustomStringConvertible {
    /// What changed.
    public var kind: Kind
    /// Where, as a JSON pointer into the schema in URI-fragment form (`#/properties/data/required`).
    ///
    /// The path follows the compared schemas from their roots; `$ref`s are transparent.
    public var pointer: String

    /// Creates a difference.
    public init(kind: Kind, pointer: String) {
        self.kind = kind
        self.pointer = pointer
    }

    /// Whether a reader with the updated schema still reads data written with the original one.
    public var isCompatible: Bool { kind.isCompatible }

    /// `#/pointer: KIND`.
    public var description: String { "\(pointer): \(kind.rawValue)" }
}
