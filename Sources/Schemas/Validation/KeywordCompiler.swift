import JSON

/// Turns the keywords of one schema object into ``SchemaOp``s, checking their values.
struct KeywordCompiler {
    let compiler: SchemaCompiler
    let location: SchemaCompiler.Location
    let object: JSONObject
    let node: SchemaNode
    var ops: [(order: Int, keyword: String, op: SchemaOp)] = []

    init(compiler: SchemaCompiler, location: SchemaCompiler.Location, object: JSONObject, node: SchemaNode) {
        self.compiler = compiler
        self.location = location
        self.object = object
        self.node = node
    }

    var base: String { location.base }
    var document: SchemaCompiler.Document { compiler.documents[location.document] }

    func fail(_ keyword: String, _ message: String, code: SchemasError.Code = .invalidKeyword) -> SchemasError {
        let at = SchemaCompiler.Location(
            document: location.document, pointer: location.pointer + [keyword], base: base,
            resourceDepth: location.resourceDepth)
        return compiler.error(code, at: at, "\(keyword): \(message)")
    }

    func subschema(_ tokens: [String]) throws(SchemasError) -> SchemaNode {
        let pointer = location.pointer + tokens
        var childBase = base
        var depth = location.resourceDepth
        let probe = SchemaCompiler.Location(
            document: location.document, pointer: pointer, base: base, resourceDepth: depth)
        if case .object(let child) = compiler.value(at: probe), case .string(let id) = child["$id"] {
            childBase = URIReference.split(URIReference.resolve(id, against: base)).base
            depth = pointer.count
        }
        return try compiler.compileNode(
            at: SchemaCompiler.Location(
                document: location.document, pointer: pointer, base: childBase, resourceDepth: depth))
    }

    func nonNegativeInteger(_ keyword: String) throws(SchemasError) -> Int? {
        guard let value = object[keyword] else { return nil }
        guard case .number(let number) = value, number.isInteger, !number.isNegative else {
            throw fail(keyword, "expected a non-negative integer")
        }
        return Int(clamping: number.int64 ?? Int64.max)
    }

    func number(_ keyword: String) throws(SchemasError) -> JSONNumber? {
        guard let value = object[keyword] else { return nil }
        guard case .number(let number) = value else { throw fail(keyword, "expected a number") }
        return number
    }

    func stringArray(_ keyword: String) throws(SchemasError) -> [String]? {
        guard let value = object[keyword] else { return nil }
        guard case .array(let elements) = value else { throw fail(keyword, "expected an array of strings") }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw fail(keyword, "expected an array of strings") }
            strings.append(text)
        }
        return strings
    }

    func keep<T: AnyObject>(_ object: T) -> Unmanaged<T> { compiler.store.keep(object) }

    func schemaList(_ keyword: String) throws(SchemasError) -> [NodeRef]? {
        guard let value = object[keyword] else { return nil }
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw fail(keyword, "expected a non-empty array of schemas")
        }
        var nodes: [NodeRef] = []
        for index in elements.indices { nodes.append(try subschema([keyword, String(index)]).data) }
        return nodes
    }

    func schemaMap(_ keyword: String) throws(SchemasError) -> [(String, NodeRef)]? {
        guard let value = object[keyword] else { return nil }
        guard case .object(let map) = value else { throw fail(keyword, "expected an object of schemas") }
        var entries: [(String, NodeRef)] = []
        for member in map.members { entries.append((member.key, try subschema([keyword, member.key]).data)) }
        return entries
    }

    func single(_ keyword: String) throws(SchemasError) -> NodeRef? {
        guard object[keyword] != nil else { return nil }
        return try subschema([keyword]).data
    }

    mutating func add(_ order: Int, _ keyword: String, _ op: SchemaOp) {
        ops.append((order, keyword, op))
    }

    func regex(_ keyword: String, _ source: String) throws(SchemasError) -> ECMARegex {
        do {
            return try ECMARegex(source)
        } catch {
            throw fail(keyword, "invalid pattern '\(source)': \(error.message)", code: .invalidPattern)
        }
    }

    mutating func compile() throws(SchemasError) {
        for keyword in ["$id", "$anchor", "$dynamicAnchor", "$ref", "$dynamicRef", "$schema", "$comment"] {
            if let value = object[keyword], value.stringValue == nil { throw fail(keyword, "expected a string") }
        }
        let validation = document.validationVocabulary
        if validation { try compileValidation() }
        // `format` belongs to the format vocabularies, not to validation.
        if let value = object["format"] {
            guard case .string(let name) = value else { throw fail("format", "expected a string") }
            if compiler.options.formatAssertion || document.formatAssertion, let checker = FormatChecker(name: name) {
                add(3, "format", .format(checker))
            }
        }
        try compileApplicators()
        ops.sort { $0.order < $1.order }
        fuseStringKeywords()
        let collects = ops.contains {
            if case .unevaluatedProperties = $0.op { return true }
            if case .unevaluatedItems = $0.op { return true }
            return false
        }
        node.setOps(ops.map(\.op), keywords: ops.map(\.keyword), collectsAnnotations: collects)
    }

    /// Replaces `type: string` + `minLength`/`maxLength`/`pattern`/`format` by one `.string` op.
    mutating func fuseStringKeywords() {
        var requireString = false
        var minLength = 0
        var maxLength = Int.max
        var pattern: Unmanaged<ECMARegex>?
        var format: FormatChecker?
        var fused = 0
        var first: Int?
        var remaining: [(order: Int, keyword: String, op: SchemaOp)] = []
        for (index, entry) in ops.enumerated() {
            switch entry.op {
            case .type(let mask) where mask == TypeBits.string: requireString = true
            case .minLength(let limit): minLength = limit
            case .maxLength(let limit): maxLength = limit
            case .pattern(let regex): pattern = regex
            case .format(let checker): format = checker
            default:
                remaining.append(entry)
                continue
            }
            fused += 1
            if first == nil { first = index }
        }
        guard fused >= 2, let first else { return }
        let rules = StringRules(
            requireString: requireString, minLength: minLength, maxLength: maxLength, pattern: pattern, format: format)
        remaining.insert((ops[first].order, requireString ? "type" : ops[first].keyword, .string(keep(rules))), at: 0)
        remaining.sort { $0.order < $1.order }
        ops = remaining
    }

    mutating func compileValidation() throws(SchemasError) {
        if let value = object["type"] {
            var mask: UInt8 = 0
            let names: [JSONValue]
            switch value {
            case .string: names = [value]
            case .array(let list): names = list
            default: throw fail("type", "expected a type name or an array of type names")
            }
            for name in names {
                guard case .string(let text) = name, let bit = TypeBits.bit(text) else {
                    throw fail("type", "unknown type \(name)")
                }
                mask |= bit
            }
            if mask & TypeBits.number != 0 { mask |= TypeBits.integer }
            add(0, "type", .type(mask))
        }
        if let value = object["const"] {
            switch value {
            case .string(let text): add(1, "const", .constantString(keep(KeyTable([Array(text.utf8)]))))
            case .number(let number) where number.int64 != nil: add(1, "const", .constantInteger(number.int64!))
            default: add(1, "const", .constant(keep(ValueBox([value]))))
            }
        }
        if let value = object["enum"] {
            guard case .array(let values) = value else { throw fail("enum", "expected an array") }
            let strings = values.compactMap(\.stringValue)
            if strings.count == values.count {
                add(1, "enum", .enumStrings(keep(KeyTable(strings.map { Array($0.utf8) }))))
            } else {
                add(1, "enum", .enumeration(keep(ValueBox(values))))
            }
        }
        if let limit = try number("minimum") { add(2, "minimum", .minimum(keep(NumberLimit(limit)))) }
        if let limit = try number("maximum") { add(2, "maximum", .maximum(keep(NumberLimit(limit)))) }
        if let limit = try number("exclusiveMinimum") {
            add(2, "exclusiveMinimum", .exclusiveMinimum(keep(NumberLimit(limit))))
        }
        if let limit = try number("exclusiveMaximum") {
            add(2, "exclusiveMaximum", .exclusiveMaximum(keep(NumberLimit(limit))))
        }
        if let divisor = try number("multipleOf") {
            guard !divisor.isNegative && !divisor.isZero else { throw fail("multipleOf", "expected a number > 0") }
            add(2, "multipleOf", .multipleOf(keep(NumberLimit(divisor))))
        }
        if let limit = try nonNegativeInteger("minLength") { add(2, "minLength", .minLength(limit)) }
        if let limit = try nonNegativeInteger("maxLength") { add(2, "maxLength", .maxLength(limit)) }
        if let value = object["pattern"] {
            guard case .string(let source) = value else { throw fail("pattern", "expected a string") }
            add(3, "pattern", .pattern(keep(try regex("pattern", source))))
        }
        if let limit = try nonNegativeInteger("minItems") { add(2, "minItems", .minItems(limit)) }
        if let limit = try nonNegativeInteger("maxItems") { add(2, "maxItems", .maxItems(limit)) }
        if let value = object["uniqueItems"] {
            guard case .bool(let flag) = value else { throw fail("uniqueItems", "expected a boolean") }
            if flag { add(6, "uniqueItems", .uniqueItems) }
        }
        if let limit = try nonNegativeInteger("minProperties") { add(2, "minProperties", .minProperties(limit)) }
        if let limit = try nonNegativeInteger("maxProperties") { add(2, "maxProperties", .maxProperties(limit)) }
        if let value = object["dependentRequired"] {
            guard case .object(let map) = value else { throw fail("dependentRequired", "expected an object") }
            var triggers: [[UInt8]] = []
            var required: [KeyTable] = []
            for member in map.members {
                guard case .array(let names) = member.value, names.allSatisfy({ $0.stringValue != nil }) else {
                    throw fail("dependentRequired", "expected arrays of strings")
                }
                triggers.append(Array(member.key.utf8))
                required.append(KeyTable(names.map { Array($0.stringValue!.utf8) }))
            }
            let rules = DependentRules(triggers: KeyTable(triggers), required: required, schemas: [])
            add(4, "dependentRequired", .dependentRequired(keep(rules)))
        }
    }

    mutating func compileApplicators() throws(SchemasError) {
        let validation = document.validationVocabulary
        // Object members: properties + patternProperties + additionalProperties (+ required) in one pass.
        let properties = try schemaMap("properties")
        var patterns: [(ECMARegex, NodeRef)] = []
        if let value = object["patternProperties"] {
            guard case .object(let map) = value else {
                throw fail("patternProperties", "expected an object of schemas")
            }
            for member in map.members {
                patterns.append(
                    (try regex("patternProperties", member.key), try subschema(["patternProperties", member.key]).data))
            }
        }
        let additional = try single("additionalProperties")
        let required = validation ? try stringArray("required") : nil
        if properties != nil || !patterns.isEmpty || additional != nil {
            var names: [[UInt8]] = []
            var schemas: [NodeRef?] = []
            for (name, schema) in properties ?? [] {
                names.append(Array(name.utf8))
                schemas.append(schema)
            }
            var requiredIndices: [Int] = []
            for name in required ?? [] {
                let bytes = Array(name.utf8)
                if let index = names.firstIndex(of: bytes) {
                    requiredIndices.append(index)
                } else {
                    names.append(bytes)
                    schemas.append(nil)
                    requiredIndices.append(names.count - 1)
                }
            }
            let keyword =
                properties != nil ? "properties" : (!patterns.isEmpty ? "patternProperties" : "additionalProperties")
            add(
                5, keyword,
                .object(
                    keep(
                        ObjectRules(
                            names: KeyTable(names), schemas: schemas, required: requiredIndices, patterns: patterns,
                            additional: additional))))
        } else if let required {
            add(4, "required", .required(keep(KeyTable(required.map { Array($0.utf8) }))))
        }
        if let names = try single("propertyNames") { add(6, "propertyNames", .propertyNames(names)) }
        if let map = try schemaMap("dependentSchemas") {
            let rules = DependentRules(
                triggers: KeyTable(map.map { Array($0.0.utf8) }), required: [], schemas: map.map(\.1))
            add(7, "dependentSchemas", .dependentSchemas(keep(rules)))
        }
        // Arrays.
        let prefix = try schemaList("prefixItems")
        let items = try single("items")
        if prefix != nil || items != nil {
            add(5, prefix != nil ? "prefixItems" : "items", .items(prefix: keep(NodeList(prefix ?? [])), rest: items))
        }
        if let contains = try single("contains") {
            let minimum = validation ? try nonNegativeInteger("minContains") ?? 1 : 1
            let maximum = validation ? try nonNegativeInteger("maxContains") : nil
            add(6, "contains", .contains(contains, min: minimum, max: maximum ?? Int.max))
        }
        // In-place applicators.
        if let list = try schemaList("allOf") { add(8, "allOf", .allOf(keep(NodeList(list)))) }
        if let list = try schemaList("anyOf") { add(8, "anyOf", .anyOf(keep(NodeList(list)))) }
        if let list = try schemaList("oneOf") { add(8, "oneOf", .oneOf(keep(NodeList(list)))) }
        if let negated = try single("not") { add(8, "not", .not(negated)) }
        if let condition = try single("if") {
            add(8, "if", .conditional(condition: condition, then: try single("then"), else: try single("else")))
        }
        if case .string(let reference) = object["$ref"] {
            guard let target = try compiler.locate(reference, from: base) else {
                throw fail("$ref", "cannot resolve '\(reference)' against '\(base)'", code: .unresolvedReference)
            }
            add(8, "$ref", .ref(try compiler.compileNode(at: target).data))
        }
        if case .string(let reference) = object["$dynamicRef"] {
            guard let target = try compiler.locate(reference, from: base) else {
                throw fail("$dynamicRef", "cannot resolve '\(reference)' against '\(base)'", code: .unresolvedReference)
            }
            let targetNode = try compiler.compileNode(at: target)
            // Dynamic only when the static target is a $dynamicAnchor of the same name ("bookending").
            var anchor: Unmanaged<NameBox>?
            let fragment = URIReference.split(URIReference.resolve(reference, against: base)).fragment ?? ""
            if !fragment.isEmpty, !fragment.hasPrefix("/"), case .object(let targetObject) = compiler.value(at: target),
                targetObject["$dynamicAnchor"]?.stringValue == fragment
            {
                anchor = keep(NameBox(fragment))
                compiler.usesDynamicScope = true
            }
            add(8, "$dynamicRef", .dynamicRef(targetNode.data, anchor: anchor))
        }
        if let schema = try single("unevaluatedItems") { add(9, "unevaluatedItems", .unevaluatedItems(schema)) }
        if let schema = try single("unevaluatedProperties") {
            add(10, "unevaluatedProperties", .unevaluatedProperties(schema))
        }
    }
}
