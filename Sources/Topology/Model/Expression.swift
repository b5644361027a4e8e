/// A parsed expression of the topology language (see docs/topology.md, "Expressions").
///
/// The Topology module parses and lints expressions; the Engine compiles them once into closures.
public indirect enum Expression: Sendable, Hashable {
    /// A literal value.
    case literal(Literal, SourceLocation)
    /// A path into the current record, an enrichment alias, a window result or an exploded element.
    case path(FieldPath, SourceLocation)
    /// A function call, e.g. `convert(qty, 'G', 'KG', materialId)`.
    case call(String, [Expression], SourceLocation)
    /// A unary operator.
    case unary(UnaryOperator, Expression, SourceLocation)
    /// A binary operator.
    case binary(BinaryOperator, Expression, Expression, SourceLocation)

    /// A literal of the expression language.
    public enum Literal: Sendable, Hashable {
        case string(String)
        /// A number exactly as written (`42`, `-12.345`).
        case number(String)
        case bool(Bool)
        case null
    }

    public enum UnaryOperator: String, Sendable, Hashable {
        case not
        case negate = "-"
    }

    public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        case add = "+"
        case subtract = "-"
        case multiply = "*"
        case divide = "/"
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case and
        case or
        case coalesce = "??"
    }

    /// Where the expression starts.
    public var location: SourceLocation {
        switch self {
        case .literal(_, let location), .path(_, let location), .call(_, _, let location),
            .unary(_, _, let location), .binary(_, _, _, let location):
            return location
        }
    }
}
