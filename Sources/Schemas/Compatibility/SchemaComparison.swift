import JSON

/// The recursive walk behind ``CompatibilityChecker``: compares an original (writer) schema with an
/// updated (reader) one keyword by keyword and records ``SchemaDifference``s at schema pointers.
struct SchemaComparison {
    typealias Kind = SchemaDifference.Kind

    let resolver: SchemaResolver
    let ignored: Set<String>
    var path: [String] = []
    var differences: [SchemaDifference] = []
    /// Pairs of schema locations being compared on the current stack (cycles through `$ref`).
    var inProgress: Set<[String]> = []

    init(resolver: SchemaResolver, ignored: Set<String>) {
        self.resolver = resolver
        self.ignored = ignored
    }

    static var annotationKeywords: Set<String> { SchemaResolver.annotationKeywords }

    // MARK: Bookkeeping

    var pointer: String { path.isEmpty ? "#" : "#/" + path.map(JSONPointer.escape).joined(separator: "/") }

    var isCompatible: Bool { differences.allSatisfy(\.isCompatible) }

    mutating func add(_ kind: Kind) {
        differences.append(SchemaDifference(kind: kind, pointer: pointer))
    }

    mutating func add(_ keyword: String, _ kind: Kind) {
        path.append(keyword)
        add(kind)
        path.removeLast()
    }

    /// A comparison sharing this one's position and cycle guard, with no differences yet.
    func subcomparison(_ tokens: String...) -> SchemaComparison {
        var copy = self
        copy.differences = []
        copy.path += tokens
        return copy
    }

    // MARK: Schema shapes

    /// `true`, `{}` or an object with annotations only.
    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .bool(let flag): flag
        case .object(let object): object.keys.allSatisfy { annotationKeywords.contains($0) }
        default: false
        }
    }

    /// Follows schemas that are only a `$ref` (plus annotations); `nil` if a reference does not resolve.
    func normalized(_ node: LocatedSchema) -> LocatedSchema? { resolver.dereferenced(node) }

    /// The child schema under `tokens`, if present (booleans included).
    func child(_ node: LocatedSchema, _ tokens: String...) -> LocatedSchema? {
        var current: LocatedSchema? = node
        for token in tokens { current = current?.child(token) }
        return current
    }

    // MARK: Entry points

    /// Compares two schemas (either may be absent) at the current path.
    mutating func compare(_ original: LocatedSchema?, _ update: LocatedSchema?) {
        guard let original, let update else {
            if original != nil { add(.schemaRemoved) } else if update != nil { add(.schemaAdded) }
            return
        }
        if ignored.contains(pointer) { return }
        guard let originalNode = normalized(original), let updateNode = normalized(update) else {
            add(.referenceUnresolved)
            return
        }
        let pair = [originalNode.location, updateNode.location]
        if inProgress.contains(pair) { return }  // a cycle: assume compatible, as Confluent does
        inProgress.insert(pair)
        defer { inProgress.remove(pair) }

        if originalNode.value == .bool(false) { return }  // nothing was ever written
        if Self.isEmpty(updateNode.value) {
            if Self.isEmpty(originalNode.value) { compareAnnotations(originalNode.value, updateNode.value) }
            return  // the reader accepts anything
        }
        if updateNode.value == .bool(false) {
            add(.typeChanged)
            return
        }
        compareKeywords(originalNode, updateNode)
    }

    /// Compares the `$defs` of two definition documents entry by entry.
    mutating func compareDefinitions(_ original: LocatedSchema, _ update: LocatedSchema) {
        guard case .object(let definitions) = original.value["$defs"] else { return }
        for member in definitions {
            path += ["$defs", member.key]
            if let updated = update.child("$defs", member.key) {
                compare(original.child("$defs", member.key), updated)
            } else {
                add(.definitionRemoved)
            }
            path.removeLast(2)
        }
    }

    private mutating func compareKeywords(_ original: LocatedSchema, _ update: LocatedSchema) {
        let originalValue = original.value
        let updateValue = update.value
        compareAnnotations(originalValue, updateValue)
        compareTypes(originalValue["type"], updateValue["type"])
        compareStrings(originalValue, updateValue)
        compareNumbers(originalValue, updateValue)
        compareEnumerations(originalValue, updateValue)
        compareObjects(original, update)
        compareArrays(original, update)
        compareCombinations(original, update)
        compareNegation(original, update)
        compareConditions(original, update)
        compareReferences(original, update)
    }

    // MARK: Annotations and types

    private mutating func compareAnnotations(_ original: JSONValue, _ update: JSONValue) {
        if original["$id"] != update["$id"] { add(.idChanged) }
        if original["title"] != update["title"] { add(.titleChanged) }
        if original["description"] != update["description"] { add(.descriptionChanged) }
        if original["default"] != update["default"] { add(.defaultChanged) }
    }

    private static func typeSet(_ value: JSONValue?) -> Set<String>? {
        switch value {
        case .string(let name): [name]
        case .array(let names): Set(names.compactMap(\.stringValue))
        default: nil
        }
    }

    private mutating func compareTypes(_ original: JSONValue?, _ update: JSONValue?) {
        let originalTypes = Self.typeSet(original)
        let updateTypes = Self.typeSet(update)
        switch (originalTypes, updateTypes) {
        case (nil, nil): return
        case (nil, .some): add("type", .typeNarrowed)
        case (.some, nil): add("type", .typeExtended)
        case (.some(let originalTypes), .some(let updateTypes)):
            func covers(_ types: Set<String>, _ type: String) -> Bool {
                types.contains(type) || (type == "integer" && types.contains("number"))
            }
            let widened = originalTypes.allSatisfy { covers(updateTypes, $0) }
            let narrowed = updateTypes.allSatisfy { covers(originalTypes, $0) }
            switch (widened, narrowed) {
            case (true, true): return
            case (true, false): add("type", .typeExtended)
            case (false, true): add("type", .typeNarrowed)
            case (false, false): add("type", .typeChanged)
            }
        }
    }

    // MARK: Scalars

    private static func number(_ value: JSONValue, _ keyword: String) -> JSONNumber? {
        value[keyword]?.numberValue
    }

    /// Records added / removed / increased / decreased for one numeric keyword.
    mutating func compareLimit(
        _ keyword: String, _ original: JSONNumber?, _ update: JSONNumber?,
        added: Kind, removed: Kind, increased: Kind, decreased: Kind
    ) {
        switch (original, update) {
        case (nil, nil): return
        case (nil, .some): add(keyword, added)
        case (.some, nil): add(keyword, removed)
        case (.some(let original), .some(let update)):
            if original < update {
                add(keyword, increased)
            } else if update < original {
                add(keyword, decreased)
            }
        }
    }

    private mutating func compareStrings(_ original: JSONValue, _ update: JSONValue) {
        compareLimit(
            "maxLength", Self.number(original, "maxLength"), Self.number(update, "maxLength"),
            added: .maxLengthAdded, removed: .maxLengthRemoved, increased: .maxLengthIncreased,
            decreased: .maxLengthDecreased)
        compareLimit(
            "minLength", Self.number(original, "minLength"), Self.number(update, "minLength"),
            added: .minLengthAdded, removed: .minLengthRemoved, increased: .minLengthIncreased,
            decreased: .minLengthDecreased)
        compareText("pattern", original["pattern"], update["pattern"], .patternAdded, .patternRemoved, .patternChanged)
        compareText("format", original["format"], update["format"], .formatAdded, .formatRemoved, .formatChanged)
    }

    private mutating func compareText(
        _ keyword: String, _ original: JSONValue?, _ update: JSONValue?, _ added: Kind, _ removed: Kind,
        _ changed: Kind
    ) {
        switch (original, update) {
        case (nil, nil): return
        case (nil, .some): add(keyword, added)
        case (.some, nil): add(keyword, removed)
        case (.some(let original), .some(let update)): if original != update { add(keyword, changed) }
        }
    }

    private mutating func compareNumbers(_ original: JSONValue, _ update: JSONValue) {
        compareLimit(
            "maximum", Self.number(original, "maximum"), Self.number(update, "maximum"),
            added: .maximumAdded, removed: .maximumRemoved, increased: .maximumIncreased, decreased: .maximumDecreased)
        compareLimit(
            "minimum", Self.number(original, "minimum"), Self.number(update, "minimum"),
            added: .minimumAdded, removed: .minimumRemoved, increased: .minimumIncreased, decreased: .minimumDecreased)
        compareLimit(
            "exclusiveMaximum", Self.number(original, "exclusiveMaximum"), Self.number(update, "exclusiveMaximum"),
            added: .exclusiveMaximumAdded, removed: .exclusiveMaximumRemoved, increased: .exclusiveMaximumIncreased,
            decreased: .exclusiveMaximumDecreased)
        compareLimit(
            "exclusiveMinimum", Self.number(original, "exclusiveMinimum"), Self.number(update, "exclusiveMinimum"),
            added: .exclusiveMinimumAdded, removed: .exclusiveMinimumRemoved, increased: .exclusiveMinimumIncreased,
            decreased: .exclusiveMinimumDecreased)
        switch (Self.number(original, "multipleOf"), Self.number(update, "multipleOf")) {
        case (nil, nil): break
        case (nil, .some): add("multipleOf", .multipleOfAdded)
        case (.some, nil): add("multipleOf", .multipleOfRemoved)
        case (.some(let original), .some(let update)):
            if original == update {
                break
            } else if update.isMultiple(of: original) {
                add("multipleOf", .multipleOfExpanded)  // fewer values are multiples of the larger step
            } else if original.isMultiple(of: update) {
                add("multipleOf", .multipleOfReduced)
            } else {
                add("multipleOf", .multipleOfChanged)
            }
        }
    }

    private mutating func compareEnumerations(_ original: JSONValue, _ update: JSONValue) {
        compareValueSets("enum", original["enum"]?.arrayValue, update["enum"]?.arrayValue)
        compareValueSets("const", original["const"].map { [$0] }, update["const"].map { [$0] })
    }

    private mutating func compareValueSets(_ keyword: String, _ original: [JSONValue]?, _ update: [JSONValue]?) {
        switch (original, update) {
        case (nil, nil): return
        case (nil, .some): add(keyword, .enumArrayNarrowed)
        case (.some, nil): add(keyword, .enumArrayExtended)
        case (.some(let original), .some(let update)):
            let widened = original.allSatisfy(update.contains)
            let narrowed = update.allSatisfy(original.contains)
            switch (widened, narrowed) {
            case (true, true): return
            case (true, false): add(keyword, .enumArrayExtended)
            case (false, true): add(keyword, .enumArrayNarrowed)
            case (false, false): add(keyword, .enumArrayChanged)
            }
        }
    }
}
