import JSON

/// Annotation results of one subschema at one instance location: which object members and array
/// items it evaluated (for `unevaluatedProperties`/`unevaluatedItems`).
struct EvaluationSet {
    var all = false
    var low: UInt64 = 0
    var high: [UInt64] = []

    @inline(__always)
    mutating func insert(_ index: Int) {
        if index < 64 {
            low |= 1 << UInt64(index)
            return
        }
        let word = index / 64 - 1
        while high.count <= word { high.append(0) }
        high[word] |= 1 << UInt64(index % 64)
    }

    @inline(__always)
    func contains(_ index: Int) -> Bool {
        if all { return true }
        if index < 64 { return low & (1 << UInt64(index)) != 0 }
        let word = index / 64 - 1
        return word < high.count && high[word] & (1 << UInt64(index % 64)) != 0
    }

    mutating func formUnion(_ other: EvaluationSet) {
        all = all || other.all
        low |= other.low
        if !other.high.isEmpty {
            while high.count < other.high.count { high.append(0) }
            for index in other.high.indices { high[index] |= other.high[index] }
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
    static let maxDepth = 300

    let detailed: Bool
    let maxErrors: Int
    let tracksDynamicScope: Bool
    var errors: [SchemaViolation] = []
    var suppressed = 0
    var instancePath: [PathItem] = []
    var keywordPath: [String] = []
    var dynamicScope: [SchemaResource] = []
    var depth = 0

    init(detailed: Bool, maxErrors: Int, tracksDynamicScope: Bool) {
        self.detailed = detailed
        self.maxErrors = maxErrors
        self.tracksDynamicScope = tracksDynamicScope
    }

    /// Continue after a failure to find more errors (detailed mode outside speculative branches).
    var exhaustive: Bool { detailed && suppressed == 0 && errors.count < maxErrors }

    // MARK: Reporting

    mutating func report(_ node: SchemaNode, _ keyword: String, _ message: @autoclosure () -> String) {
        guard detailed && suppressed == 0 && errors.count < maxErrors else { return }
        let keywordTail = keyword.isEmpty ? "" : "/" + JSONPointer.escape(keyword)
        let evaluation = keywordPath.map { "/" + JSONPointer.escape($0) }.joined() + keywordTail
        let absolute = node.location + keywordTail
        errors.append(
            SchemaViolation(
                instancePointer: instancePointer(), keywordLocation: evaluation, absoluteKeywordLocation: absolute,
                message: message()))
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

    /// Validates `instance` against `node`; when `collect` is set, adds the evaluated members/items
    /// of a successful evaluation to `evaluated`.
    mutating func validate(
        _ node: SchemaNode, _ instance: JSONNode, _ evaluated: inout Evaluated, collect: Bool
    ) -> Bool {
        switch node.constant {
        case .alwaysValid: return true
        case .alwaysInvalid:
            report(node, "", "no value is allowed here")
            return false
        case .normal: break
        }
        guard depth < Self.maxDepth else {
            report(node, "", "schema evaluation nested deeper than \(Self.maxDepth) levels")
            return false
        }
        depth += 1
        var pushedScope = false
        if tracksDynamicScope && dynamicScope.last !== node.resource {
            dynamicScope.append(node.resource)
            pushedScope = true
        }
        defer {
            depth -= 1
            if pushedScope { dynamicScope.removeLast() }
        }
        let collecting = collect || node.collectsAnnotations
        var local = Evaluated()
        var valid = true
        let ops = node.ops
        for index in ops.indices {
            if !apply(ops[index], index, node, instance, &local, collecting) {
                valid = false
                if !exhaustive { break }
            }
        }
        if valid && collect { evaluated.merge(local) }
        return valid
    }

    /// Validates a child value (not in place: annotations are not collected).
    @inline(__always)
    mutating func validateChild(_ node: SchemaNode, _ instance: JSONNode) -> Bool {
        var ignored = Evaluated()
        return validate(node, instance, &ignored, collect: false)
    }

    /// Validates in place and merges annotations into `local` on success.
    @inline(__always)
    mutating func validateInPlace(
        _ node: SchemaNode, _ instance: JSONNode, _ local: inout Evaluated, _ collecting: Bool
    ) -> Bool {
        if !collecting { return validateChild(node, instance) }
        var sub = Evaluated()
        let valid = validate(node, instance, &sub, collect: true)
        if valid { local.merge(sub) }
        return valid
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    mutating func apply(
        _ op: SchemaOp, _ index: Int, _ node: SchemaNode, _ instance: JSONNode, _ local: inout Evaluated,
        _ collecting: Bool
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

        case .constant(let value):
            let matches = InstanceEquality.equals(instance, value)
            if !matches { report(node, "const", "must be \(value)") }
            return matches

        case .enumStrings(let table):
            let matches = instance.kind == .string && table.index(of: instance) != nil
            if !matches {
                report(
                    node, "enum",
                    "\(Self.describe(instance)) is not one of \(table.keys.map { "'" + String(decoding: $0, as: UTF8.self) + "'" }.joined(separator: ", "))"
                )
            }
            return matches

        case .enumeration(let values):
            let matches = values.contains { InstanceEquality.equals(instance, $0) }
            if !matches { report(node, "enum", "\(Self.describe(instance)) is not one of the allowed values") }
            return matches

        case .minimum(let limit):
            guard instance.kind == .number, limit.compare(instance) < 0 else { return true }
            report(node, "minimum", "\(Self.describe(instance)) is less than the minimum \(limit.value)")
            return false
        case .maximum(let limit):
            guard instance.kind == .number, limit.compare(instance) > 0 else { return true }
            report(node, "maximum", "\(Self.describe(instance)) is greater than the maximum \(limit.value)")
            return false
        case .exclusiveMinimum(let limit):
            guard instance.kind == .number, limit.compare(instance) <= 0 else { return true }
            report(node, "exclusiveMinimum", "\(Self.describe(instance)) must be greater than \(limit.value)")
            return false
        case .exclusiveMaximum(let limit):
            guard instance.kind == .number, limit.compare(instance) >= 0 else { return true }
            report(node, "exclusiveMaximum", "\(Self.describe(instance)) must be less than \(limit.value)")
            return false
        case .multipleOf(let divisor, let divisorInt):
            guard instance.kind == .number else { return true }
            let matches: Bool
            if let value = instance.int64, let divisorInt {
                matches = value % divisorInt == 0
            } else {
                matches = instance.number!.isMultiple(of: divisor)
            }
            if !matches { report(node, "multipleOf", "\(Self.describe(instance)) is not a multiple of \(divisor)") }
            return matches

        case .minLength(let limit):
            guard let raw = instance.rawStringBytes else { return true }
            if raw.count < limit || instance.scalarCount! < limit {
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
        case .pattern(let regex):
            guard instance.kind == .string else { return true }
            let matches = instance.withUnescapedBytes { regex.matches($0) } ?? true
            if !matches { report(node, "pattern", "\(Self.describe(instance)) does not match \(regex.source)") }
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
        case .required(let table):
            guard instance.kind == .object else { return true }
            var valid = true
            for key in table.keys.indices where !table.objectHasMember(instance, key) {
                report(
                    node, "required", "missing required property '\(String(decoding: table.keys[key], as: UTF8.self))'")
                valid = false
                if !exhaustive { return false }
            }
            return valid
        case .dependentRequired(let rules):
            guard instance.kind == .object else { return true }
            var valid = true
            for (trigger, table) in rules where trigger.withUnsafeBytes({ instance.member(utf8: $0) != nil }) {
                for key in table.keys.indices where !table.objectHasMember(instance, key) {
                    report(
                        node, "dependentRequired",
                        "'\(String(decoding: table.keys[key], as: UTF8.self))' is required when '\(String(decoding: trigger, as: UTF8.self))' is present"
                    )
                    valid = false
                    if !exhaustive { return false }
                }
            }
            return valid

        case .object(let rules):
            guard instance.kind == .object else { return true }
            return applyObject(rules, node, instance, &local, collecting)

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

        case .dependentSchemas(let rules):
            guard instance.kind == .object else { return true }
            var valid = true
            for (trigger, schema) in rules where trigger.withUnsafeBytes({ instance.member(utf8: $0) != nil }) {
                enterKeyword("dependentSchemas", String(decoding: trigger, as: UTF8.self))
                let ok = validateInPlace(schema, instance, &local, collecting)
                leaveKeyword(2)
                if !ok {
                    valid = false
                    if !exhaustive { return false }
                }
            }
            return valid

        case .items(let prefix, let rest):
            guard instance.kind == .array else { return true }
            var valid = true
            var position = 0
            for element in instance.elements {
                let schema: SchemaNode
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
                if collecting { local.items.insert(position) }
                position += 1
            }
            if collecting && rest != nil { local.items.all = true }
            return valid

        case .contains(let schema, let minimum, let maximum):
            guard instance.kind == .array else { return true }
            var matches = 0
            var position = 0
            suppressed += 1
            for element in instance.elements {
                if validateChild(schema, element) {
                    matches += 1
                    if collecting { local.items.insert(position) }
                    if !collecting && maximum == nil && matches >= minimum { break }
                }
                position += 1
            }
            suppressed -= 1
            if matches < minimum {
                report(node, "contains", "contains \(matches) matching items, fewer than \(minimum)")
                return false
            }
            if let maximum, matches > maximum {
                report(node, "maxContains", "contains \(matches) matching items, more than \(maximum)")
                return false
            }
            return true

        case .allOf(let schemas):
            var valid = true
            for (offset, schema) in schemas.enumerated() {
                enterKeyword("allOf", String(offset))
                let ok = validateInPlace(schema, instance, &local, collecting)
                leaveKeyword(2)
                if !ok {
                    valid = false
                    if !exhaustive { return false }
                }
            }
            return valid
        case .anyOf(let schemas):
            var valid = false
            suppressed += 1
            for schema in schemas where validateInPlace(schema, instance, &local, collecting) {
                valid = true
                if !collecting { break }
            }
            suppressed -= 1
            if !valid { report(node, "anyOf", "does not match any of the \(schemas.count) alternatives") }
            return valid
        case .oneOf(let schemas):
            var matched = 0
            var branch = Evaluated()
            suppressed += 1
            for schema in schemas where validateInPlace(schema, instance, &branch, collecting) {
                matched += 1
                if matched > 1 && !collecting { break }
            }
            suppressed -= 1
            if matched == 1 {
                if collecting { local.merge(branch) }
                return true
            }
            report(
                node, "oneOf",
                matched == 0
                    ? "does not match any of the \(schemas.count) alternatives" : "matches more than one alternative")
            return false
        case .not(let schema):
            suppressed += 1
            let matched = validateChild(schema, instance)
            suppressed -= 1
            if matched { report(node, "not", "must not match the schema in 'not'") }
            return !matched
        case .conditional(let condition, let then, let otherwise):
            suppressed += 1
            let holds = validateInPlace(condition, instance, &local, collecting)
            suppressed -= 1
            if holds, let then {
                enterKeyword("then")
                defer { leaveKeyword() }
                return validateInPlace(then, instance, &local, collecting)
            }
            if !holds, let otherwise {
                enterKeyword("else")
                defer { leaveKeyword() }
                return validateInPlace(otherwise, instance, &local, collecting)
            }
            return true

        case .ref(let target):
            enterKeyword("$ref")
            defer { leaveKeyword() }
            return validateInPlace(target, instance, &local, collecting)
        case .dynamicRef(let target, let anchor):
            var resolved = target
            if let anchor {
                for resource in dynamicScope {
                    if let candidate = resource.dynamicAnchors[anchor] {
                        resolved = candidate
                        break
                    }
                }
            }
            enterKeyword("$dynamicRef")
            defer { leaveKeyword() }
            return validateInPlace(resolved, instance, &local, collecting)

        case .unevaluatedItems(let schema):
            guard instance.kind == .array else { return true }
            var valid = true
            var position = 0
            for element in instance.elements {
                defer { position += 1 }
                if local.items.contains(position) { continue }
                enter(.index(position))
                let ok: Bool
                if schema.constant == .alwaysInvalid {
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
            if collecting { local.items.all = true }
            return valid
        case .unevaluatedProperties(let schema):
            guard instance.kind == .object else { return true }
            var valid = true
            var ordinal = 0
            for (key, value) in instance.members {
                defer { ordinal += 1 }
                if local.properties.contains(ordinal) { continue }
                enter(.key(key))
                let ok: Bool
                if schema.constant == .alwaysInvalid {
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
            if collecting { local.properties.all = true }
            return valid
        }
    }

    /// `properties` + `patternProperties` + `additionalProperties` + `required` in one member pass.
    mutating func applyObject(
        _ rules: ObjectRules, _ node: SchemaNode, _ instance: JSONNode, _ local: inout Evaluated, _ collecting: Bool
    ) -> Bool {
        var valid = true
        var seen = EvaluationSet()
        var ordinal = 0
        let trackSeen = !rules.required.isEmpty
        for (key, value) in instance.members {
            defer { ordinal += 1 }
            var matched = false
            if let nameIndex = rules.names.index(of: key) {
                if trackSeen { seen.insert(nameIndex) }
                if let schema = rules.schemas[nameIndex] {
                    matched = true
                    if schema.constant != .alwaysValid {
                        enter(.key(key))
                        enterKeyword("properties", String(decoding: rules.names.keys[nameIndex], as: UTF8.self))
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
            if !rules.patterns.isEmpty {
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
                if additional.constant == .alwaysInvalid {
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
            if collecting && matched { local.properties.insert(ordinal) }
        }
        if trackSeen {
            for nameIndex in rules.required where !seen.contains(nameIndex) {
                report(
                    node, "required",
                    "missing required property '\(String(decoding: rules.names.keys[nameIndex], as: UTF8.self))'")
                valid = false
                if !exhaustive { return false }
            }
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
