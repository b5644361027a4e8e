/// What a schema says about the values of a record: which members an object has, what an array holds, which
/// kind of scalar a field is.
///
/// The topology lint resolves every path of a pipeline against the shape of the record at that step and reports
/// members the schema does not have, and scalars used where they can never fit (a date-time summed).
public indirect enum FieldShape: Sendable, Hashable {
    /// An object with its declared members; `open` when members beyond them are allowed.
    case object(members: [String: FieldShape], required: Set<String>, open: Bool)
    /// An array of elements of one shape.
    case array(FieldShape)
    /// A scalar.
    case scalar(ScalarKind)
    /// Anything: no schema says, or the schema allows more than the lint follows.
    case any

    /// The kinds of scalar the lint tells apart.
    public enum ScalarKind: String, Sendable, Hashable {
        /// Text that may hold a number (the catalogue's decimals are text: `"12.5"`).
        case text
        /// Text that never holds a number: a `format` (uuid, uri, …) or an `enum` of words.
        case word
        /// An RFC 3339 date-time.
        case timestamp
        /// An RFC 3339 full-date.
        case date
        case number
        case integer
        case boolean
        case null

        /// Whether arithmetic and `sum()` can take it (numbers, and text that may hold one).
        public var isNumeric: Bool { self == .number || self == .integer || self == .text }

        /// Whether it is a kind of text.
        var isText: Bool { self == .text || self == .word || self == .timestamp || self == .date }

        /// How a message names it.
        public var description: String {
            switch self {
            case .text: "text"
            case .word: "text that is never a number"
            case .timestamp: "a date-time"
            case .date: "a date"
            case .number: "a number"
            case .integer: "an integer"
            case .boolean: "a boolean"
            case .null: "null"
            }
        }
    }

    /// An object of these members (all optional), closed.
    public static func closedObject(_ members: [String: FieldShape]) -> FieldShape {
        .object(members: members, required: [], open: false)
    }

    /// The shape of member `name`, `nil` when the value cannot have it.
    public func member(_ name: String) -> FieldShape? {
        switch self {
        case .object(let members, _, let open): members[name] ?? (open ? .any : nil)
        case .any: .any
        case .array, .scalar: nil
        }
    }

    /// The shape of an array element, `nil` when the value is no array.
    public var element: FieldShape? {
        switch self {
        case .array(let element): element
        case .any: .any
        case .object, .scalar: nil
        }
    }

    /// The member names of an object (sorted), for messages.
    public var memberNames: [String] {
        if case .object(let members, _, _) = self { return members.keys.sorted() }
        return []
    }

    /// A value of either shape (records of several types, the branches of `anyOf`).
    public func union(_ other: FieldShape) -> FieldShape {
        switch (self, other) {
        case (.any, _), (_, .any):
            return .any
        case (.object(let left, let leftRequired, let leftOpen), .object(let right, let rightRequired, let rightOpen)):
            var members = left
            for (name, shape) in right { members[name] = members[name].map { $0.union(shape) } ?? shape }
            return .object(
                members: members, required: leftRequired.intersection(rightRequired), open: leftOpen || rightOpen)
        case (.array(let left), .array(let right)):
            return .array(left.union(right))
        case (.scalar(let left), .scalar(let right)):
            if left == right { return self }
            if left == .null { return other }
            if right == .null { return self }
            if [left, right].allSatisfy({ $0 == .integer || $0 == .number }) { return .scalar(.number) }
            if [left, right].allSatisfy(\.isText) { return .scalar(.text) }
            return .any
        default:
            return .any
        }
    }

    /// A value of both shapes (`allOf`, `$ref` beside other keywords): members of both, required by either.
    public func intersection(_ other: FieldShape) -> FieldShape {
        switch (self, other) {
        case (.any, _): return other
        case (_, .any): return self
        case (.object(let left, let leftRequired, let leftOpen), .object(let right, let rightRequired, let rightOpen)):
            var members = left
            for (name, shape) in right { members[name] = members[name].map { $0.intersection(shape) } ?? shape }
            // Closed when either is: the members are what the two declare.
            return .object(
                members: members, required: leftRequired.union(rightRequired), open: leftOpen && rightOpen)
        case (.array(let left), .array(let right)):
            return .array(left.intersection(right))
        case (.scalar(let left), .scalar(let right)):
            if left == right { return self }
            // A more precise kind wins (text with a format is a word).
            if left == .text { return other }
            if right == .text { return self }
            if left == .number && right == .integer { return other }
            if left == .integer && right == .number { return self }
            return self
        default:
            return self
        }
    }
}
