import JSON

/// The schema resource a compiled node belongs to (for `$dynamicRef`'s dynamic scope).
///
/// `@unchecked Sendable`: `dynamicAnchors` is written only by ``SchemaCompiler`` while compiling,
/// before any ``CompiledSchema`` referring to it is returned; afterwards it is only read (and cleared
/// by ``SchemaNodeStore``'s deinit when no schema can reach it any more).
final class SchemaResource: @unchecked Sendable {
    let uri: String
    var dynamicAnchors: [String: SchemaNode] = [:]

    init(uri: String) { self.uri = uri }
}

/// One compiled (sub)schema: its keyword operations, chosen and prepared at compile time.
///
/// `@unchecked Sendable`: every stored property is written only by ``SchemaCompiler`` during
/// compilation (nodes are created first and filled afterwards so that recursive `$ref`s can point at
/// them). A node becomes reachable from a ``CompiledSchema`` only when compilation has finished, and
/// from then on it is never mutated (except by ``SchemaNodeStore``'s deinit, when it is unreachable).
final class SchemaNode: @unchecked Sendable {
    enum Constant {
        case normal
        case alwaysValid
        case alwaysInvalid
    }

    var constant: Constant = .normal
    var ops: [SchemaOp] = []
    /// Keyword name of each op (same index), for error locations.
    var keywords: [String] = []
    /// Absolute location: resource URI + `#` + JSON pointer inside the resource.
    let location: String
    let resource: SchemaResource
    /// The node contains `unevaluatedProperties`/`unevaluatedItems` and must collect annotations.
    var collectsAnnotations = false

    init(location: String, resource: SchemaResource) {
        self.location = location
        self.resource = resource
    }
}

/// Owns every node a compiler created, and breaks reference cycles (recursive schemas) once no
/// compiler or compiled schema uses them any more.
///
/// `@unchecked Sendable`: `nodes` is appended to only by the compiler during compilation and read by
/// nobody else; see ``SchemaNode``.
final class SchemaNodeStore: @unchecked Sendable {
    var nodes: [SchemaNode] = []

    deinit {
        for node in nodes {
            node.ops.removeAll()
            node.resource.dynamicAnchors.removeAll()
        }
    }
}

/// Object member rules compiled from `properties`, `patternProperties`, `additionalProperties`
/// and `required`, applied in one pass over the members.
final class ObjectRules: Sendable {
    /// Property names (`properties` and `required`), looked up by byte comparison.
    let names: KeyTable
    /// The `properties` schema for each name (nil: the name is only required).
    let schemas: [SchemaNode?]
    /// Indices into `names` that are required.
    let required: [Int]
    let patterns: [(ECMARegex, SchemaNode)]
    let additional: SchemaNode?
    let hasProperties: Bool

    init(
        names: KeyTable, schemas: [SchemaNode?], required: [Int], patterns: [(ECMARegex, SchemaNode)],
        additional: SchemaNode?, hasProperties: Bool
    ) {
        self.names = names
        self.schemas = schemas
        self.required = required
        self.patterns = patterns
        self.additional = additional
        self.hasProperties = hasProperties
    }
}

/// A numeric bound with the representations needed for fast comparison.
struct NumberLimit: Sendable {
    let value: JSONNumber
    let int64: Int64?
    let decimal: ExactDecimal?

    init(_ value: JSONNumber) {
        self.value = value
        int64 = value.int64
        decimal = value.decimal
    }

    /// Three-way comparison of `instance` (a number node) with this limit.
    @inline(__always)
    func compare(_ instance: JSONNode) -> Int {
        if let limit = int64, let value = instance.int64 { return value < limit ? -1 : (value == limit ? 0 : 1) }
        if let limit = decimal, let value = instance.decimal { return value.compare(limit) }
        return instance.number!.compare(value)
    }
}

/// The compiled form of one keyword.
enum SchemaOp: Sendable {
    case type(UInt8)
    case constant(JSONValue)
    case enumStrings(KeyTable)
    case enumeration([JSONValue])
    case minimum(NumberLimit)
    case maximum(NumberLimit)
    case exclusiveMinimum(NumberLimit)
    case exclusiveMaximum(NumberLimit)
    case multipleOf(JSONNumber, Int64?)
    case minLength(Int)
    case maxLength(Int)
    case pattern(ECMARegex)
    case format(FormatChecker)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case minProperties(Int)
    case maxProperties(Int)
    case required(KeyTable)
    case dependentRequired([([UInt8], KeyTable)])
    case object(ObjectRules)
    case propertyNames(SchemaNode)
    case dependentSchemas([([UInt8], SchemaNode)])
    case items(prefix: [SchemaNode], rest: SchemaNode?)
    case contains(SchemaNode, min: Int, max: Int?)
    case allOf([SchemaNode])
    case anyOf([SchemaNode])
    case oneOf([SchemaNode])
    case not(SchemaNode)
    case conditional(condition: SchemaNode, then: SchemaNode?, else: SchemaNode?)
    case ref(SchemaNode)
    case dynamicRef(SchemaNode, anchor: String?)
    case unevaluatedProperties(SchemaNode)
    case unevaluatedItems(SchemaNode)
}

/// Type bits for the `type` keyword.
enum TypeBits {
    static let null: UInt8 = 1
    static let boolean: UInt8 = 2
    static let object: UInt8 = 4
    static let array: UInt8 = 8
    static let number: UInt8 = 16
    static let string: UInt8 = 32
    static let integer: UInt8 = 64

    static func bit(_ name: String) -> UInt8? {
        switch name {
        case "null": null
        case "boolean": boolean
        case "object": object
        case "array": array
        case "number": number
        case "string": string
        case "integer": integer
        default: nil
        }
    }

    static func names(_ mask: UInt8) -> String {
        let all: [(UInt8, String)] = [
            (null, "null"), (boolean, "boolean"), (object, "object"), (array, "array"), (number, "number"),
            (string, "string"), (integer, "integer"),
        ]
        return all.filter { mask & $0.0 != 0 }.map(\.1).joined(separator: " or ")
    }
}

/// A set of UTF-8 keys compared byte-wise against unescaped instance strings, bucketed by length.
struct KeyTable: Sendable {
    let keys: [[UInt8]]
    private let buckets: [[Int]]

    init(_ keys: [[UInt8]]) {
        self.keys = keys
        var buckets = [[Int]](repeating: [], count: 65)
        for (index, key) in keys.enumerated() { buckets[min(key.count, 64)].append(index) }
        self.buckets = buckets
    }

    var count: Int { keys.count }

    /// The index of the key equal to the string `node`'s value, or `nil`.
    @inline(__always)
    func index(of node: JSONNode) -> Int? {
        guard let raw = node.rawStringBytes else { return nil }
        if node.hasEscapes {
            for (index, key) in keys.enumerated() where key.withUnsafeBytes({ node.stringEquals($0) }) {
                return index
            }
            return nil
        }
        let candidates = buckets[min(raw.count, 64)]
        for index in candidates {
            let matched = keys[index].withUnsafeBytes { key in
                key.count == raw.count && (raw.count == 0 || memcmp8(raw, key))
            }
            if matched { return index }
        }
        return nil
    }

    /// `true` if the object `node` has a member named `keys[index]`.
    @inline(__always)
    func objectHasMember(_ object: JSONNode, _ index: Int) -> Bool {
        keys[index].withUnsafeBytes { object.member(utf8: $0) != nil }
    }
}

@inline(__always)
func memcmp8(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    let count = lhs.count
    while index + 8 <= count {
        if lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            != rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        {
            return false
        }
        index += 8
    }
    while index < count {
        if lhs[index] != rhs[index] { return false }
        index += 1
    }
    return true
}
