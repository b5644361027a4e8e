import JSON

/// A pointer to a compiled node's immutable runtime data. Trivial to copy (no reference counting),
/// which keeps the validation loop free of ARC traffic and exclusivity checks.
typealias NodeRef = UnsafeMutablePointer<NodeData>

/// The runtime form of a compiled (sub)schema, owned by its ``SchemaNode``.
struct NodeData {
    var constant: SchemaNode.Constant = .normal
    /// The node contains `unevaluatedProperties`/`unevaluatedItems` and must collect annotations.
    var collectsAnnotations = false
    var ops: UnsafeBufferPointer<SchemaOp> = UnsafeBufferPointer(start: nil, count: 0)
    /// For a node that is only a `$ref`: its final target, so the fast path skips the hop.
    var forward: NodeRef?
    /// No operand refers to another node: no recursion, no dynamic scope, no annotations.
    var isLeaf = false
    var resource: Unmanaged<SchemaResource>
    var owner: Unmanaged<SchemaNode>
}

/// The schema resource a compiled node belongs to (for `$dynamicRef`'s dynamic scope).
///
/// `@unchecked Sendable`: `dynamicAnchors` is written only by ``SchemaCompiler`` while compiling,
/// before any ``CompiledSchema`` referring to it is returned; afterwards it is only read.
final class SchemaResource: @unchecked Sendable {
    let uri: String
    var dynamicAnchors: [String: NodeRef] = [:]

    init(uri: String) { self.uri = uri }
}

/// One compiled (sub)schema: compile-time handle that owns the runtime ``NodeData``.
///
/// `@unchecked Sendable`: `data` and `keywords` are written only by ``SchemaCompiler`` during
/// compilation (nodes are created first and filled afterwards so that recursive `$ref`s can point
/// at them). A node becomes reachable from a ``CompiledSchema`` only when compilation has finished
/// and is never mutated afterwards. Nodes live as long as their ``SchemaNodeStore``.
final class SchemaNode: @unchecked Sendable {
    enum Constant {
        case normal
        case alwaysValid
        case alwaysInvalid
    }

    let data: NodeRef
    /// Keyword name of each op (same index), for error locations.
    var keywords: [String] = []
    /// Absolute location: resource URI + `#` + JSON pointer inside the resource.
    let location: String
    let resource: SchemaResource

    init(location: String, resource: SchemaResource) {
        self.location = location
        self.resource = resource
        data = .allocate(capacity: 1)
        data.initialize(
            to: NodeData(resource: Unmanaged.passUnretained(resource), owner: Unmanaged.passUnretained(self)))
    }

    func setOps(_ ops: [SchemaOp], keywords: [String], collectsAnnotations: Bool) {
        let buffer = UnsafeMutableBufferPointer<SchemaOp>.allocate(capacity: max(ops.count, 1))
        _ = buffer.initialize(from: ops)
        data.pointee.ops = UnsafeBufferPointer(start: buffer.baseAddress, count: ops.count)
        data.pointee.collectsAnnotations = collectsAnnotations
        self.keywords = keywords
    }

    deinit {
        if let base = data.pointee.ops.baseAddress { UnsafeMutablePointer(mutating: base).deallocate() }
        data.deinitialize(count: 1)
        data.deallocate()
    }
}

/// Owns every node, resource and operand a compiler created; compiled schemas keep it alive.
///
/// `@unchecked Sendable`: appended to only by the compiler during compilation; never read by
/// validation (which uses the trivially-copyable pointers and unmanaged references it keeps alive).
final class SchemaNodeStore: @unchecked Sendable {
    var nodes: [SchemaNode] = []
    var objects: [AnyObject] = []

    /// Keeps `object` alive as long as the store and returns an unretained reference to it.
    func keep<T: AnyObject>(_ object: T) -> Unmanaged<T> {
        objects.append(object)
        return Unmanaged.passUnretained(object)
    }
}

/// Object member rules compiled from `properties`, `patternProperties`, `additionalProperties`
/// and `required`, applied in one pass over the members. Operands are kept in raw storage so the
/// validation loop reads them without reference counting.
final class ObjectRules {
    /// Property names (`properties` and `required`), looked up by byte comparison.
    let names: KeyTable
    /// The `properties` schema for each name (nil: the name is only required).
    let schemas: UnsafeMutablePointer<NodeRef?>
    /// Indices into `names` that are required.
    let required: UnsafeBufferPointer<Int>
    private let requiredStorage: UnsafeMutablePointer<Int>
    let patterns: [(ECMARegex, NodeRef)]
    let hasPatterns: Bool
    let additional: NodeRef?

    init(names: KeyTable, schemas: [NodeRef?], required: [Int], patterns: [(ECMARegex, NodeRef)], additional: NodeRef?)
    {
        self.names = names
        self.schemas = .allocate(capacity: max(schemas.count, 1))
        self.schemas.initialize(from: schemas, count: schemas.count)
        requiredStorage = .allocate(capacity: max(required.count, 1))
        requiredStorage.initialize(from: required, count: required.count)
        self.required = UnsafeBufferPointer(start: requiredStorage, count: required.count)
        self.patterns = patterns
        hasPatterns = !patterns.isEmpty
        self.additional = additional
    }

    deinit {
        schemas.deallocate()
        requiredStorage.deallocate()
    }
}

/// `type: string`, `minLength`, `maxLength`, `pattern` and `format` of one schema, checked in one
/// step over the string's bytes.
final class StringRules {
    let requireString: Bool
    let minLength: Int
    let maxLength: Int
    /// Kept alive by the ``SchemaNodeStore`` (unmanaged: no reference counting on the hot path).
    let pattern: Unmanaged<ECMARegex>?
    let format: FormatChecker?

    init(
        requireString: Bool, minLength: Int, maxLength: Int, pattern: Unmanaged<ECMARegex>?, format: FormatChecker?
    ) {
        self.requireString = requireString
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.format = format
    }
}

/// An immutable list of nodes (`allOf`, `prefixItems`, …) in raw storage.
final class NodeList {
    let nodes: UnsafeBufferPointer<NodeRef>
    private let storage: UnsafeMutablePointer<NodeRef>

    init(_ nodes: [NodeRef]) {
        storage = .allocate(capacity: max(nodes.count, 1))
        storage.initialize(from: nodes, count: nodes.count)
        self.nodes = UnsafeBufferPointer(start: storage, count: nodes.count)
    }

    deinit { storage.deallocate() }
}

/// Keyed rules for `dependentRequired` / `dependentSchemas`.
final class DependentRules {
    let triggers: KeyTable
    let required: [KeyTable]
    let schemas: [NodeRef]
    init(triggers: KeyTable, required: [KeyTable], schemas: [NodeRef]) {
        self.triggers = triggers
        self.required = required
        self.schemas = schemas
    }
}

/// A constant value (`const`) or list (`enum`).
final class ValueBox {
    let values: [JSONValue]
    init(_ values: [JSONValue]) { self.values = values }
}

/// A name (`$dynamicRef` anchor).
final class NameBox {
    let name: String
    init(_ name: String) { self.name = name }
}

/// A numeric bound with the representations needed for fast comparison.
final class NumberLimit {
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

/// The compiled form of one keyword. Trivially copyable: operands are node pointers and unmanaged
/// references kept alive by the ``SchemaNodeStore``.
enum SchemaOp {
    case type(UInt8)
    case constant(Unmanaged<ValueBox>)
    case constantInteger(Int64)
    case constantString(Unmanaged<KeyTable>)
    case enumStrings(Unmanaged<KeyTable>)
    case enumeration(Unmanaged<ValueBox>)
    case minimum(Unmanaged<NumberLimit>)
    case maximum(Unmanaged<NumberLimit>)
    case exclusiveMinimum(Unmanaged<NumberLimit>)
    case exclusiveMaximum(Unmanaged<NumberLimit>)
    case multipleOf(Unmanaged<NumberLimit>)
    case string(Unmanaged<StringRules>)
    case minLength(Int)
    case maxLength(Int)
    case pattern(Unmanaged<ECMARegex>)
    case format(FormatChecker)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case minProperties(Int)
    case maxProperties(Int)
    case required(Unmanaged<KeyTable>)
    case dependentRequired(Unmanaged<DependentRules>)
    case object(Unmanaged<ObjectRules>)
    case propertyNames(NodeRef)
    case dependentSchemas(Unmanaged<DependentRules>)
    case items(prefix: Unmanaged<NodeList>, rest: NodeRef?)
    case contains(NodeRef, min: Int, max: Int)
    case allOf(Unmanaged<NodeList>)
    case anyOf(Unmanaged<NodeList>)
    case oneOf(Unmanaged<NodeList>)
    case not(NodeRef)
    case conditional(condition: NodeRef, then: NodeRef?, else: NodeRef?)
    case ref(NodeRef)
    case dynamicRef(NodeRef, anchor: Unmanaged<NameBox>?)
    case unevaluatedProperties(NodeRef)
    case unevaluatedItems(NodeRef)
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
