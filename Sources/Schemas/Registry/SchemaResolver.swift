import JSON

/// A schema (sub)document together with where it lives, for walking schemas across `$ref`s.
struct LocatedSchema: Sendable {
    /// The schema: an object or a boolean.
    var value: JSONValue
    /// The base URI `$ref`s inside `value` resolve against.
    var baseURI: String
    /// Absolute location, `<resource-uri>#<json-pointer>`; identifies the node for cycle detection.
    var location: String

    /// The child schema under `keyword` (and optionally a member or index below it).
    func child(_ tokens: String...) -> LocatedSchema? {
        var current = value
        var location = location
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Self.arrayIndex(token), index < elements.count else { return nil }
                current = elements[index]
            default:
                return nil
            }
            location += "/" + JSONPointer.escape(token)
        }
        var base = baseURI
        if case .string(let id) = current["$id"] {
            base = URIReference.split(URIReference.resolve(id, against: baseURI)).base
            location = base + "#"
        }
        return LocatedSchema(value: current, baseURI: base, location: location)
    }

    /// The array index a pointer token denotes (`0`, or digits without a leading zero).
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.count < 19,
            token.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            token == "0" || !token.hasPrefix("0")
        else { return nil }
        return Int(token)
    }
}

/// Resolves `$ref`s among a set of schema documents keyed by their absolute URI (`$id`).
///
/// Supports JSON-pointer fragments, `$anchor` names and embedded resources (`$id` in subschemas).
struct SchemaResolver: Sendable {
    private var resources: [String: LocatedSchema] = [:]
    private var anchors: [String: LocatedSchema] = [:]

    /// Indexes `documents` (URI without fragment → schema).
    init(documents: [String: JSONValue]) {
        for (uri, document) in documents {
            let node = LocatedSchema(value: document, baseURI: uri, location: uri + "#")
            resources[uri] = node
            index(node)
        }
    }

    /// The root schema of the resource at `uri`.
    func resource(_ uri: String) -> LocatedSchema? { resources[URIReference.split(uri).base] }

    /// Resolves `reference` (a `$ref` value) found in a schema whose base URI is `base`.
    func resolve(_ reference: String, base: String) -> LocatedSchema? {
        let absolute = URIReference.resolve(reference, against: base)
        let (resourceURI, fragment) = URIReference.split(absolute)
        guard let resource = resources[resourceURI] else { return nil }
        guard let fragment, !fragment.isEmpty else { return resource }
        if !fragment.hasPrefix("/") { return anchors[resourceURI + "#" + fragment] }
        guard let tokens = JSONPointer.tokens(fragment) else { return nil }
        var node: LocatedSchema? = LocatedSchema(
            value: resource.value, baseURI: resource.baseURI, location: resourceURI + "#")
        for token in tokens {
            node = node?.child(token)
        }
        return node
    }

    /// Keywords that never constrain instances.
    static let annotationKeywords: Set<String> = [
        "$schema", "$id", "$comment", "$anchor", "$dynamicAnchor", "$defs", "definitions", "$vocabulary",
        "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly",
    ]

    /// Follows schemas that are only a `$ref` (plus annotations); `nil` if a reference does not resolve.
    func dereferenced(_ node: LocatedSchema) -> LocatedSchema? {
        var current = node
        for _ in 0..<64 {
            guard case .object(let object) = current.value, case .string(let reference) = object["$ref"],
                object.keys.allSatisfy({ $0 == "$ref" || Self.annotationKeywords.contains($0) })
            else { return current }
            guard let target = resolve(reference, base: current.baseURI) else { return nil }
            current = target
        }
        return nil
    }

    /// The schema a document member at `path` is described by: `properties` (also inside `allOf`
    /// members and `$ref` targets) for names, `items` for `*`.
    func propertySchema(_ root: LocatedSchema, _ path: [UpcastPath.Token], depth: Int = 0) -> LocatedSchema? {
        guard let first = path.first else { return root }
        guard depth < 32 else { return nil }
        guard let node = dereferenced(root), case .object(let object) = node.value else { return nil }
        let rest = Array(path.dropFirst())
        switch first {
        case .member(let name):
            if let child = node.child("properties", name), let found = propertySchema(child, rest, depth: depth + 1) {
                return found
            }
        case .eachElement:
            if case .object = object["items"], let child = node.child("items"),
                let found = propertySchema(child, rest, depth: depth + 1)
            {
                return found
            }
        }
        var branches: [LocatedSchema] = []
        if case .array(let members) = object["allOf"] {
            branches += members.indices.compactMap { node.child("allOf", String($0)) }
        }
        if case .string(let reference) = object["$ref"], let target = resolve(reference, base: node.baseURI) {
            branches.append(target)
        }
        for branch in branches {
            if let found = propertySchema(branch, path, depth: depth + 1) { return found }
        }
        return nil
    }

    private static let schemaMaps = ["$defs", "definitions", "properties", "patternProperties", "dependentSchemas"]
    private static let schemaArrays = ["allOf", "anyOf", "oneOf", "prefixItems"]
    private static let schemaValues = [
        "items", "additionalItems", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains",
        "propertyNames", "not", "if", "then", "else",
    ]

    private mutating func index(_ node: LocatedSchema) {
        guard case .object(let object) = node.value else { return }
        if object["$id"]?.stringValue != nil, resources[node.baseURI] == nil {
            // `child(_:)` already resolved the embedded `$id` into `baseURI`.
            resources[node.baseURI] = node
        }
        if let anchor = object["$anchor"]?.stringValue {
            anchors[node.baseURI + "#" + anchor] = node
        }
        for keyword in Self.schemaMaps {
            guard case .object(let members) = object[keyword] else { continue }
            for member in members {
                if let child = node.child(keyword, member.key) { index(child) }
            }
        }
        for keyword in Self.schemaArrays {
            guard case .array(let elements) = object[keyword] else { continue }
            for position in elements.indices {
                if let child = node.child(keyword, String(position)) { index(child) }
            }
        }
        for keyword in Self.schemaValues {
            if case .array(let elements) = object[keyword] {  // draft-07 tuple `items`
                for position in elements.indices {
                    if let child = node.child(keyword, String(position)) { index(child) }
                }
            } else if let child = node.child(keyword) {
                index(child)
            }
        }
    }
}
