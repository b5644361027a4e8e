/// One option of a section or step: name, type, whether required, default and description.
public struct OptionSpec: Sendable {
    public var name: String
    public var type: OptionType
    public var isRequired: Bool
    /// The default as written in YAML, for the reference (`nil` = no default / absent means off).
    public var defaultValue: String?
    public var summary: String
    /// The finding kind when a required option is absent (`missingDeadLetter` for `deadLetter`).
    var missingKind: TopologyFinding.Kind = .missingField
    /// Extra advice appended to the "missing" message.
    var missingAdvice: String?

    public init(
        _ name: String,
        _ type: OptionType,
        required: Bool = false,
        default defaultValue: String? = nil,
        _ summary: String
    ) {
        self.name = name
        self.type = type
        self.isRequired = required
        self.defaultValue = defaultValue
        self.summary = summary
    }

    init(
        _ name: String,
        _ type: OptionType,
        requiredAs missingKind: TopologyFinding.Kind,
        advice: String,
        _ summary: String
    ) {
        self.init(name, type, required: true, summary)
        self.missingKind = missingKind
        self.missingAdvice = advice
    }
}

/// The shape of a YAML mapping: its options, groups of which exactly one must be given, and docs.
public struct ObjectSpec: Sendable {
    /// Used in messages: "window", "source", "emit".
    public var name: String
    public var options: [OptionSpec]
    /// Each group lists options of which exactly one must be written (e.g. tumbling | hopping | session).
    public var exactlyOneOf: [[String]]
    /// The option a bare scalar sets (`filter: "x > 0"` sets `when`).
    public var shorthand: String?

    /// When set, the whole mapping is this one option (`map:` is itself the mapping of fields).
    public var wholeMapping: String?

    public init(
        name: String,
        options: [OptionSpec],
        exactlyOneOf: [[String]] = [],
        shorthand: String? = nil,
        wholeMapping: String? = nil
    ) {
        self.name = name
        self.options = options
        self.exactlyOneOf = exactlyOneOf
        self.shorthand = shorthand
        self.wholeMapping = wholeMapping
    }

    public func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }
}
