import JSON

/// Compiles JSON Schema 2020-12 documents into validators.
///
/// Add every schema resource first (a set of documents keyed by URI, e.g. all files of the
/// registry, whose `$ref`s point at each other relative to their `$id`s), then compile the ones
/// you validate against. References to documents that were not added are given to the
/// ``resolver`` (return `nil` to leave them unresolved); nothing is fetched from the network.
///
/// ```swift
/// let compiler = SchemaCompiler()
/// try compiler.addResource(json: envelopeBytes, uri: "https://schemas.plantstream.dev/envelope/v1.json",
///                          file: "schemas/envelope/v1.json")
/// try compiler.addResource(json: cycleBytes, uri: "https://schemas.plantstream.dev/machine.cycle/v1.json")
/// let validator = try compiler.compile("https://schemas.plantstream.dev/machine.cycle/v1.json")
/// ```
///
/// A compiler is not thread-safe; the ``CompiledSchema`` values it returns are immutable and
/// `Sendable`. Compiled nodes are shared between the schemas one compiler returns.
public final class SchemaCompiler {
    /// The 2020-12 dialect (meta-schema) URI.
    public static let dialect202012 = "https://json-schema.org/draft/2020-12/schema"

    /// Retrieves a document that was not added, by absolute URI (without fragment).
    public typealias Resolver = @Sendable (String) -> JSONValue?

    /// Options baked into the compiled schemas.
    public let options: SchemaValidationOptions
    /// Called for references to documents that were not added (no network access is ever made).
    public var resolver: Resolver?

    struct Document {
        let root: JSONValue
        let uri: String
        let file: String?
        /// Keyword vocabulary flags for the document (from its `$schema`).
        var validationVocabulary = true
        var formatAssertion = false
    }

    /// Where a subschema is: document, JSON pointer tokens from the document root, the base URI in
    /// force there and how many leading tokens belong to the enclosing resource root.
    struct Location {
        let document: Int
        let pointer: [String]
        let base: String
        let resourceDepth: Int
    }

    var documents: [Document] = []
    var resources: [String: Location] = [:]
    var anchors: [String: Location] = [:]
    var dynamicAnchorNames: [String: [String: Location]] = [:]
    var cache: [String: SchemaNode] = [:]
    var resourceObjects: [String: SchemaResource] = [:]
    let store = SchemaNodeStore()
    var usesDynamicScope = false
    var anchorsCompiled: Set<String> = []
    var linkedCount = 0

    /// Creates a compiler.
    /// - Parameters:
    ///   - options: What the compiled schemas assert (e.g. `format`).
    ///   - resolver: Supplies documents referenced but not added (e.g. test fixtures).
    public init(options: SchemaValidationOptions = SchemaValidationOptions(), resolver: Resolver? = nil) {
        self.options = options
        self.resolver = resolver
        for (uri, text) in MetaSchemas.documents {
            // The built-in meta-schemas are well-formed constants.
            if let value = try? JSONValue(parsing: text) { try? addResource(value, uri: uri) }
        }
    }

    /// The URIs of all resources known so far (documents and embedded `$id`s).
    public var resourceURIs: [String] { resources.keys.sorted() }

    /// Adds a schema document.
    ///
    /// - Parameters:
    ///   - schema: The document (an object or boolean schema).
    ///   - uri: Its retrieval URI; an `$id` at its root takes precedence as base URI (both are registered).
    ///   - file: The file it came from, for error messages.
    /// - Throws: ``SchemasError`` when two resources claim the same URI or an identifier is malformed.
    public func addResource(_ schema: JSONValue, uri: String, file: String? = nil) throws(SchemasError) {
        let retrieval = URIReference.split(uri).base
        let index = documents.count
        documents.append(Document(root: schema, uri: retrieval, file: file))
        try register(retrieval, Location(document: index, pointer: [], base: retrieval, resourceDepth: 0))
        try indexSchema(schema, document: index, pointer: [], base: retrieval, resourceDepth: 0, isRoot: true)
        try applyDialect(document: index)
    }

    /// Parses and adds a schema document (see ``addResource(_:uri:file:)``).
    /// - Throws: ``SchemasError`` with code `invalidJSON` (and the line/column) for malformed JSON.
    public func addResource(json bytes: [UInt8], uri: String, file: String? = nil) throws(SchemasError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw SchemasError(
                code: .invalidJSON, uri: uri, file: file, message: "\(error.line):\(error.column): \(error.message)")
        }
        try addResource(value, uri: uri, file: file)
    }

    /// Compiles the schema at `uri` (a resource URI, optionally with a `#pointer` or `#anchor` fragment).
    /// - Throws: ``SchemasError`` naming the URI, file and JSON pointer of the first problem.
    public func compile(_ uri: String) throws(SchemasError) -> CompiledSchema {
        guard let location = try locate(uri, from: nil) else {
            throw SchemasError(code: .unresolvedReference, uri: uri, message: "no schema resource '\(uri)'")
        }
        let root = try compileNode(at: location)
        linkForwarding()
        return CompiledSchema(uri: uri, rootNode: root, store: store, tracksDynamicScope: usesDynamicScope)
    }

    /// Adds `schema` under `uri` and compiles it.
    /// - Throws: ``SchemasError``.
    public func compile(_ schema: JSONValue, uri: String = "urn:plantstream:anonymous") throws(SchemasError)
        -> CompiledSchema
    {
        try addResource(schema, uri: uri)
        var base = URIReference.split(uri).base
        if case .object(let object) = schema, case .string(let id) = object["$id"] {
            base = URIReference.split(URIReference.resolve(id, against: base)).base
        }
        return try compile(base)
    }

    // MARK: Indexing

    func register(_ uri: String, _ location: Location) throws(SchemasError) {
        if let existing = resources[uri] {
            guard existing.document == location.document && existing.pointer == location.pointer else {
                throw error(.duplicateResource, at: location, "two schema resources have the URI '\(uri)'")
            }
            return
        }
        resources[uri] = location
    }

    func error(_ code: SchemasError.Code, at location: Location, _ message: String) -> SchemasError {
        let document = documents[location.document]
        return SchemasError(
            code: code, uri: document.uri, file: document.file, pointer: JSONPointer.pointer(location.pointer),
            message: message)
    }

    static let subschemaKeywords: Set<String> = [
        "additionalProperties", "items", "contains", "propertyNames", "not", "if", "then", "else",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    ]
    static let subschemaMapKeywords: Set<String> = [
        "$defs", "definitions", "properties", "patternProperties", "dependentSchemas",
    ]
    static let subschemaArrayKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]

    func indexSchema(
        _ schema: JSONValue, document: Int, pointer: [String], base: String, resourceDepth: Int, isRoot: Bool
    ) throws(SchemasError) {
        guard case .object(let object) = schema else { return }
        var base = base
        var resourceDepth = resourceDepth
        if case .string(let id) = object["$id"] {
            let resolved = URIReference.resolve(id, against: base)
            let (absolute, fragment) = URIReference.split(resolved)
            if let fragment, !fragment.isEmpty {
                throw error(
                    .invalidKeyword,
                    at: Location(
                        document: document, pointer: pointer + ["$id"], base: base, resourceDepth: resourceDepth),
                    "$id must not contain a non-empty fragment")
            }
            base = absolute
            resourceDepth = pointer.count
            try register(base, Location(document: document, pointer: pointer, base: base, resourceDepth: resourceDepth))
        }
        let location = Location(document: document, pointer: pointer, base: base, resourceDepth: resourceDepth)
        if case .string(let anchor) = object["$anchor"] {
            guard Self.isValidAnchor(anchor) else {
                throw error(.invalidKeyword, at: location, "invalid $anchor '\(anchor)'")
            }
            anchors[base + "#" + anchor] = location
        }
        if case .string(let anchor) = object["$dynamicAnchor"] {
            guard Self.isValidAnchor(anchor) else {
                throw error(.invalidKeyword, at: location, "invalid $dynamicAnchor '\(anchor)'")
            }
            anchors[base + "#" + anchor] = location
            dynamicAnchorNames[base, default: [:]][anchor] = location
        }
        for member in object.members {
            let key = member.key
            if Self.subschemaKeywords.contains(key) {
                try indexSchema(
                    member.value, document: document, pointer: pointer + [key], base: base,
                    resourceDepth: resourceDepth, isRoot: false)
            } else if Self.subschemaMapKeywords.contains(key), case .object(let map) = member.value {
                for entry in map.members {
                    try indexSchema(
                        entry.value, document: document, pointer: pointer + [key, entry.key], base: base,
                        resourceDepth: resourceDepth, isRoot: false)
                }
            } else if Self.subschemaArrayKeywords.contains(key), case .array(let list) = member.value {
                for (offset, element) in list.enumerated() {
                    try indexSchema(
                        element, document: document, pointer: pointer + [key, String(offset)], base: base,
                        resourceDepth: resourceDepth, isRoot: false)
                }
            }
        }
    }

    static func isValidAnchor(_ anchor: String) -> Bool {
        guard let first = anchor.unicodeScalars.first, first.isASCII,
            first.properties.isAlphabetic || first == "_"
        else { return false }
        return anchor.unicodeScalars.allSatisfy {
            $0.isASCII
                && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "-._".unicodeScalars.contains($0))
        }
    }

    /// Reads `$schema` of a document root and sets its vocabulary flags.
    func applyDialect(document index: Int) throws(SchemasError) {
        guard case .object(let object) = documents[index].root, case .string(let dialect) = object["$schema"] else {
            return
        }
        let dialectURI = URIReference.split(dialect).base
        if dialectURI == Self.dialect202012 { return }
        guard let location = try? locate(dialectURI, from: nil),
            case .object(let meta) = value(at: location),
            case .object(let vocabularies) = meta["$vocabulary"]
        else { return }
        let known: Set<String> = [
            "https://json-schema.org/draft/2020-12/vocab/core",
            "https://json-schema.org/draft/2020-12/vocab/applicator",
            "https://json-schema.org/draft/2020-12/vocab/unevaluated",
            "https://json-schema.org/draft/2020-12/vocab/validation",
            "https://json-schema.org/draft/2020-12/vocab/meta-data",
            "https://json-schema.org/draft/2020-12/vocab/format-annotation",
            "https://json-schema.org/draft/2020-12/vocab/format-assertion",
            "https://json-schema.org/draft/2020-12/vocab/content",
        ]
        for member in vocabularies.members where member.value == .bool(true) && !known.contains(member.key) {
            throw error(
                .unsupportedVocabulary, at: Location(document: index, pointer: ["$schema"], base: "", resourceDepth: 0),
                "required vocabulary '\(member.key)' is not supported")
        }
        documents[index].validationVocabulary =
            vocabularies["https://json-schema.org/draft/2020-12/vocab/validation"] != nil
        documents[index].formatAssertion =
            vocabularies["https://json-schema.org/draft/2020-12/vocab/format-assertion"] != nil
    }

    // MARK: Resolution

    /// The value at a location.
    func value(at location: Location) -> JSONValue? {
        var current = documents[location.document].root
        for token in location.pointer {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default: return nil
            }
        }
        return current
    }

    /// Finds the location of `reference` resolved against `base` (retrieving documents if needed).
    func locate(_ reference: String, from base: String?) throws(SchemasError) -> Location? {
        let absolute = base.map { URIReference.resolve(reference, against: $0) } ?? reference
        let (resourceURI, fragment) = URIReference.split(absolute)
        if resources[resourceURI] == nil, let resolver, let document = resolver(resourceURI) {
            try addResource(document, uri: resourceURI)
        }
        guard let root = resources[resourceURI] else { return nil }
        guard let fragment, !fragment.isEmpty else { return root }
        if !fragment.hasPrefix("/") {
            return anchors[resourceURI + "#" + fragment]
        }
        guard let tokens = JSONPointer.tokens(fragment) else { return nil }
        // Walk the pointer, tracking `$id`s crossed on the way.
        var pointer = root.pointer
        var currentBase = root.base
        var resourceDepth = root.resourceDepth
        var current = value(at: root)
        for token in tokens {
            switch current {
            case .object(let object): current = object[token]
            case .array(let elements):
                if let index = Int(token), elements.indices.contains(index) {
                    current = elements[index]
                } else {
                    current = nil
                }
            default: current = nil
            }
            guard let next = current else { return nil }
            pointer.append(token)
            if case .object(let object) = next, case .string(let id) = object["$id"],
                !Self.subschemaMapKeywords.contains(token)
            {
                currentBase = URIReference.split(URIReference.resolve(id, against: currentBase)).base
                resourceDepth = pointer.count
            }
        }
        return Location(document: root.document, pointer: pointer, base: currentBase, resourceDepth: resourceDepth)
    }

    // MARK: Compilation

    static func isLeafOp(_ op: SchemaOp) -> Bool {
        switch op {
        case .type, .constant, .constantInteger, .constantString, .enumStrings, .enumeration, .minimum, .maximum,
            .exclusiveMinimum, .exclusiveMaximum,
            .multipleOf, .string, .minLength, .maxLength, .pattern, .format, .minItems, .maxItems, .uniqueItems,
            .minProperties, .maxProperties, .required, .dependentRequired:
            return true
        default:
            return false
        }
    }

    /// Points every node that is only a `$ref` at its final target (used by the fast path).
    func linkForwarding() {
        func onlyReference(_ node: NodeRef) -> NodeRef? {
            let data = node.pointee
            guard data.constant == .normal, !data.collectsAnnotations, data.ops.count == 1,
                case .ref(let target) = data.ops[0]
            else { return nil }
            return target
        }
        // Nodes linked by earlier calls may be in use by compiled schemas: never write to them again.
        for owner in store.nodes[linkedCount...] {
            var target = owner.data
            var hops = 0
            while let next = onlyReference(target), hops <= store.nodes.count {
                target = next
                hops += 1
            }
            // A cycle of pure references never reaches a real schema: leave it to the depth guard.
            owner.data.pointee.forward = (hops > 0 && onlyReference(target) == nil) ? target : nil
            owner.data.pointee.isLeaf =
                owner.data.pointee.constant == .normal && owner.data.pointee.ops.allSatisfy { Self.isLeafOp($0) }
        }
        linkedCount = store.nodes.count
    }

    func resourceObject(_ uri: String) -> SchemaResource {
        if let existing = resourceObjects[uri] { return existing }
        let created = SchemaResource(uri: uri)
        resourceObjects[uri] = created
        store.objects.append(created)
        return created
    }

    func compileNode(at location: Location) throws(SchemasError) -> SchemaNode {
        let key = "\(location.document)|" + JSONPointer.pointer(location.pointer)
        if let cached = cache[key] { return cached }
        guard let schema = value(at: location) else {
            throw error(.unresolvedReference, at: location, "no schema at this location")
        }
        let relative = JSONPointer.pointer(Array(location.pointer[location.resourceDepth...]))
        let resource = resourceObject(location.base)
        let node = SchemaNode(location: location.base + "#" + JSONPointer.fragmentEncoded(relative), resource: resource)
        cache[key] = node
        store.nodes.append(node)
        if !anchorsCompiled.contains(location.base), let names = dynamicAnchorNames[location.base] {
            anchorsCompiled.insert(location.base)
            for (name, anchorLocation) in names.sorted(by: { $0.key < $1.key }) {
                resource.dynamicAnchors[name] = try compileNode(at: anchorLocation).data
            }
        }
        switch schema {
        case .bool(let flag):
            node.data.pointee.constant = flag ? .alwaysValid : .alwaysInvalid
        case .object(let object):
            var builder = KeywordCompiler(compiler: self, location: location, object: object, node: node)
            try builder.compile()
        default:
            throw error(.invalidKeyword, at: location, "a schema must be an object or a boolean")
        }
        return node
    }
}
