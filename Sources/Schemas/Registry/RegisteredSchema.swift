import JSON

/// One published schema version: its document, file and compiled validator.
///
/// A class so that the hot-path lookups in ``SchemaRegistry`` hand out one reference; immutable.
public final class RegisteredSchema: Sendable {
    /// `<type>/v<N>`.
    public let id: SchemaID
    /// What the subject's documents are.
    public let kind: SubjectDefinition.Kind
    /// The file it was loaded from.
    public let file: String
    /// The schema document.
    public let document: JSONValue
    /// The validator compiled from it (format assertion on).
    public let validator: CompiledSchema
    /// Whether this is the subject's newest version (events of older versions get upcast).
    public let isLatest: Bool

    init(
        id: SchemaID, kind: SubjectDefinition.Kind, file: String, document: JSONValue, validator: CompiledSchema,
        isLatest: Bool
    ) {
        self.id = id
        self.kind = kind
        self.file = file
        self.document = document
        self.validator = validator
        self.isLatest = isLatest
    }

    /// The `$id` URI.
    public var uri: String { id.uri }
}
