import JSON

extension SchemaComparison {
    /// A schema keyword that admits more or less of what other keywords leave unconstrained
    /// (`additionalProperties`, `unevaluatedProperties`, array `items` after `prefixItems`,
    /// `unevaluatedItems`): absent, `true` and `{}` admit everything.
    enum Openness {
        case open
        case closed
        case schema(LocatedSchema)

        init(_ node: LocatedSchema?) {
            guard let node else {
                self = .open
                return
            }
            if node.value == .bool(false) {
                self = .closed
            } else if SchemaComparison.isEmpty(node.value) {
                self = .open
            } else {
                self = .schema(node)
            }
        }

        var schema: LocatedSchema? {
            if case .schema(let node) = self { return node }
            return nil
        }
    }

    /// The four kinds recorded for an ``Openness`` keyword.
    struct OpennessKinds {
        var added: Kind
        var removed: Kind
        var extended: Kind
        var narrowed: Kind
    }

    /// Confluent's additionalProperties / unevaluatedItems logic for one keyword.
    mutating func compareOpenness(_ keyword: String, _ original: Openness, _ update: Openness, _ kinds: OpennessKinds) {
        path.append(keyword)
        defer { path.removeLast() }
        switch (original, update) {
        case (.open, .open), (.closed, .closed): return
        case (.closed, _): add(kinds.added)
        case (_, .closed): add(kinds.removed)
        case (.open, .schema): add(kinds.narrowed)
        case (.schema, .open): add(kinds.extended)
        case (.schema(let original), .schema(let update)): compare(original, update)
        }
    }

    // MARK: Objects

    /// Open content model: no `patternProperties`, and neither `additionalProperties` nor
    /// `unevaluatedProperties` restricts other members.
    func isOpenObject(_ node: LocatedSchema) -> Bool {
        if case .object(let patterns) = node.value["patternProperties"], patterns.count > 0 { return false }
        guard case .open = Openness(node.child("additionalProperties")) else { return false }
        guard case .open = Openness(node.child("unevaluatedProperties")) else { return false }
        return true
    }

    /// The schema a partially open model applies to member `name`, if any.
    func partialSchema(_ node: LocatedSchema, member name: String) -> LocatedSchema? {
        if case .object(let patterns) = node.value["patternProperties"] {
            for pattern in patterns.keys where Self.matches(pattern, name) {
                return node.child("patternProperties", pattern)
            }
        }
        if let schema = Openness(node.child("additionalProperties")).schema { return schema }
        if case .open = Openness(node.child("additionalProperties")) {
            return Openness(node.child("unevaluatedProperties")).schema
        }
        return nil
    }

    static func matches(_ pattern: String, _ name: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return name.contains(regex)
    }

    private static func members(_ value: JSONValue, _ keyword: String) -> [String] {
        value[keyword]?.objectValue?.keys ?? []
    }

    private static func names(_ value: JSONValue?) -> [String] {
        value?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    private func hasDefault(_ node: LocatedSchema?) -> Bool {
        guard let node else { return false }
        if node.value["default"] != nil { return true }
        return normalized(node)?.value["default"] != nil
    }

    mutating func compareObjects(_ original: LocatedSchema, _ update: LocatedSchema) {
        compareRequired(original, update)
        compareProperties(original, update)
        comparePatternProperties(original, update)
        compareDependencies(original, update)
        compareOpenness(
            "additionalProperties", Openness(original.child("additionalProperties")),
            Openness(update.child("additionalProperties")),
            OpennessKinds(
                added: .additionalPropertiesAdded, removed: .additionalPropertiesRemoved,
                extended: .additionalPropertiesExtended, narrowed: .additionalPropertiesNarrowed))
        compareOpenness(
            "unevaluatedProperties", Openness(original.child("unevaluatedProperties")),
            Openness(update.child("unevaluatedProperties")),
            OpennessKinds(
                added: .unevaluatedPropertiesAdded, removed: .unevaluatedPropertiesRemoved,
                extended: .unevaluatedPropertiesExtended, narrowed: .unevaluatedPropertiesNarrowed))
        path.append("propertyNames")
        compare(original.child("propertyNames"), update.child("propertyNames"))
        path.removeLast()
        compareLimit(
            "maxProperties", original.value["maxProperties"]?.numberValue, update.value["maxProperties"]?.numberValue,
            added: .maxPropertiesAdded, removed: .maxPropertiesRemoved, increased: .maxPropertiesIncreased,
            decreased: .maxPropertiesDecreased)
        compareLimit(
            "minProperties", original.value["minProperties"]?.numberValue, update.value["minProperties"]?.numberValue,
            added: .minPropertiesAdded, removed: .minPropertiesRemoved, increased: .minPropertiesIncreased,
            decreased: .minPropertiesDecreased)
    }

    private mutating func compareRequired(_ original: LocatedSchema, _ update: LocatedSchema) {
        let originalRequired = Set(Self.names(original.value["required"]))
        let updateRequired = Set(Self.names(update.value["required"]))
        let originalProperties = Self.members(original.value, "properties")
        let updateProperties = Set(Self.members(update.value, "properties"))
        var seen = Set<String>()
        // Names declared in both `properties` (Confluent), then required names declared in neither.
        for name in originalProperties + Self.names(original.value["required"]) + Self.names(update.value["required"])
        where seen.insert(name).inserted {
            let inOriginal = originalProperties.contains(name)
            let inUpdate = updateProperties.contains(name)
            guard inOriginal == inUpdate else { continue }  // added/removed properties are judged below
            let wasRequired = originalRequired.contains(name)
            let isRequired = updateRequired.contains(name)
            path += ["required", name]
            if wasRequired && !isRequired {
                add(.requiredAttributeRemoved)
            } else if !wasRequired && isRequired {
                add(
                    hasDefault(update.child("properties", name))
                        ? .requiredAttributeWithDefaultAdded : .requiredAttributeAdded)
            }
            path.removeLast(2)
        }
    }

    private mutating func compareProperties(_ original: LocatedSchema, _ update: LocatedSchema) {
        let originalNames = Self.members(original.value, "properties")
        let updateNames = Self.members(update.value, "properties")
        let originalSet = Set(originalNames)
        let updateSet = Set(updateNames)
        let updateRequired = Set(Self.names(update.value["required"]))
        for name in originalNames + updateNames.filter({ !originalSet.contains($0) }) {
            path += ["properties", name]
            defer { path.removeLast(2) }
            let originalProperty = original.child("properties", name)
            let updateProperty = update.child("properties", name)
            if let originalProperty, !updateSet.contains(name) {
                propertyRemoved(originalProperty, name: name, update: update)
            } else if let updateProperty, !originalSet.contains(name) {
                propertyAdded(updateProperty, name: name, original: original, required: updateRequired.contains(name))
            } else {
                compare(originalProperty, updateProperty)
            }
        }
    }

    private mutating func propertyRemoved(_ property: LocatedSchema, name: String, update: LocatedSchema) {
        // Only the update's content model matters: it must still accept the member old data has.
        if isOpenObject(update) {
            add(.propertyRemovedFromOpenContentModel)
        } else if let partial = partialSchema(update, member: name) {
            var sub = subcomparison()
            sub.compare(property, partial)
            differences += sub.differences
            add(
                sub.isCompatible
                    ? .propertyRemovedIsCoveredByPartiallyOpenContentModel
                    : .propertyRemovedNotCoveredByPartiallyOpenContentModel)
        } else if property.value == .bool(false) {
            add(.propertyWithFalseRemovedFromClosedContentModel)
        } else {
            add(.propertyRemovedFromClosedContentModel)
        }
    }

    private mutating func propertyAdded(
        _ property: LocatedSchema, name: String, original: LocatedSchema, required: Bool
    ) {
        // Only the original's content model matters: what could old data hold under this name?
        let withDefault = hasDefault(property)
        if isOpenObject(original) {
            if Self.isEmpty(property.value) && !required {
                add(.propertyWithEmptySchemaAddedToOpenContentModel)
            } else if required {
                add(
                    withDefault
                        ? .requiredPropertyWithDefaultAddedToOpenContentModel : .requiredPropertyAddedToOpenContentModel
                )
            } else {
                add(.optionalPropertyAddedToOpenContentModel)
            }
            return
        }
        if let partial = partialSchema(original, member: name) {
            var sub = subcomparison()
            sub.compare(partial, property)
            differences += sub.differences
            add(
                sub.isCompatible
                    ? .propertyAddedIsCoveredByPartiallyOpenContentModel
                    : .propertyAddedNotCoveredByPartiallyOpenContentModel)
        }
        if required {
            add(
                withDefault
                    ? .requiredPropertyWithDefaultAddedToUnopenContentModel : .requiredPropertyAddedToUnopenContentModel
            )
        } else {
            add(.optionalPropertyAddedToUnopenContentModel)
        }
    }

    private mutating func comparePatternProperties(_ original: LocatedSchema, _ update: LocatedSchema) {
        let originalPatterns = Self.members(original.value, "patternProperties")
        let updatePatterns = Self.members(update.value, "patternProperties")
        for pattern in originalPatterns + updatePatterns.filter({ !originalPatterns.contains($0) }) {
            path += ["patternProperties", pattern]
            defer { path.removeLast(2) }
            switch (original.child("patternProperties", pattern), update.child("patternProperties", pattern)) {
            case (.some(let originalSchema), .some(let updateSchema)):
                compare(originalSchema, updateSchema)
            case (.some, nil):
                add(
                    isOpenObject(update)
                        ? .patternPropertyRemovedFromOpenContentModel : .patternPropertyRemovedFromUnopenContentModel)
            case (nil, .some):
                add(
                    isOpenObject(original)
                        ? .patternPropertyAddedToOpenContentModel : .patternPropertyAddedToUnopenContentModel)
            case (nil, nil):
                break
            }
        }
    }

    /// `dependentRequired` / `dependentSchemas`, and draft-07 `dependencies` holding either.
    private func dependencies(_ node: LocatedSchema) -> (arrays: [String: [String]], schemas: [String: LocatedSchema]) {
        var arrays: [String: [String]] = [:]
        var schemas: [String: LocatedSchema] = [:]
        for keyword in ["dependencies", "dependentRequired", "dependentSchemas"] {
            guard case .object(let members) = node.value[keyword] else { continue }
            for member in members {
                if case .array = member.value {
                    arrays[member.key] = Self.names(member.value)
                } else if let schema = node.child(keyword, member.key) {
                    schemas[member.key] = schema
                }
            }
        }
        return (arrays, schemas)
    }

    private mutating func compareDependencies(_ original: LocatedSchema, _ update: LocatedSchema) {
        let originalDependencies = dependencies(original)
        let updateDependencies = dependencies(update)
        for name in Set(originalDependencies.arrays.keys).union(updateDependencies.arrays.keys).sorted() {
            path += ["dependentRequired", name]
            defer { path.removeLast(2) }
            switch (originalDependencies.arrays[name], updateDependencies.arrays[name]) {
            case (.some, nil): add(.dependencyArrayRemoved)
            case (nil, .some): add(.dependencyArrayAdded)
            case (.some(let originalNames), .some(let updateNames)):
                let originalSet = Set(originalNames)
                let updateSet = Set(updateNames)
                if originalSet == updateSet {
                    break
                } else if updateSet.isSuperset(of: originalSet) {
                    add(.dependencyArrayExtended)
                } else if originalSet.isSuperset(of: updateSet) {
                    add(.dependencyArrayNarrowed)
                } else {
                    add(.dependencyArrayChanged)
                }
            case (nil, nil): break
            }
        }
        for name in Set(originalDependencies.schemas.keys).union(updateDependencies.schemas.keys).sorted() {
            path += ["dependentSchemas", name]
            defer { path.removeLast(2) }
            switch (originalDependencies.schemas[name], updateDependencies.schemas[name]) {
            case (.some, nil): add(.dependencySchemaRemoved)
            case (nil, .some): add(.dependencySchemaAdded)
            case (.some(let originalSchema), .some(let updateSchema)): compare(originalSchema, updateSchema)
            case (nil, nil): break
            }
        }
    }
}
