/// The contents of one `schemas/<type>/subject.yaml`: metadata, compatibility mode, upcast rules.
public struct SubjectDefinition: Sendable {
    /// What the subject's documents are.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A canonical plant event (validated and upcast on input).
        case event
        /// A record in its own shape, without catalogue conventions: what a plant system writes (read by a source
        /// with `envelope: none`), or an output of a user's own shape. Upcasting does not add `schemaVersion`.
        case record
        /// An ERP-ready transaction or exception record (validated on output).
        case transaction
        /// An analytics record (validated on output).
        case analytics
        /// Shared definitions only (`$defs`), referenced by the other subjects.
        case definitions
    }

    /// Where a rule was declared in `subject.yaml`.
    public struct RuleLocation: Sendable, Hashable {
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int
    }

    /// The type name; equals the folder name.
    public var name: String
    /// What the documents are.
    public var kind: Kind
    /// One paragraph about the subject.
    public var description: String
    /// The owning team.
    public var owner: String
    /// The compatibility mode new versions must keep.
    public var compatibility: CompatibilityMode
    /// The declared upcast steps, by `from` version ascending.
    public var upcastSteps: [Upcaster.Step]
    /// Where each rule was declared (same shape as ``upcastSteps``).
    public var ruleLocations: [[RuleLocation]]

    /// Creates a definition.
    public init(
        name: String, kind: Kind, description: String, owner: String,
        compatibility: CompatibilityMode = .default, upcastSteps: [Upcaster.Step] = [],
        ruleLocations: [[RuleLocation]] = []
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.owner = owner
        self.compatibility = compatibility
        self.upcastSteps = upcastSteps
        self.ruleLocations = ruleLocations
    }
}
