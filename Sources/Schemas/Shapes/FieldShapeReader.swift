import JSON

/// Reads the ``FieldShape`` a JSON Schema 2020-12 document describes, following `$ref`s across the catalogue.
///
/// `properties`, `required`, `additionalProperties`/`unevaluatedProperties: false`, `items`, `type`,
/// `format`, `enum` and `const` make the shape; `allOf` and a `$ref` beside other keywords intersect, `anyOf`
/// and `oneOf` unite. Conditional keywords (`if`/`then`, `dependentSchemas`) add nothing: what a record may hold
/// is what its properties declare.
struct FieldShapeReader {
    let resolver: SchemaResolver

    /// The shape of the schema at `uri`, or `nil` when there is none.
    func shape(ofResource uri: String) -> FieldShape? {
        resolver.resource(uri).map { read($0, depth: 0) }
    }

    private func read(_ located: LocatedSchema, depth: Int) -> FieldShape {
        guard depth < 32, case .object(let schema) = located.value else { return .any }
        var shape = ownShape(located, schema, depth: depth)
        if case .string(let reference)? = schema["$ref"],
            let target = resolver.resolve(reference, base: located.baseURI)
        {
            shape = shape.intersection(read(target, depth: depth + 1))
        }
        if case .array(let branches)? = schema["allOf"] {
            for index in branches.indices {
                guard let branch = located.child("allOf", String(index)) else { continue }
                shape = shape.intersection(read(branch, depth: depth + 1))
            }
        }
        for keyword in ["anyOf", "oneOf"] {
            guard case .array(let branches)? = schema[keyword], !branches.isEmpty else { continue }
            var either: FieldShape?
            for index in branches.indices {
                guard let branch = located.child(keyword, String(index)) else { continue }
                let branchShape = read(branch, depth: depth + 1)
                either = either.map { $0.union(branchShape) } ?? branchShape
            }
            if let either { shape = shape.intersection(either) }
        }
        return shape
    }

    /// What the schema's own keywords (not its references and combinators) say.
    private func ownShape(_ located: LocatedSchema, _ schema: JSONObject, depth: Int) -> FieldShape {
        var types: [String] = []
        switch schema["type"] {
        case .string(let name)?: types = [name]
        case .array(let names)?: types = names.compactMap(\.stringValue)
        default: break
        }
        if types.isEmpty {
            if schema["properties"] != nil || schema["required"] != nil { types = ["object"] }
            if schema["items"] != nil || schema["prefixItems"] != nil { types = ["array"] }
            if let constant = schema["const"] { return Self.shape(of: [constant]) }
            if case .array(let values)? = schema["enum"] { return Self.shape(of: values) }
        }
        guard !types.isEmpty else { return .any }
        var result: FieldShape?
        for type in types {
            let shape: FieldShape
            switch type {
            case "object": shape = objectShape(located, schema, depth: depth)
            case "array":
                shape = .array(located.child("items").map { read($0, depth: depth + 1) } ?? .any)
            case "string": shape = .scalar(Self.stringKind(schema))
            case "number": shape = .scalar(.number)
            case "integer": shape = .scalar(.integer)
            case "boolean": shape = .scalar(.boolean)
            case "null": shape = .scalar(.null)
            default: shape = .any
            }
            result = result.map { $0.union(shape) } ?? shape
        }
        return result ?? .any
    }

    private func objectShape(_ located: LocatedSchema, _ schema: JSONObject, depth: Int) -> FieldShape {
        var members: [String: FieldShape] = [:]
        if case .object(let properties)? = schema["properties"] {
            for member in properties.members {
                guard let child = located.child("properties", member.key) else { continue }
                members[member.key] = read(child, depth: depth + 1)
            }
        }
        var required: Set<String> = []
        if case .array(let names)? = schema["required"] { required = Set(names.compactMap(\.stringValue)) }
        let closed =
            schema["additionalProperties"] == .bool(false) || schema["unevaluatedProperties"] == .bool(false)
        let open = !closed || schema["patternProperties"] != nil
        return .object(members: members, required: required, open: open)
    }

    /// A string's kind: a date-time, a date, text that never holds a number (another format, an enum of words,
    /// a pattern that starts with a letter), or text.
    private static func stringKind(_ schema: JSONObject) -> FieldShape.ScalarKind {
        if case .string(let format)? = schema["format"] {
            switch format {
            case "date-time": return .timestamp
            case "date": return .date
            default: return .word
            }
        }
        if case .array(let values)? = schema["enum"], !values.isEmpty,
            values.allSatisfy({ $0.stringValue.map { !Self.mayBeNumber($0) } ?? false })
        {
            return .word
        }
        return .text
    }

    /// The shape of a value among `values` (an `enum` or a `const`).
    private static func shape(of values: [JSONValue]) -> FieldShape {
        var result: FieldShape?
        for value in values {
            let shape: FieldShape
            switch value {
            case .null: shape = .scalar(.null)
            case .bool: shape = .scalar(.boolean)
            case .number(let number): shape = .scalar(number.isInteger ? .integer : .number)
            case .string(let text): shape = .scalar(mayBeNumber(text) ? .text : .word)
            case .array, .object: shape = .any
            }
            result = result.map { $0.union(shape) } ?? shape
        }
        return result ?? .any
    }

    /// Whether text could be read as a decimal (`"12"`, `"-0.5"`).
    private static func mayBeNumber(_ text: String) -> Bool {
        (try? ExactDecimal(parsing: text)) != nil
    }
}

extension SchemaRegistry {
    /// The shape of every event, record, transaction and analytics schema, by schema id (`machine.cycle/v2`).
    public var fieldShapes: [String: FieldShape] {
        let reader = FieldShapeReader(resolver: SchemaResolver(documents: documents))
        var shapes: [String: FieldShape] = [:]
        for subject in subjects where subject.definition.kind != .definitions {
            for version in subject.versions {
                shapes[version.id.description] = reader.shape(ofResource: version.uri)
            }
        }
        return shapes
    }
}
