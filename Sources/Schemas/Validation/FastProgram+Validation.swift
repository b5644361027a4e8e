import JSON

extension FastProgram {
    /// `true` if `instance` conforms (the same answer as the general validator's fast mode).
    @inline(__always)
    func isValid(_ instance: JSONNode) -> Bool { Self.conforms(root, instance, nil) }

    /// The ``TypeBits`` bit of a kind (numbers: `number`; `integer` is decided apart).
    @inline(__always)
    static func kindBit(_ kind: JSONKind) -> UInt8 {
        switch kind {
        case .null: TypeBits.null
        case .false, .true: TypeBits.boolean
        case .number: TypeBits.number
        case .string: TypeBits.string
        case .array: TypeBits.array
        case .object: TypeBits.object
        }
    }

    /// `true` if `instance` conforms to `node`.
    /// - Parameter presence: What an object check of this same instance found, if one ran.
    static func conforms(_ node: FastRef, _ instance: JSONNode, _ presence: FastPresence?) -> Bool {
        let fast = node.pointee
        switch fast.kind {
        case .native: break
        case .alwaysValid: return true
        case .alwaysInvalid: return false
        case .fallback: return general(fast.general, instance)
        }
        let kind = instance.kind
        if fast.typeMask != FastNode.allTypes && fast.typeMask & kindBit(kind) == 0 {
            guard kind == .number, fast.typeMask & TypeBits.integer != 0, ValidationContext.isInteger(instance)
            else {
                return false
            }
        }
        if fast.recordsPresence && kind == .object && presence == nil,
            case .object(let rules) = fast.checks[0]
        {
            return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 64) { values in
                var seen: UInt64 = 0
                var duplicate = false
                guard checkObject(rules, instance, values.baseAddress!, &seen, &duplicate) else { return false }
                let found =
                    duplicate ? nil : FastPresence(table: rules.pointee.names, seen: seen, values: values.baseAddress!)
                for check in fast.checks.dropFirst() where !apply(check, fast.general, instance, kind, found) {
                    return false
                }
                return true
            }
        }
        if fast.checks.count == 1, case .object(let rules) = fast.checks[0], presence == nil {
            // The most common node (a closed object such as `Qty` or `EquipmentRef`): no dispatch.
            guard kind == .object else { return true }
            var seen: UInt64 = 0
            var duplicate = false
            return checkObject(rules, instance, nil, &seen, &duplicate)
        }
        for check in fast.checks where !apply(check, fast.general, instance, kind, presence) { return false }
        return true
    }

    /// The general validator for one subtree (fast mode; the graph is acyclic, so no depth guard fires).
    static func general(_ node: NodeRef, _ instance: JSONNode) -> Bool {
        var context = ValidationContext(detailed: false, maxErrors: 0, tracksDynamicScope: false)
        return context.validate(node, instance, nil) && !context.depthExceeded
    }

    /// One leaf keyword by the general validator.
    static func generic(_ op: SchemaOp, _ node: NodeRef, _ instance: JSONNode) -> Bool {
        var context = ValidationContext(detailed: false, maxErrors: 0, tracksDynamicScope: false)
        return context.apply(op, node, instance, nil)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    static func apply(
        _ check: FastCheck, _ general: NodeRef, _ instance: JSONNode, _ kind: JSONKind, _ presence: FastPresence?
    ) -> Bool {
        switch check {
        case .string(let rules):
            guard let raw = instance.rawStringBytes else { return true }
            guard instance.hasEscapes else { return checkString(rules, raw) }
            var unescaped: [UInt8] = []
            instance.appendUnescapedBytes(to: &unescaped)
            return unescaped.withUnsafeBytes { checkString(rules, $0) }

        case .stringValues(let table):
            guard let raw = instance.rawStringBytes else { return false }
            if !instance.hasEscapes {
                let document = instance.document.bytes
                return table.pointee.index(of: raw, readableEnd: document.baseAddress! + document.count) >= 0
            }
            return instance.withUnescapedBytes { table.pointee.index(of: $0, readableEnd: end(of: $0)) >= 0 } ?? false

        case .integerRange(let low, let high, let exact):
            guard kind == .number else { return true }
            if let value = instance.int64, value >= low, value <= high { return true }
            for op in exact where !generic(op, general, instance) { return false }
            return true

        case .constInteger(let expected):
            if let value = instance.int64 { return value == expected }
            return kind == .number && instance.number! == JSONNumber(expected)

        case .constBool(let flag):
            return kind == (flag ? .true : .false)

        case .object(let rules):
            guard kind == .object else { return true }
            if let presence, rules.pointee.additional == nil, let bits = presence.bits(for: rules.pointee.names) {
                return checkObject(rules, bits, presence, instance)
            }
            var seen: UInt64 = 0
            var duplicate = false
            return checkObject(rules, instance, nil, &seen, &duplicate)

        case .required(let table):
            guard kind == .object else { return true }
            let count = table.pointee.count
            let all: UInt64 = count == 64 ? ~0 : (1 << UInt64(count)) &- 1
            return (presence?.bits(for: table) ?? memberBits(table, instance)) & all == all

        case .items(let prefix, let rest):
            guard kind == .array else { return true }
            var position = 0
            for element in instance.elements {
                if position < prefix.count {
                    guard conforms(prefix[position], element, nil) else { return false }
                } else if let rest {
                    guard conforms(rest, element, nil) else { return false }
                } else {
                    return true
                }
                position += 1
            }
            return true

        case .allOf(let schemas):
            for schema in schemas where !conforms(schema, instance, presence) { return false }
            return true
        case .anyOf(let schemas):
            for schema in schemas where conforms(schema, instance, presence) { return true }
            return false
        case .oneOf(let schemas):
            var matched = 0
            for schema in schemas where conforms(schema, instance, presence) {
                matched += 1
                if matched > 1 { return false }
            }
            return matched == 1
        case .not(let schema):
            return !conforms(schema, instance, presence)
        case .conditional(let condition, let then, let otherwise):
            if conforms(condition, instance, presence) {
                if let then { return conforms(then, instance, presence) }
            } else if let otherwise {
                return conforms(otherwise, instance, presence)
            }
            return true

        case .dependentSchemas(let triggers, let schemas):
            guard kind == .object else { return true }
            var present = presence?.bits(for: triggers) ?? memberBits(triggers, instance)
            while present != 0 {
                let index = present.trailingZeroBitCount
                present &= present &- 1
                guard conforms(schemas[index], instance, presence) else { return false }
            }
            return true

        case .generic(let op):
            return generic(op, general, instance)
        }
    }

    /// The slot of each member name of `object` that is in `table`, as bits.
    @inline(__always)
    static func memberBits(_ table: UnsafePointer<FastKeyTable>, _ object: JSONNode) -> UInt64 {
        let document = object.document.bytes
        let end = document.baseAddress! + document.count
        var bits: UInt64 = 0
        for (key, _) in object.members {
            let slot = slot(of: key, in: table, readableEnd: end)
            if slot >= 0 { bits |= 1 << UInt64(slot) }
        }
        return bits
    }

    @inline(__always)
    static func slot(of key: JSONNode, in table: UnsafePointer<FastKeyTable>, readableEnd: UnsafeRawPointer) -> Int {
        guard !key.hasEscapes else { return escapedSlot(of: key, in: table) }
        return table.pointee.index(of: key.rawStringBytes.unsafelyUnwrapped, readableEnd: readableEnd)
    }

    @inline(never)
    static func escapedSlot(of key: JSONNode, in table: UnsafePointer<FastKeyTable>) -> Int {
        key.withUnescapedBytes { table.pointee.index(of: $0, readableEnd: end(of: $0)) } ?? -1
    }

    /// `properties` + `required` + `additionalProperties` in one pass over the members.
    /// - Parameters:
    ///   - record: When given, receives the tape index of each named member's value; `seen` gets the
    ///     named slots found and `duplicate` whether a name occurred twice.
    static func checkObject(
        _ rulesPointer: UnsafePointer<FastObjectRules>, _ instance: JSONNode, _ record: UnsafeMutablePointer<Int32>?,
        _ seen: inout UInt64, _ duplicate: inout Bool
    ) -> Bool {
        let rules = rulesPointer.pointee
        let document = instance.document.bytes
        let end = document.baseAddress! + document.count
        var found: UInt64 = 0
        let names = rules.names
        var hint = 0
        for (key, value) in instance.members {
            let slot =
                key.hasEscapes
                ? escapedSlot(of: key, in: names)
                : names.pointee.index(of: key.rawStringBytes.unsafelyUnwrapped, readableEnd: end, hint: hint)
            if slot >= 0 {
                hint = slot &+ 1
                let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: slot)
                if let record {
                    if found & bit != 0 { duplicate = true }
                    record[slot] = Int32(truncatingIfNeeded: value.index)
                }
                found |= bit
                if !rules.leaves[slot].isRequiredOnly {
                    guard checkLeaf(rules.leaves[slot], value, end) else { return false }
                    continue
                }
            }
            if let additional = rules.additional, !conforms(additional, value, nil) { return false }
        }
        seen = found
        return found & rules.requiredMask == rules.requiredMask
    }

    /// The object check from what an earlier pass over the same object found (`bits`: the names of
    /// `rules` that occur); only for rules without `additionalProperties`.
    static func checkObject(
        _ rulesPointer: UnsafePointer<FastObjectRules>, _ bits: UInt64, _ presence: FastPresence, _ instance: JSONNode
    ) -> Bool {
        let rules = rulesPointer.pointee
        guard bits & rules.requiredMask == rules.requiredMask else { return false }
        let document = instance.document
        let end = document.bytes.baseAddress! + document.bytes.count
        var remaining = bits
        while remaining != 0 {
            let slot = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            let value = document.node(at: presence.valueIndex(of: slot, in: rules.names))
            guard checkLeaf(rules.leaves[slot], value, end) else { return false }
        }
        return true
    }

    /// One member value against its property (`requiredOnly`: unconstrained here).
    @inline(__always)
    static func checkLeaf(_ leaf: FastLeaf, _ value: JSONNode, _ end: UnsafeRawPointer) -> Bool {
        switch leaf {
        case .anything, .requiredOnly: return true
        case .string(let stringRules, let node):
            if let raw = value.rawStringBytes, !value.hasEscapes { return checkString(stringRules, raw) }
            return conforms(node, value, nil)
        case .integer(let low, let high, let node):
            if let number = value.int64, number >= low, number <= high { return true }
            return conforms(node, value, nil)
        case .values(let table, let node):
            return isValue(value, in: table, node, readableEnd: end)
        case .node(let node):
            return conforms(node, value, nil)
        }
    }

    /// `value` is a string in `table`, or conforms to `node`.
    @inline(never)
    static func isValue(
        _ value: JSONNode, in table: UnsafePointer<FastKeyTable>, _ node: FastRef, readableEnd: UnsafeRawPointer
    ) -> Bool {
        guard let raw = value.rawStringBytes, !value.hasEscapes else { return conforms(node, value, nil) }
        return table.pointee.index(of: raw, readableEnd: readableEnd) >= 0
    }

    /// The string keywords over unescaped UTF-8 `bytes`.
    static func checkString(_ rulesPointer: UnsafePointer<FastStringRules>, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let rules = rulesPointer.pointee
        let count = bytes.count
        if let table = rules.runTable {
            // One ASCII run: the byte count is the character count.
            guard count >= rules.runMinimum, count <= rules.runMaximum, count >= rules.minLength,
                count <= rules.maxLength
            else { return false }
            if count > 0 {
                let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
                var member = true
                for index in 0..<count { member = member && table[Int(base[index])] }
                guard member else { return false }
            }
        } else {
            if rules.minLength > 0 || rules.maxLength != Int.max {
                // A character takes 1 to 4 bytes: count the characters only when the bytes leave it open.
                guard count >= rules.minLength else { return false }
                if count > rules.maxLength || rules.minLength > count / 4 {
                    let characters = scalarCount(bytes)
                    guard characters >= rules.minLength, characters <= rules.maxLength else { return false }
                }
            }
            if rules.runs.count > 0 {
                guard ByteSequenceMatcher.matches(runs: rules.runs, bytes) else { return false }
            } else if let regex = rules.regex {
                guard regex._withUnsafeGuaranteedRef({ $0.matches(bytes) }) else { return false }
            }
        }
        if let format = rules.format { return format.check(bytes) }
        return true
    }

    /// One past the last byte of `buffer` (any non-null pointer for an empty buffer without storage).
    @inline(__always)
    static func end(of buffer: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        guard let base = buffer.baseAddress else { return UnsafeRawPointer(bitPattern: 8)! }
        return base + buffer.count
    }

    /// Unicode scalars in valid UTF-8.
    static func scalarCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }
}
