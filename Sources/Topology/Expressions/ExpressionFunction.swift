/// A function of the expression language: name, arity and what it does (the catalogue lint and docs use).
public struct ExpressionFunction: Sendable, Hashable {
    public var name: String
    /// Parameter names as documented, e.g. `["qty", "fromUom", "toUom", "materialId"]`.
    public var parameters: [String]
    /// Trailing parameters that may be left out (`scale` of `convert`).
    public var optionalParameters: [String]
    /// Whether the last parameter repeats (`concat(a, ...)`).
    public var isVariadic: Bool
    public var summary: String

    public init(
        name: String,
        parameters: [String],
        optionalParameters: [String] = [],
        isVariadic: Bool = false,
        summary: String
    ) {
        self.name = name
        self.parameters = parameters
        self.optionalParameters = optionalParameters
        self.isVariadic = isVariadic
        self.summary = summary
    }

    /// Fewest arguments accepted.
    public var minimumArity: Int { parameters.count }
    /// Most arguments accepted; `nil` when variadic.
    public var maximumArity: Int? { isVariadic ? nil : parameters.count + optionalParameters.count }

    /// `convert(qty, fromUom, toUom, materialId[, scale])`, `concat(a, ...)`.
    public var signature: String {
        let optional = optionalParameters.map { "[, \($0)]" }.joined()
        return name + "(" + parameters.joined(separator: ", ") + optional + (isVariadic ? ", ..." : "") + ")"
    }

    /// The functions every expression may call.
    public static let all: [ExpressionFunction] = [
        ExpressionFunction(
            name: "convert", parameters: ["qty", "fromUom", "toUom", "materialId"], optionalParameters: ["scale"],
            summary: "Converts a quantity with the per-material factors of `units.table`, half-up to `scale` "
                + "decimals (a literal 0...6, default 3); after a window the rounding residue is carried per "
                + "group key, so posted totals never drift."),
        ExpressionFunction(
            name: "localDate", parameters: ["ts"],
            summary: "The plant-local date (YYYY-MM-DD) of a timestamp, via `plantCalendar`."),
        ExpressionFunction(
            name: "localTime", parameters: ["ts"],
            summary: "The plant-local time of day (HH:MM:SS) of a timestamp, via `plantCalendar`."),
        ExpressionFunction(
            name: "lookup", parameters: ["table", "field", "key"], isVariadic: true,
            summary: "A column of the row of a global table (a quoted table name) by its key parts; null when absent."),
        ExpressionFunction(
            name: "concat", parameters: ["a"], isVariadic: true, summary: "Joins the values as text."),
        ExpressionFunction(name: "upper", parameters: ["s"], summary: "Upper-case text."),
        ExpressionFunction(name: "lower", parameters: ["s"], summary: "Lower-case text."),
        ExpressionFunction(
            name: "pad", parameters: ["s", "width", "char"],
            summary: "Left-pads text to `width` with `char` (`pad(operationId, 4, '0')`)."),
        ExpressionFunction(
            name: "round", parameters: ["x", "scale"], summary: "Rounds a decimal half-up to `scale` decimals."),
        ExpressionFunction(name: "abs", parameters: ["x"], summary: "Absolute value of a decimal."),
        ExpressionFunction(
            name: "if", parameters: ["cond", "a", "b"], summary: "`a` when `cond` is true, else `b`."),
        ExpressionFunction(
            name: "coalesce", parameters: ["a"], isVariadic: true, summary: "The first argument that is not null."),
        ExpressionFunction(
            name: "durationMs", parameters: ["fromTs", "toTs"],
            summary: "Milliseconds from one timestamp to another."),
        ExpressionFunction(
            name: "rfc3339", parameters: ["ts"],
            summary: "A timestamp (RFC 3339 text or epoch milliseconds, such as a Sparkplug metric's) as RFC 3339 UTC "
                + "text with milliseconds."),
        ExpressionFunction(name: "len", parameters: ["array"], summary: "Number of elements of an array."),
        ExpressionFunction(
            name: "eventId", parameters: [],
            summary: "The input event's id: its eventId, or where a source of foreign records says (derived from "
                + "topic, partition and offset when it says nowhere)."),
        ExpressionFunction(
            name: "sourceSystem", parameters: [],
            summary: "The system that produced the input event: its source, or where a source of foreign records "
                + "says (the source's name when it says nowhere or the record has none there)."),
    ]

    /// The function named `name`, if any.
    public static func named(_ name: String) -> ExpressionFunction? { all.first { $0.name == name } }
}
