/// The type of an option: how its YAML value is parsed, linted and documented.
public indirect enum OptionType: Sendable {
    /// Any scalar text.
    case string
    /// A name: letters, digits, `_`, `-`, `.`.
    case name
    /// An integer within a range.
    case integer(ClosedRange<Int>)
    case boolean
    /// `250ms`, `30s`, `15m`, `2h`, `7d`; at least `minimum`.
    case duration(minimum: DurationValue)
    /// One of a fixed set of words.
    case choice([String])
    /// An expression (docs/topology.md "Expressions").
    case expression
    /// A field path such as `data.lines[0].qty`.
    case path
    /// Where a value of a consumed record is: a field path, or `{ header: NAME }`.
    case recordField
    /// A schema id `<type>/v<N>`, or `{ field: PATH }` / `{ header: NAME }` holding one per record.
    case schemaSelector
    /// A list of expressions (a single scalar is a one-element list).
    case expressions
    /// `[PREFIX, expr, ...]`: an upper-case literal word, then expressions.
    case prefixedKey
    /// A list of paths (each named by its last member) or a mapping `name: expression`.
    case namedExpressions
    /// A mapping `dotted.name: expression`, in order.
    case fields
    /// A mapping `name: function(expression)` of window aggregates.
    case aggregates
    /// The name of a `tables:` entry.
    case table
    /// The name of an `outputs:` entry of one of these kinds.
    case output([Output.Kind])
    /// The name of a `sources:` entry.
    case source
    /// A schema id `<type>/v<N>` the registry has.
    case schema
    /// A schema type (`operation.reported`) the registry has.
    case schemaType
    /// A nested mapping.
    case object(ObjectSpec)
    /// A list of values of one type (a single scalar is a one-element list).
    case list(OptionType)
    /// librdkafka properties; secret keys must be `{ env: NAME }` or `{ file: PATH }`.
    case kafkaProperties
    /// A pipeline's steps: a list of single-key mappings `- kind: {options}`.
    case steps

    /// How the type is written in the generated reference.
    public var documentation: String {
        switch self {
        case .string: "text"
        case .name: "name"
        case .integer(let range):
            range.upperBound == Int.max
                ? "integer ≥ \(range.lowerBound)" : "integer \(range.lowerBound)…\(range.upperBound)"
        case .boolean: "true | false"
        case .duration: "duration"
        case .choice(let words): words.joined(separator: " | ")
        case .expression: "expression"
        case .path: "field path"
        case .recordField: "field path, or { header: NAME }"
        case .schemaSelector: "schema id <type>/v<N>, or { field: PATH } or { header: NAME }"
        case .expressions: "list of expressions"
        case .prefixedKey: "[PREFIX, expression, ...]"
        case .namedExpressions: "list of paths, or mapping name: expression"
        case .fields: "mapping field.path: expression"
        case .aggregates: "mapping name: sum|count|min|max|first|last(expression)"
        case .table: "table name"
        case .output(let kinds): "name of an output of kind " + kinds.map(\.rawValue).joined(separator: " or ")
        case .source: "source name"
        case .schema: "schema id <type>/v<N>"
        case .schemaType: "schema type"
        case .object(let spec): "mapping {" + spec.options.map(\.name).joined(separator: ", ") + "}"
        case .list(let element): "list of " + element.documentation
        case .kafkaProperties: "mapping of librdkafka properties"
        case .steps: "list of steps"
        }
    }
}
