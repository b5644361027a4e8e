/// The kind of a JSON value.
public enum JSONKind: UInt8, Sendable, Hashable {
    case null = 0
    case `false` = 1
    case `true` = 2
    case number = 3
    case string = 4
    case array = 5
    case object = 6

    /// The JSON Schema `type` name of this kind (`"boolean"` for both booleans; numbers are `"number"`).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .false, .true: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
