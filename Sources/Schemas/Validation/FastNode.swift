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
    /// The first check is `.object` and later checks ask about the same object's members: the object
    /// pass records what it found (``FastPresence``) for them.
    var recordsPresence = false
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

/// How an object member's value is checked: the common one-keyword schemas are checked inline in
/// the member loop, anything else (or any unusual value) goes through its node.
enum FastLeaf {
    /// The name is only `required`: the member is subject to `additionalProperties`.
    case requiredOnly
    case anything
    /// Strings are checked by the rules; other values by the node.
    case string(UnsafePointer<FastStringRules>, FastRef)
    /// `Int64` values in the range are valid; other values go to the node.
    case integer(low: Int64, high: Int64, FastRef)
    /// Strings must be one of the values; other values go to the node.
    case values(UnsafePointer<FastKeyTable>, FastRef)
    case node(FastRef)

    var isRequiredOnly: Bool {
        if case .requiredOnly = self { return true }
        return false
    }

    init(_ node: FastRef?) {
        guard let node else {
            self = .requiredOnly
            return
        }
        let fast = node.pointee
        guard fast.kind == .native else {
            self = fast.kind == .alwaysValid ? .anything : .node(node)
            return
        }
        guard fast.checks.count == 1 else {
            self = fast.checks.isEmpty && fast.typeMask == FastNode.allTypes ? .anything : .node(node)
            return
        }
        switch fast.checks[0] {
        case .string(let rules) where fast.typeMask & TypeBits.string != 0: self = .string(rules, node)
        case .integerRange(let low, let high, _) where fast.typeMask & TypeBits.integer != 0:
            self = .integer(low: low, high: high, node)
        case .stringValues(let table) where fast.typeMask & TypeBits.string != 0: self = .values(table, node)
        default: self = .node(node)
        }
    }
}

/// `properties` (at most 64 names including `required` ones) + `required` + `additionalProperties`.
struct FastObjectRules {
    var names: UnsafePointer<FastKeyTable>
    /// Per name: how its `properties` schema checks the value.
    var leaves: UnsafePointer<FastLeaf>
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

/// What the member pass of an object check found in one object instance: which names of its table
/// occur and where their values are. Later checks of the same instance (`required`,
/// `dependentSchemas`, an `if` over some members, a `$ref`'d rule set) answer from it instead of
/// scanning the members again, whenever all the names they ask about are in that table.
struct FastPresence {
    let table: UnsafePointer<FastKeyTable>
    let seen: UInt64
    /// Tape index of the value of each present slot of `table`.
    let values: UnsafePointer<Int32>

    /// The slots of `other` whose names occur, as bits; `nil` when `other` has a name `table` lacks.
    @inline(__always)
    func bits(for other: UnsafePointer<FastKeyTable>) -> UInt64? {
        guard let ids = other.pointee.nameIDs, let slotOfID = table.pointee.slotOfID else { return nil }
        var bits: UInt64 = 0
        for index in 0..<other.pointee.count {
            let slot = Int(slotOfID[Int(ids[index])])
            if slot < 0 { return nil }
            if seen & (1 &<< UInt64(truncatingIfNeeded: slot)) != 0 { bits |= 1 &<< UInt64(truncatingIfNeeded: index) }
        }
        return bits
    }

    /// The tape index of the value named by slot `index` of `other` (which must be present).
    @inline(__always)
    func valueIndex(of index: Int, in other: UnsafePointer<FastKeyTable>) -> Int {
        Int(values[Int(table.pointee.slotOfID.unsafelyUnwrapped[Int(other.pointee.nameIDs.unsafelyUnwrapped[index])])])
    }
}
