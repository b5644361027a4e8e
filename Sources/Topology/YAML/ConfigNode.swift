/// A YAML node with where it was written: the tree the loader builds typed values from.
indirect enum ConfigNode: Sendable {
    case scalar(ConfigScalar)
    case mapping(ConfigMapping)
    case sequence(ConfigSequence)

    var location: SourceLocation {
        switch self {
        case .scalar(let scalar): scalar.location
        case .mapping(let mapping): mapping.location
        case .sequence(let sequence): sequence.location
        }
    }

    /// "a mapping", "a list", "a scalar" — for "expected ..., found ..." messages.
    var kindDescription: String {
        switch self {
        case .scalar(let scalar): scalar.isNull ? "nothing (null)" : "the scalar '\(scalar.text)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    var scalar: ConfigScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    var mapping: ConfigMapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    var sequence: ConfigSequence? {
        if case .sequence(let sequence) = self { return sequence }
        return nil
    }

    var isNull: Bool { scalar?.isNull ?? false }
}

/// A scalar with its text after `${VAR}` substitution and enough information to locate characters inside it.
struct ConfigScalar: Sendable {
    /// How the scalar was written.
    enum Style: Sendable, Hashable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    /// The text after `${VAR}` substitution.
    var text: String
    /// The text as YAML decoded it, before substitution.
    var decoded: String
    var style: Style
    /// Where the scalar starts (its opening quote for quoted scalars, its indicator for block scalars).
    var location: SourceLocation
    /// A `${VAR}` reference in it could not be substituted (already reported; the value is not used).
    var substitutionFailed = false

    /// A plain empty value, `~` or `null` (as written, before substitution).
    var isNull: Bool {
        style == .plain
            && (decoded.isEmpty || decoded == "~" || decoded == "null" || decoded == "Null" || decoded == "NULL")
    }

    /// Whether `${VAR}` substitution changed the text (positions inside it are then approximate).
    var isSubstituted: Bool { text != decoded }
}

/// A mapping: keys in the order written.
struct ConfigMapping: Sendable {
    struct Entry: Sendable {
        var key: ConfigScalar
        var value: ConfigNode
    }

    var entries: [Entry]
    var location: SourceLocation

    subscript(key: String) -> ConfigNode? {
        entries.first { $0.key.text == key }?.value
    }

    func entry(_ key: String) -> Entry? {
        entries.first { $0.key.text == key }
    }
}

/// A list.
struct ConfigSequence: Sendable {
    var items: [ConfigNode]
    var location: SourceLocation
}
