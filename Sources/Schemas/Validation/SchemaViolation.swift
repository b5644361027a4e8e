/// One reason an instance does not conform to a schema.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer to the failing value in the instance ("" = root), e.g. `/data/totalCount`.
    public var instancePointer: String
    /// The keyword's path as evaluated from the root schema, through `$ref`s (e.g. `/$ref/properties/data/type`).
    public var keywordLocation: String
    /// The keyword's absolute location: the URI of its schema resource plus a JSON pointer fragment,
    /// e.g. `https://schemas.plantstream.dev/machine.cycle/v1.json#/properties/data/type`.
    public var absoluteKeywordLocation: String
    /// Human-readable explanation, e.g. `expected integer, got string`.
    public var message: String

    /// Creates a violation.
    public init(instancePointer: String, keywordLocation: String, absoluteKeywordLocation: String, message: String) {
        self.instancePointer = instancePointer
        self.keywordLocation = keywordLocation
        self.absoluteKeywordLocation = absoluteKeywordLocation
        self.message = message
    }

    /// `pointer: message` (the form `plantstream schemas validate` prints).
    public var description: String { "\(instancePointer.isEmpty ? "/" : instancePointer): \(message)" }
}
