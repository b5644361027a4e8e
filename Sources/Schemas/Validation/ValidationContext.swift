import JSON

/// Annotation results of one subschema at one instance location: which object members and array
/// items it evaluated (for `unevaluatedProperties`/`unevaluatedItems`).
struct EvaluationSet {
    var all = false
    var low: UInt64 = 0
    /// Words for indices 64 and above; `nil` (no allocation) until needed.
    var high: [UInt64]?

    @inline(__always)
    mutating func insert(_ index: Int) {
        if index < 64 {
            low |= 1 << UInt64(index)
            return
        }
        let word = index / 64 - 1
        var words = high ?? []
        while words.count <= word { words.append(0) }
        words[word] |= 1 << UInt64(index % 64)
        high = words
    }

    @inline(__always)
    func contains(_ index: Int) -> Bool {
        if all { return true }
        if index < 64 { return low & (1 << UInt64(index)) != 0 }
        let word = index / 64 - 1
        guard let high else { return false }
        return word < high.count && high[word] & (1 << UInt64(index % 64)) != 0
    }

    mutating func formUnion(_ other: EvaluationSet) {
        all = all || other.all
        low |= other.low
        if let otherHigh = other.high {
            var words = high ?? []
            while words.count < otherHigh.count { words.append(0) }
            for index in otherHigh.indices { words[index] |= otherHigh[index] }
            high = words
        }
    }
}

/// Evaluated members and items of one instance location.
struct Evaluated {
    var properties = EvaluationSet()
    var items = EvaluationSet()

    mutating func merge(_ other: Evaluated) {
        properties.formUnion(other.properties)
        items.formUnion(other.items)
    }
}

/// State of one validation run (on the caller's stack).
struct ValidationContext {
    enum PathItem {
        case key(JSONNode)
        case index(Int)
    }

    /// Deepest nesting of schema evaluations (guards against `$ref` cycles that never consume input).
    static let maxDepth = 512
    static let depthMessage =
        "schema evaluation nested deeper than \(maxDepth) levels (a $ref cycle that never consumes input?)"

    let detailed: Bool
    let maxErrors: Int
    let tracksDynamicScope: Bool
    var errors: [SchemaViolation] = []
    var suppressed = 0
    var instancePath: [PathItem] = []
    var keywordPath: [String] = []
    var dynamicScope: [Unmanaged<SchemaResource>] = []
    var depth = 0
    /// Set while the branches of a failed `anyOf`/`oneOf` are evaluated again to explain them (nested ones
    /// then give only their summary: explaining stays linear in the schema's size).
    var explainingBranches = false
    /// Set when `maxDepth` was hit: the result is then "invalid" whatever the combinators say, so the
    /// fast and the detailed path agree on schemas that recurse without consuming input.
    var depthExceeded = false

    init(detailed: Bool, maxErrors: Int, tracksDynamicScope: Bool) {
        self.detailed = detailed
        self.maxErrors = maxErrors
        self.tracksDynamicScope = tracksDynamicScope
    }

    /// Continue after a failure to find more errors (detailed mode outside speculative branches).
    var exhaustive: Bool { detailed && suppressed == 0 && errors.count < maxErrors }

    // MARK: Reporting

    mutating func report(_ node: NodeRef, _ keyword: String, _ message: @autoclosure () -> String) {
        guard detailed && suppressed == 0 && errors.count < maxErrors else { return }
        let node = node.pointee.owner.takeUnretainedValue()
        let keywordTail = keyword.isEmpty ? "" : "/" + JSONPointer.escape(keyword)
        let evaluation = keywordPath.map { "/" + JSONPointer.escape($0) }.joined() + keywordTail
        let absolute = node.location + keywordTail
        errors.append(
            SchemaViolation(
                instancePointer: instancePointer(), keywordLocation: evaluation, absoluteKeywordLocation: absolute,
                message: message()))
    }

    /// How many alternatives of a failed `anyOf`/`oneOf` are explained.
    static let branchesExplained = 3

    /// Why the first few alternatives of a failed `anyOf`/`oneOf` failed, as `: [0] /x: …; [1] …` — their first
    /// violation each; empty unless the failure is reported (detailed mode, outside speculative branches).
    mutating func branchReasons(
        _ keyword: String, _ schemas: UnsafeBufferPointer<NodeRef>, _ instance: JSONNode
    ) -> String {
        guard detailed && suppressed == 0 && errors.count < maxErrors && !explainingBranches else { return "" }
        let saved = errors
        explainingBranches = true
        var reasons: [String] = []
        for offset in 0..<min(schemas.count, Self.branchesExplained) {
            errors = []
            enterKeyword(keyword, String(offset))
            _ = validate(schemas[offset], instance, nil)
            leaveKeyword(2)
            guard let first = errors.first else { continue }
            reasons.append(
                "[\(offset)] \(first.instancePointer.isEmpty ? "/" : first.instancePointer): \(first.message)")
        }
        explainingBranches = false
        errors = saved
        guard !reasons.isEmpty else { return "" }
        return ": " + reasons.joined(separator: "; ") + (schemas.count > Self.branchesExplained ? "; …" : "")
    }

    func instancePointer() -> String {
        var pointer = ""
        for item in instancePath {
            switch item {
            case .key(let key): pointer += "/" + JSONPointer.escape(key.string ?? "")
            case .index(let index): pointer += "/" + String(index)
            }
        }
        return pointer
    }

    @inline(__always) mutating func enter(_ item: PathItem) { if detailed { instancePath.append(item) } }
    @inline(__always) mutating func leave() { if detailed { instancePath.removeLast() } }
    @inline(__always) mutating func enterKeyword(_ keyword: String) { if detailed { keywordPath.append(keyword) } }
    @inline(__always) mutating func enterKeyword(_ keyword: String, _ detail: @autoclosure () -> String) {
        if detailed {
            keywordPath.append(keyword)
            keywordPath.append(detail())
        }
    }
    @inline(__always) mutating func leaveKeyword(_ count: Int = 1) {
        if detailed { keywordPath.removeLast(count) }
    }

    static func describe(_ node: JSONNode) -> String {
        switch node.kind {
        case .string:
            let text = node.string ?? ""
            return "'" + (text.count > 40 ? String(text.prefix(40)) + "…" : text) + "'"
        case .number: return node.number?.description ?? "number"
        case .true: return "true"
        case .false: return "false"
        case .null: return "null"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func typeName(_ node: JSONNode) -> String {
        if node.kind == .number { return isInteger(node) ? "integer" : "number" }
        return node.kind.typeName
    }

    @inline(__always)
    static func isInteger(_ node: JSONNode) -> Bool {
        node.hasIntegerSyntax || (node.number?.isInteger ?? false)
    }

    // MARK: Evaluation

    /// Validates `instance` against `node`. When `evaluated` is given (annotation collection), the
    /// members/items a successful evaluation evaluated are added to it.
    mutating func validate(
        _ node: NodeRef, _ instance: JSONNode, _ evaluated: UnsafeMutablePointer<Evaluated>?
    ) -> Bool {
        var data = node.pointee
        if let forward = data.forward, !detailed, !tracksDynamicScope { data = forward.pointee }
        switch data.constant {
        case .alwaysValid: return true
        case .alwaysInvalid:
            report(node, "", "no value is allowed here")
            return false
        case .normal: break
        }
        if data.isLeaf { return run(data.ops, node, instance, nil) }
        guard depth < Self.maxDepth else {
            depthExceeded = true
            report(node, "", Self.depthMessage)
            return false
        }
        depth += 1
        var pushedScope = false
        if tracksDynamicScope && dynamicScope.last?.toOpaque() != data.resource.toOpaque() {
            dynamicScope.append(data.resource)
            pushedScope = true
        }
        defer {
            depth -= 1
            if pushedScope { dynamicScope.removeLast() }
        }
        if evaluated == nil && !data.collectsAnnotations {
            return run(data.ops, node, instance, nil)
        }
        var local = Evaluated()
        let valid = withUnsafeMutablePointer(to: &local) { run(data.ops, node, instance, $0) }
        if valid, let evaluated { evaluated.pointee.merge(local) }
        return valid
    }

    @inline(__always)
    mutating func run(
        _ ops: UnsafeBufferPointer<SchemaOp>, _ node: NodeRef, _ instance: JSONNode,
        _ local: UnsafeMutablePointer<Evaluated>?
    ) -> Bool {
        var valid = true
        for op in ops where !apply(op, node, instance, local) {
            valid = false
            if !exhaustive { break }
        }
        return valid
    }

    /// Validates a child value (not in place: annotations are not collected).
    @inline(__always)
    mutating func validateChild(_ node: NodeRef, _ instance: JSONNode) -> Bool {
        // Leaves (no subschemas) skip the bookkeeping of `validate`.
        if node.pointee.isLeaf { return run(node.pointee.ops, node, instance, nil) }
        return validate(node, instance, nil)
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    mutating func apply(
        _ op: SchemaOp, _ node: NodeRef, _ instance: JSONNode, _ local: UnsafeMutablePointer<Evaluated>?
    ) -> Bool {
        switch op {
        case .type(let mask):
            let matches: Bool
            switch instance.kind {
            case .null: matches = mask & TypeBits.null != 0
            case .true, .false: matches = mask & TypeBits.boolean != 0
            case .object: matches = mask & TypeBits.object != 0
            case .array: matches = mask & TypeBits.array != 0
            case .string: matches = mask & TypeBits.string != 0
            case .number:
                matches = mask & TypeBits.number != 0 || (mask & TypeBits.integer != 0 && Self.isInteger(instance))
            }
            if !matches { report(node, "type", "expected \(TypeBits.names(mask)), got \(Self.typeName(instance))") }
            return matches

        case .constant(let box):
            let matches = box._withUnsafeGuaranteedRef { InstanceEquality.equals(instance, $0.values[0]) }
            if !matches { report(node, "const", "must be \(box.takeUnretainedValue().values[0])") }
            return matches

        case .constantInteger(let expected):
            let matches: Bool
            if let value = instance.int64 {
                matches = value == expected
            } else {
                matches = instance.kind == .number && instance.number! == JSONNumber(expected)
            }
            if !matches { report(node, "const", "must be \(expected)") }
            return matches

        case .constantString(let box):
            let matches = instance.kind == .string && box._withUnsafeGuaranteedRef { $0.index(of: instance) } != nil
            if !matches { report(node, "const", "must be '\(box.takeUnretainedValue().name(0))'") }
            return matches

        case .enumStrings(let box):
            let matches = instance.kind == .string && box._withUnsafeGuaranteedRef { $0.index(of: instance) } != nil
            if !matches {
                let table = box.takeUnretainedValue()
                report(
                    node, "enum",
                    "\(Self.describe(instance)) is not one of \(table.keys.map { "'" + String(decoding: $0, as: UTF8.self) + "'" }.joined(separator: ", "))"
                )
            }
            return matches

        case .enumeration(let box):
            let matches = box._withUnsafeGuaranteedRef { $0.values.contains { InstanceEquality.equals(instance, $0) } }
            if !matches { report(node, "enum", "\(Self.describe(instance)) is not one of the allowed values") }
            return matches

        case .minimum(let box):
            guard instance.kind == .number, box._withUnsafeGuaranteedRef({ $0.compare(instance) }) < 0 else {
                return true
            }
            let limit = box.takeUnretainedValue()
            report(node, "minimum", "\(Self.describe(instance)) is less than the minimum \(limit.value)")
            return false
        case .maximum(let box):
            guard instance.kind == .number, box._withUnsafeGuaranteedRef({ $0.compare(instance) }) > 0 else {
                return true
            }
            let limit = box.takeUnretainedValue()
            report(node, "maximum", "\(Self.describe(instance)) is greater than the maximum \(limit.value)")
            return false
        case .exclusiveMinimum(let box):
            guard instance.kind == .number, box._withUnsafeGuaranteedRef({ $0.compare(instance) }) <= 0 else {
                return true
            }
            let limit = box.takeUnretainedValue()
            report(node, "exclusiveMinimum", "\(Self.describe(instance)) must be greater than \(limit.value)")
            return false
        case .exclusiveMaximum(let box):
            guard instance.kind == .number, box._withUnsafeGuaranteedRef({ $0.compare(instance) }) >= 0 else {
                return true
            }
            let limit = box.takeUnretainedValue()
            report(node, "exclusiveMaximum", "\(Self.describe(instance)) must be less than \(limit.value)")
            return false
        case .multipleOf(let box):
            guard instance.kind == .number else { return true }
            let limit = box.takeUnretainedValue()
            let divisor = limit.value
            let matches: Bool
            if let value = instance.int64, let divisorInt = limit.int64 {
                matches = value % divisorInt == 0
            } else {
                matches = instance.number!.isMultiple(of: divisor)
            }
            if !matches { report(node, "multipleOf", "\(Self.describe(instance)) is not a multiple of \(divisor)") }
            return matches

        case .string(let box):
            return box._withUnsafeGuaranteedRef { applyString($0, node, instance) }

        case .minLength(let limit):
            guard let raw = instance.rawStringBytes else { return true }
            // Each scalar takes at most 4 bytes (12 when written as a \u surrogate-pair escape).
            let certain = limit * (instance.hasEscapes ? 12 : 4) <= raw.count
            if !certain && (raw.count < limit || instance.scalarCount! < limit) {
                report(node, "minLength", "\(Self.describe(instance)) is shorter than \(limit) characters")
                return false
            }
            return true
        case .maxLength(let limit):
            guard let raw = instance.rawStringBytes else { return true }
            if raw.count > limit && instance.scalarCount! > limit {
                report(node, "maxLength", "\(Self.describe(instance)) is longer than \(limit) characters")
                return false
            }
            return true
        case .pattern(let box):
            guard instance.kind == .string else { return true }
            let matches =
                box._withUnsafeGuaranteedRef { regex in instance.withUnescapedBytes { regex.matches($0) } } ?? true
            if !matches {
                report(node, "pattern", "\(Self.describe(instance)) does not match \(box.takeUnretainedValue().source)")
            }
            return matches
        case .format(let checker):
            guard instance.kind == .string else { return true }
            let matches = instance.withUnescapedBytes { checker.check($0) } ?? true
            if !matches { report(node, "format", "\(Self.describe(instance)) is not a valid \(checker.name)") }
            return matches

        case .minItems(let limit):
            guard instance.kind == .array, instance.count < limit else { return true }
            report(node, "minItems", "has \(instance.count) items, fewer than \(limit)")
            return false
        case .maxItems(let limit):
            guard instance.kind == .array, instance.count > limit else { return true }
            report(node, "maxItems", "has \(instance.count) items, more than \(limit)")
            return false
        case .uniqueItems:
            guard instance.kind == .array, instance.count > 1 else { return true }
            if let (first, second) = Self.duplicate(in: instance) {
                report(node, "uniqueItems", "items \(first) and \(second) are equal")
                return false
            }
            return true
        case .minProperties(let limit):
            guard instance.kind == .object, instance.count < limit else { return true }
            report(node, "minProperties", "has \(instance.count) properties, fewer than \(limit)")
            return false
        case .maxProperties(let limit):
            guard instance.kind == .object, instance.count > limit else { return true }
            report(node, "maxProperties", "has \(instance.count) properties, more than \(limit)")
            return false
        case .required(let box):
            guard instance.kind == .object else { return true }
            let table = box.takeUnretainedValue()
            var valid = true
            for key in table.keys.indices where !table.objectHasMember(instance, key) {
                report(
                    node, "required", "missing required property '\(String(decoding: table.keys[key], as: UTF8.self))'")
                valid = false
                if !exhaustive { return false }
            }
            return valid
        case .dependentRequired(let box):
            guard instance.kind == .object else { return true }
            let rules = box.takeUnretainedValue()
            var valid = true
            for trigger in rules.triggers.keys.indices where rules.triggers.objectHasMember(instance, trigger) {
                let table = rules.required[trigger]
                for key in table.keys.indices where !table.objectHasMember(instance, key) {
                    report(
                        node, "dependentRequired",
                        "'\(table.name(key))' is required when '\(rules.triggers.name(trigger))' is present")
                    valid = false
                    if !exhaustive { return false }
                }
            }
            return valid

        case .object(let box):
            guard instance.kind == .object else { return true }
            return box._withUnsafeGuaranteedRef { applyObject($0, node, instance, local) }

        case .propertyNames(let schema):
            guard instance.kind == .object else { return true }
            var valid = true
            enterKeyword("propertyNames")
            defer { leaveKeyword() }
            for (key, _) in instance.members {
                enter(.key(key))
                let ok = validateChild(schema, key)
                leave()
                if !ok {
                    valid = false
                    if !exhaustive { return false }
                }
            }
            return valid

        case .dependentSchemas(let box):
            guard instance.kind == .object else { return true }
            let rules = box.takeUnretainedValue()
            var valid = true
            for trigger in rules.triggers.keys.indices where rules.triggers.objectHasMember(instance, trigger) {
                enterKeyword("dependentSchemas", rules.triggers.name(trigger))
                let ok = validate(rules.schemas[trigger], instance, local)
                leaveKeyword(2)
                if !ok {
                    valid = false
                    if !exhaustive { return false }
                }
            }
            return valid

        case .items(let prefixBox, let rest):
            guard instance.kind == .array else { return true }
            let prefix = prefixBox.takeUnretainedValue().nodes
            var valid = true
            var position = 0
            for element in instance.elements {
                let schema: NodeRef
                if position < prefix.count {
                    schema = prefix[position]
                    enterKeyword("prefixItems", String(position))
                } else if let rest {
                    schema = rest
                    enterKeyword("items")
                } else {
                    break
                }
                enter(.index(position))
                let ok = validateChild(schema, element)
                leave()
                leaveKeyword(position < prefix.count ? 2 : 1)
                if !ok {
                    valid = false
                    if !exhaustive { return false }
                }
                local?.pointee.items.insert(position)
                position += 1
            }
            if let local, rest != nil { local.pointee.items.all = true }
            return valid

        case .contains(let schema, let minimum, let maximum):
            guard instance.kind == .array else { return true }
            var matches = 0
            var position = 0
            suppressed += 1
            for element in instance.elements {
                if validateChild(schema, element) {
                    matches += 1
                    local?.pointee.items.insert(position)
                    if local == nil && maximum == Int.max && matches >= minimum { break }
                }
                position += 1
            }
            suppressed -= 1
            if matches < minimum {
                report(node, "contains", "contains \(matches) matching items, fewer than \(minimum)")
                return false
            }
            if matches > maximum {
                report(node, "maxContains", "contains \(matches) matching items, more than \(maximum)")
                return false
            }
            return true

        case .allOf(let box):
            let schemas = box.takeUnretainedValue().nodes
            var valid = true
            for (offset, schema) in schemas.enumerated() {
                enterKeyword("allOf", String(offset))
                let ok = validate(schema, instance, local)
                leaveKeyword(2)
                if !ok {
                    valid = false
                    if !exhaustive { return false }
                }
            }
            return valid
        case .anyOf(let box):
            let schemas = box.takeUnretainedValue().nodes
            var valid = false
            suppressed += 1
            for schema in schemas where validate(schema, instance, local) {
                valid = true
                if local == nil { break }
            }
            suppressed -= 1
            if !valid {
                let reasons = branchReasons("anyOf", schemas, instance)
                report(node, "anyOf", "does not match any of the \(schemas.count) alternatives" + reasons)
            }
            return valid
        case .oneOf(let box):
            let schemas = box.takeUnretainedValue().nodes
            var matched = 0
            var branch = Evaluated()
            suppressed += 1
            withUnsafeMutablePointer(to: &branch) { branchPointer in
                for schema in schemas where validate(schema, instance, local == nil ? nil : branchPointer) {
                    matched += 1
                    if matched > 1 && local == nil { break }
                }
            }
            suppressed -= 1
            if matched == 1 {
                local?.pointee.merge(branch)
                return true
            }
            if matched == 0 {
                let reasons = branchReasons("oneOf", schemas, instance)
                report(node, "oneOf", "does not match any of the \(schemas.count) alternatives" + reasons)
            } else {
                report(node, "oneOf", "matches more than one alternative")
            }
            return false
        case .not(let schema):
            suppressed += 1
            let matched = validateChild(schema, instance)
            suppressed -= 1
            if matched { report(node, "not", "must not match the schema in 'not'") }
            return !matched
        case .conditional(let condition, let then, let otherwise):
            suppressed += 1
            let holds = validate(condition, instance, local)
            suppressed -= 1
            if holds, let then {
                enterKeyword("then")
                defer { leaveKeyword() }
                return validate(then, instance, local)
            }
            if !holds, let otherwise {
                enterKeyword("else")
                defer { leaveKeyword() }
                return validate(otherwise, instance, local)
            }
            return true

        case .ref(let target):
            enterKeyword("$ref")
            defer { leaveKeyword() }
            return validate(target, instance, local)
        case .dynamicRef(let target, let anchor):
            var resolved = target
            if let anchor = anchor?.takeUnretainedValue().name {
                for resource in dynamicScope {
                    if let candidate = resource.takeUnretainedValue().dynamicAnchors[anchor] {
                        resolved = candidate
                        break
                    }
                }
            }
            enterKeyword("$dynamicRef")
            defer { leaveKeyword() }
            return validate(resolved, instance, local)

        case .unevaluatedItems(let schema):
            guard instance.kind == .array else { return true }
            var valid = true
            var position = 0
            for element in instance.elements {
                defer { position += 1 }
                if local?.pointee.items.contains(position) ?? false { continue }
                enter(.index(position))
                let ok: Bool
                if schema.pointee.constant == .alwaysInvalid {
                    ok = false
                    report(node, "unevaluatedItems", "item \(position) is not allowed")
                } else {
                    enterKeyword("unevaluatedItems")
                    ok = validateChild(schema, element)
                    leaveKeyword()
                }
                leave()
                if !ok {
                    valid = false
                    if !exhaustive { return false }
                }
            }
            local?.pointee.items.all = true
            return valid
        case .unevaluatedProperties(let schema):
            guard instance.kind == .object else { return true }
            var valid = true
            var ordinal = 0
            for (key, value) in instance.members {
                defer { ordinal += 1 }
                if local?.pointee.properties.contains(ordinal) ?? false { continue }
                enter(.key(key))
                let ok: Bool
                if schema.pointee.constant == .alwaysInvalid {
                    ok = false
                    report(node, "unevaluatedProperties", "property '\(key.string ?? "")' is not allowed")
                } else {
                    enterKeyword("unevaluatedProperties")
                    ok = validateChild(schema, value)
                    leaveKeyword()
                }
                leave()
                if !ok {
                    valid = false
                    if !exhaustive { return false }
                }
            }
            local?.pointee.properties.all = true
            return valid
        }
    }

    /// `properties` + `patternProperties` + `additionalProperties` + `required` in one member pass.
    mutating func applyObject(
        _ rules: ObjectRules, _ node: NodeRef, _ instance: JSONNode, _ local: UnsafeMutablePointer<Evaluated>?
    ) -> Bool {
        if !detailed && rules.names.count <= 64 { return applyObjectFast(rules, instance, local) }
        var valid = true
        var seen = EvaluationSet()
        var seenSmall: UInt64 = 0  // names 0..<64 (no allocation); larger tables use `seen`
        var ordinal = 0
        var hint = 0
        let trackSeen = rules.required.count > 0
        for (key, value) in instance.members {
            defer { ordinal += 1 }
            var matched = false
            if let nameIndex = rules.names.index(ofMember: key, hint: hint) {
                hint = nameIndex + 1
                if trackSeen {
                    if nameIndex < 64 { seenSmall |= 1 << UInt64(nameIndex) } else { seen.insert(nameIndex) }
                }
                if let schema = rules.schemas[nameIndex] {
                    matched = true
                    if schema.pointee.constant != .alwaysValid {
                        enter(.key(key))
                        enterKeyword("properties", rules.names.name(nameIndex))
                        let ok = validateChild(schema, value)
                        leaveKeyword(2)
                        leave()
                        if !ok {
                            valid = false
                            if !exhaustive { return false }
                        }
                    }
                }
            }
            if rules.hasPatterns {
                for (regex, schema) in rules.patterns where key.withUnescapedBytes({ regex.matches($0) }) ?? false {
                    matched = true
                    enter(.key(key))
                    enterKeyword("patternProperties", regex.source)
                    let ok = validateChild(schema, value)
                    leaveKeyword(2)
                    leave()
                    if !ok {
                        valid = false
                        if !exhaustive { return false }
                    }
                }
            }
            if !matched, let additional = rules.additional {
                enter(.key(key))
                let ok: Bool
                if additional.pointee.constant == .alwaysInvalid {
                    ok = false
                    report(node, "additionalProperties", "property '\(key.string ?? "")' is not allowed")
                } else {
                    enterKeyword("additionalProperties")
                    ok = validateChild(additional, value)
                    leaveKeyword()
                }
                leave()
                if !ok {
                    valid = false
                    if !exhaustive { return false }
                }
                matched = true
            }
            if matched { local?.pointee.properties.insert(ordinal) }
        }
        if trackSeen {
            for nameIndex in rules.required
            where nameIndex < 64 ? seenSmall & (1 << UInt64(nameIndex)) == 0 : !seen.contains(nameIndex) {
                report(
                    node, "required",
                    "missing required property '\(rules.names.name(nameIndex))'")
                valid = false
                if !exhaustive { return false }
            }
        }
        return valid
    }

    /// ``applyObject(_:_:_:_:)`` without error reporting, for tables of at most 64 names.
    mutating func applyObjectFast(
        _ rules: ObjectRules, _ instance: JSONNode, _ local: UnsafeMutablePointer<Evaluated>?
    ) -> Bool {
        var seen: UInt64 = 0
        var ordinal = 0
        var hint = 0
        for (key, value) in instance.members {
            var matched = false
            if let nameIndex = rules.names.index(ofMember: key, hint: hint) {
                hint = nameIndex + 1
                seen |= 1 << UInt64(nameIndex)
                if let schema = rules.schemas[nameIndex] {
                    matched = true
                    guard validateChild(schema, value) else { return false }
                }
            }
            if rules.hasPatterns {
                for (regex, schema) in rules.patterns where key.withUnescapedBytes({ regex.matches($0) }) ?? false {
                    matched = true
                    guard validateChild(schema, value) else { return false }
                }
            }
            if !matched, let additional = rules.additional {
                guard validateChild(additional, value) else { return false }
                matched = true
            }
            if matched { local?.pointee.properties.insert(ordinal) }
            ordinal += 1
        }
        for nameIndex in rules.required where seen & (1 << UInt64(nameIndex)) == 0 { return false }
        return true
    }

    /// The fused string keywords (see ``StringRules``).
    mutating func applyString(_ rules: StringRules, _ node: NodeRef, _ instance: JSONNode) -> Bool {
        guard let raw = instance.rawStringBytes else {
            guard rules.requireString else { return true }
            report(node, "type", "expected string, got \(Self.typeName(instance))")
            return false
        }
        var valid = true
        let escapes = instance.hasEscapes
        if rules.minLength > 0 && rules.minLength * (escapes ? 12 : 4) > raw.count
            && (raw.count < rules.minLength || instance.scalarCount! < rules.minLength)
        {
            report(node, "minLength", "\(Self.describe(instance)) is shorter than \(rules.minLength) characters")
            valid = false
            if !exhaustive { return false }
        }
        if raw.count > rules.maxLength && instance.scalarCount! > rules.maxLength {
            report(node, "maxLength", "\(Self.describe(instance)) is longer than \(rules.maxLength) characters")
            valid = false
            if !exhaustive { return false }
        }
        if rules.pattern == nil && rules.format == nil { return valid }
        var patternOK = true
        var formatOK = true
        if escapes {
            var unescaped: [UInt8] = []
            instance.appendUnescapedBytes(to: &unescaped)
            unescaped.withUnsafeBytes { bytes in
                patternOK = rules.pattern?._withUnsafeGuaranteedRef { $0.matches(bytes) } ?? true
                formatOK = rules.format?.check(bytes) ?? true
            }
        } else {
            if let pattern = rules.pattern { patternOK = pattern._withUnsafeGuaranteedRef { $0.matches(raw) } }
            if let format = rules.format { formatOK = format.check(raw) }
        }
        if !patternOK {
            let source = rules.pattern!.takeUnretainedValue().source
            report(node, "pattern", "\(Self.describe(instance)) does not match \(source)")
            valid = false
        }
        if !formatOK {
            report(node, "format", "\(Self.describe(instance)) is not a valid \(rules.format!.name)")
            valid = false
        }
        return valid
    }

    /// The positions of the first two equal items, if any.
    static func duplicate(in array: JSONNode) -> (Int, Int)? {
        var buckets: [Int: [(Int, JSONNode)]] = [:]
        for (position, element) in array.elements.enumerated() {
            var hasher = Hasher()
            InstanceEquality.hash(element, into: &hasher)
            let hash = hasher.finalize()
            if let candidates = buckets[hash] {
                for (other, otherElement) in candidates where InstanceEquality.equals(element, otherElement) {
                    return (other, position)
                }
            }
            buckets[hash, default: []].append((position, element))
        }
        return nil
    }
}
