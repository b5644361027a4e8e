/// A parsed option value.
public indirect enum OptionValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case duration(DurationValue)
    case expression(Expression)
    case path(FieldPath)
    case recordField(RecordField)
    case schemaSelector(SchemaSelector)
    case expressions([Expression])
    case named([NamedExpression])
    case aggregates([Aggregate])
    case object(ParsedOptions)
    case list([OptionValue])
    case properties([String: ConfigValue])
    /// One step: its kind and options.
    case step(String, ParsedOptions)

    /// False when this value or a mapping inside it had an error.
    public var isValid: Bool {
        switch self {
        case .object(let options), .step(_, let options): options.isValid
        case .list(let values): values.allSatisfy(\.isValid)
        default: true
        }
    }

    /// The value as text, for custom steps (`Step.Kind.custom` carries options as strings).
    public var text: String {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .duration(let value): value.description
        case .expression(let value): value.description
        case .path(let value): value.description
        case .recordField(let value): value.description
        case .schemaSelector(let value): value.description
        case .expressions(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .named(let values):
            "{" + values.map { "\($0.name): \($0.expression)" }.joined(separator: ", ") + "}"
        case .aggregates(let values):
            "{"
                + values.map { "\($0.name): \($0.function.rawValue)(\($0.argument?.description ?? ""))" }
                .joined(separator: ", ") + "}"
        case .object(let options):
            "{" + options.names.map { "\($0): \(options[$0]?.text ?? "")" }.joined(separator: ", ") + "}"
        case .list(let values): "[" + values.map(\.text).joined(separator: ", ") + "]"
        case .properties(let values): "{" + values.keys.sorted().joined(separator: ", ") + "}"
        case .step(let kind, let options): kind + ": " + OptionValue.object(options).text
        }
    }
}

/// The options of one mapping after parsing: values by name, where each was written, and whether all parsed.
public struct ParsedOptions: Sendable, Hashable {
    /// Where the mapping (or the step) was written.
    public var location: SourceLocation
    private(set) var values: [String: OptionValue] = [:]
    private(set) var locations: [String: SourceLocation] = [:]
    private(set) var itemLocations: [String: [SourceLocation]] = [:]
    /// Option names in the order written.
    public private(set) var names: [String] = []
    /// False when any option had an error (builders then skip the value).
    public var isValid = true

    public init(location: SourceLocation) {
        self.location = location
    }

    mutating func set(_ name: String, _ value: OptionValue, at location: SourceLocation) {
        if values[name] == nil { names.append(name) }
        values[name] = value
        locations[name] = location
    }

    mutating func setItemLocations(_ name: String, _ locations: [SourceLocation]) {
        itemLocations[name] = locations
    }

    public subscript(name: String) -> OptionValue? { values[name] }

    /// Where element `index` of list option `name` was written (the option's location for a bare scalar).
    public func location(of name: String, item index: Int) -> SourceLocation {
        guard let items = itemLocations[name], items.indices.contains(index) else { return location(of: name) }
        return items[index]
    }

    /// Where option `name` was written (its value), or the mapping's location.
    public func location(of name: String) -> SourceLocation { locations[name] ?? location }

    public func string(_ name: String) -> String? {
        if case .string(let value) = values[name] { return value }
        return nil
    }

    public func integer(_ name: String) -> Int? {
        if case .integer(let value) = values[name] { return value }
        return nil
    }

    public func boolean(_ name: String) -> Bool? {
        if case .boolean(let value) = values[name] { return value }
        return nil
    }

    public func duration(_ name: String) -> DurationValue? {
        if case .duration(let value) = values[name] { return value }
        return nil
    }

    public func expression(_ name: String) -> Expression? {
        if case .expression(let value) = values[name] { return value }
        return nil
    }

    public func path(_ name: String) -> FieldPath? {
        if case .path(let value) = values[name] { return value }
        return nil
    }

    public func recordField(_ name: String) -> RecordField? {
        if case .recordField(let value) = values[name] { return value }
        return nil
    }

    public func schemaSelector(_ name: String) -> SchemaSelector? {
        if case .schemaSelector(let value) = values[name] { return value }
        return nil
    }

    public func expressions(_ name: String) -> [Expression]? {
        if case .expressions(let value) = values[name] { return value }
        return nil
    }

    public func named(_ name: String) -> [NamedExpression]? {
        if case .named(let value) = values[name] { return value }
        return nil
    }

    public func aggregates(_ name: String) -> [Aggregate]? {
        if case .aggregates(let value) = values[name] { return value }
        return nil
    }

    public func object(_ name: String) -> ParsedOptions? {
        if case .object(let value) = values[name] { return value }
        return nil
    }

    public func strings(_ name: String) -> [String]? {
        guard case .list(let items) = values[name] else { return nil }
        return items.compactMap {
            if case .string(let value) = $0 { return value }
            return nil
        }
    }

    public func properties(_ name: String) -> [String: ConfigValue]? {
        if case .properties(let value) = values[name] { return value }
        return nil
    }
}
