import JSON

/// A node of a ``FastProgram``: immutable once built, trivially copyable (no reference counting).
typealias FastRef = UnsafePointer<FastNode>

/// One subschema compiled for ``CompiledSchema/isValid(_:)-(JSONNode)``: the allowed types as a
/// bit mask and a short list of checks whose operands live in raw storage of the program.
struct FastNode {
    enum Kind: UInt8 {
        /// Checked by ``FastProgram`` itself.
        case native
        /// Uses a keyword the fast path does not implement: the general validator checks this subtree.
        case fallback
        case alwaysValid
        case alwaysInvalid
    }

    /// Every ``TypeBits`` bit: the schema has no `type` keyword.
    static let allTypes: UInt8 = 0x7F

    var kind: Kind = .native
    /// Allowed instance types (``TypeBits``).
    var typeMask: UInt8 = FastNode.allTypes
    var checks = UnsafeBufferPointer<FastCheck>(start: nil, count: 0)
    /// The general node this was compiled from (for `fallback` and generic checks).
    let general: NodeRef

    init(general: NodeRef) { self.general = general }
}

/// One check of a ``FastNode``; every operand is a raw pointer into the ``FastProgram``.
enum FastCheck {
    /// `minLength`, `maxLength`, `pattern`, `format` fused (non-strings pass).
    case string(UnsafePointer<FastStringRules>)
    /// `const`/`enum` of strings only: the instance must be one of them.
    case stringValues(UnsafePointer<FastKeyTable>)
    /// `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum` with `Int64` limits, as one inclusive
    /// range for `Int64` instances; other numbers run the original keywords (`exact`).
    case integerRange(low: Int64, high: Int64, exact: UnsafeBufferPointer<SchemaOp>)
    case constInteger(Int64)
    case constBool(Bool)
    /// `properties` + `required` + `additionalProperties` in one pass over the members.
    case object(UnsafePointer<FastObjectRules>)
    /// `required` without `properties` (at most 64 names).
    case required(UnsafePointer<FastKeyTable>)
    case items(prefix: UnsafeBufferPointer<FastRef>, rest: FastRef?)
    /// `allOf` and `$ref`.
    case allOf(UnsafeBufferPointer<FastRef>)
    case anyOf(UnsafeBufferPointer<FastRef>)
    case oneOf(UnsafeBufferPointer<FastRef>)
    case not(FastRef)
    case conditional(condition: FastRef, then: FastRef?, else: FastRef?)
    case dependentSchemas(triggers: UnsafePointer<FastKeyTable>, schemas: UnsafeBufferPointer<FastRef>)
    /// A leaf keyword without subschemas, checked by the general validator.
    case generic(SchemaOp)
}

/// `properties` (at most 64 names including `required` ones) + `required` + `additionalProperties`.
struct FastObjectRules {
    var names: FastKeyTable
    /// Per name: its `properties` schema, or `nil` when the name is only `required` (such a member is
    /// then subject to `additionalProperties`, as in the general validator).
    var schemas: UnsafePointer<FastRef?>
    var requiredMask: UInt64
    /// `additionalProperties`; `nil` when absent (any other member is allowed).
    var additional: FastRef?
}

/// The string keywords of one schema.
struct FastStringRules {
    var minLength = 0
    var maxLength = Int.max
    /// Membership of each byte value in a pattern that is one ASCII class run (`^[A-Za-z0-9._:/-]+$`).
    var runTable: UnsafePointer<Bool>?
    var runMinimum = 0
    var runMaximum = Int.max
    /// A pattern of several ASCII class runs (`^[0-9]{1,15}(\.[0-9]{1,6})?$`).
    var runs = UnsafeBufferPointer<ByteSequenceMatcher.Run>(start: nil, count: 0)
    /// Any other pattern.
    var regex: Unmanaged<ECMARegex>?
    var format: FormatChecker?

    /// `true` when the pattern accepts only ASCII bytes (the byte count is then the character count).
    var asciiPattern: Bool { runTable != nil || runs.count > 0 }
}
