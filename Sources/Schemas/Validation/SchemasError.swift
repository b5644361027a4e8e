/// An error from loading or compiling schemas.
///
/// Carries where the problem is: the schema resource URI, the file it came from (when known) and
/// the JSON pointer of the offending keyword inside it. Other parts of the `Schemas` module add
/// their own codes in extensions of ``SchemasError/Code``.
public struct SchemasError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A stable identifier, e.g. `invalidKeyword`.
        public let rawValue: String
        /// Creates a code (other parts of the module declare theirs as static members).
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A keyword has a value of the wrong type or range (e.g. `"minLength": -1`).
        public static let invalidKeyword = Code("invalidKeyword")
        /// A `$ref`/`$dynamicRef` whose target is neither loaded nor resolvable.
        public static let unresolvedReference = Code("unresolvedReference")
        /// A `pattern`/`patternProperties` regular expression that is invalid or unsupported.
        public static let invalidPattern = Code("invalidPattern")
        /// Two resources claim the same URI.
        public static let duplicateResource = Code("duplicateResource")
        /// The schema declares a required vocabulary this validator does not know.
        public static let unsupportedVocabulary = Code("unsupportedVocabulary")
        /// A schema file is not valid JSON.
        public static let invalidJSON = Code("invalidJSON")
        /// A URI that cannot be used as a base or reference.
        public static let invalidURI = Code("invalidURI")
    }

    /// What went wrong.
    public var code: Code
    /// The schema resource (absolute URI) the problem is in, if known.
    public var uri: String?
    /// The file the resource was loaded from, if known.
    public var file: String?
    /// JSON pointer to the offending value inside the resource ("" = root).
    public var pointer: String
    /// Human-readable explanation.
    public var message: String

    /// Creates an error.
    public init(code: Code, uri: String? = nil, file: String? = nil, pointer: String = "", message: String) {
        self.code = code
        self.uri = uri
        self.file = file
        self.pointer = pointer
        self.message = message
    }

    public var description: String {
        let place = file ?? uri ?? "<schema>"
        return "\(place)#\(pointer): \(message)"
    }
}
