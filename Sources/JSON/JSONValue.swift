/// A JSON value as an owned tree (DOM), for schemas, configuration and tests — not for the hot path.
///
/// Equality follows JSON Schema: numbers compare by mathematical value (`1 == 1.0`), object members
/// compare regardless of order, strings compare by Unicode scalars (no normalization).
public enum JSONValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Builds a tree from a parsed value (allocates).
    public init(_ node: JSONNode) {
        switch node.kind {
        case .null: self = .null
        case .true: self = .bool(true)
        case .false: self = .bool(false)
        case .number: self = .number(node.number!)
        case .string: self = .string(node.string!)
        case .array: self = .array(node.elements.map(JSONValue.init))
        case .object:
            self = .object(
                JSONObject(node.members.map { JSONObject.Member(key: $0.key.string!, value: JSONValue($0.value)) }))
        }
    }

    /// Parses a JSON text into a tree.
    /// - Throws: ``JSONError``.
    public init(parsing bytes: UnsafeRawBufferPointer, maxDepth: Int = JSONReader.defaultMaxDepth) throws(JSONError) {
        let tape = JSONTape()
        let document = try JSONReader(maxDepth: maxDepth).parse(bytes, into: tape)
        self.init(document.root)
        withExtendedLifetime(tape) {}
    }

    /// Parses a JSON text into a tree.
    /// - Throws: ``JSONError``.
    public init(parsing bytes: [UInt8], maxDepth: Int = JSONReader.defaultMaxDepth) throws(JSONError) {
        var result: Result<JSONValue, JSONError> = .success(.null)
        bytes.withUnsafeBytes { buffer in
            do throws(JSONError) {
                result = .success(try JSONValue(parsing: buffer, maxDepth: maxDepth))
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }

    /// Parses a JSON text into a tree.
    /// - Throws: ``JSONError``.
    public init(parsing text: String, maxDepth: Int = JSONReader.defaultMaxDepth) throws(JSONError) {
        try self.init(parsing: Array(text.utf8), maxDepth: maxDepth)
    }

    /// The kind of the value (`true`/`false` distinguished).
    public var kind: JSONKind {
        switch self {
        case .null: .null
        case .bool(let value): value ? .true : .false
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// The member `key` of an object (first if repeated), else `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` of an array, else `nil`.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, if this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The boolean, if this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The object, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// JSON Schema equality (see the type's documentation).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let left), .bool(let right)): left == right
        case (.number(let left), .number(let right)): left == right
        case (.string(let left), .string(let right)): left.unicodeScalars.elementsEqual(right.unicodeScalars)
        case (.array(let left), .array(let right)): left == right
        case (.object(let left), .object(let right)): left == right
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .number(let value): hasher.combine(value)
        case .string(let value):
            for scalar in value.unicodeScalars { hasher.combine(scalar.value) }
        case .array(let value): hasher.combine(value)
        case .object(let value): hasher.combine(value)
        }
    }

    /// Compact JSON text.
    public var description: String {
        var writer = JSONWriter()
        writer.value(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// An object's members in document order; equality ignores order.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One member.
    public struct Member: Sendable, Hashable {
        /// The member name.
        public var key: String
        /// The member value.
        public var value: JSONValue

        /// Creates a member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Members in document order (duplicates kept as written).
    public var members: [Member]

    /// Creates an object.
    public init(_ members: [Member] = []) { self.members = members }

    /// The value of the first member named `key`.
    public subscript(key: String) -> JSONValue? {
        for member in members where member.key.utf8.elementsEqual(key.utf8) { return member.value }
        return nil
    }

    /// The member names in order.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    /// Unordered equality of members (names compared by scalars, values by JSON Schema equality).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        func sorted(_ members: [Member]) -> [Member] {
            members.enumerated().sorted { left, right in
                left.element.key.utf8.lexicographicallyPrecedes(right.element.key.utf8)
                    || (left.element.key.utf8.elementsEqual(right.element.key.utf8) && left.offset < right.offset)
            }.map(\.element)
        }
        for (left, right) in zip(sorted(lhs.members), sorted(rhs.members)) {
            guard left.key.utf8.elementsEqual(right.key.utf8), left.value == right.value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: combine member hashes commutatively.
        var combined = 0
        for member in members {
            var memberHasher = Hasher()
            memberHasher.combine(member.key)
            memberHasher.combine(member.value)
            combined ^= memberHasher.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONObject.Member(key: $0.0, value: $0.1) }))
    }
}
