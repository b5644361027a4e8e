import JSON

/// Reads what an output schema expects, off the hot path: its top-level property names, `const`s,
/// and the JSON types allowed at a property path (following `$ref`, `allOf`, `anyOf`, `oneOf`).
///
/// Emit uses it to write the header fields the schema declares and to write decimals as strings
/// where the schema wants strings (the domain's `Dec`) and as numbers where it wants integers.
struct SchemaShape {
    private struct Located {
        var schema: JSONValue
        var base: String
    }

    private let root: Located
    private let load: (String) -> JSONValue?

    init(schema: JSONValue, uri: String, load: @escaping (String) -> JSONValue?) {
        let base = schema["$id"]?.stringValue ?? uri
        root = Located(schema: schema, base: base)
        self.load = load
    }

    /// Names of the top-level `properties` (in document order).
    var topLevelProperties: [String] {
        var names: [String] = []
        for located in expand(root, depth: 0) {
            guard case .object(let properties)? = located.schema["properties"] else { continue }
            for member in properties.members where !names.contains(member.key) { names.append(member.key) }
        }
        return names
    }

    /// The `const` of a top-level property, if declared.
    func constant(of property: String) -> JSONValue? {
        for located in subschemas(at: [.member(property)]) {
            for candidate in expand(located, depth: 0) {
                if let value = candidate.schema["const"] { return value }
            }
        }
        return nil
    }

    /// JSON type names allowed at a path of property names and array positions.
    func types(at path: [OutputLayout.Token]) -> Set<String> {
        var result: Set<String> = []
        for located in subschemas(at: path) {
            for candidate in expand(located, depth: 0) {
                switch candidate.schema["type"] {
                case .string(let name)?: result.insert(name)
                case .array(let names)?: for name in names { if let text = name.stringValue { result.insert(text) } }
                default: break
                }
                if let value = candidate.schema["const"] { result.insert(Self.typeName(value)) }
                if case .array(let values)? = candidate.schema["enum"] {
                    for value in values { result.insert(Self.typeName(value)) }
                }
            }
        }
        return result
    }

    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number(let number): number.isInteger ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    private func subschemas(at path: [OutputLayout.Token]) -> [Located] {
        var current = [root]
        for token in path {
            var next: [Located] = []
            for located in current {
                for candidate in expand(located, depth: 0) {
                    switch token {
                    case .member(let name):
                        if let property = candidate.schema["properties"]?[name] {
                            next.append(Located(schema: property, base: candidate.base))
                        }
                    case .index(let position):
                        if case .array(let prefix)? = candidate.schema["prefixItems"], position < prefix.count {
                            next.append(Located(schema: prefix[position], base: candidate.base))
                        } else if let items = candidate.schema["items"] {
                            next.append(Located(schema: items, base: candidate.base))
                        }
                    }
                }
            }
            current = next
        }
        return current
    }

    /// The schema plus everything it pulls in through `$ref` and combinators.
    private func expand(_ located: Located, depth: Int) -> [Located] {
        guard depth < 16 else { return [] }
        var result = [located]
        if let reference = located.schema["$ref"]?.stringValue, let target = resolve(reference, from: located.base) {
            result += expand(target, depth: depth + 1)
        }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            if case .array(let branches)? = located.schema[keyword] {
                for branch in branches {
                    result += expand(Located(schema: branch, base: located.base), depth: depth + 1)
                }
            }
        }
        return result
    }

    private func resolve(_ reference: String, from base: String) -> Located? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let address = parts.isEmpty ? "" : String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        let uri = address.isEmpty ? base : Self.resolveURI(address, against: base)
        let document: JSONValue?
        if uri == root.base { document = root.schema } else { document = load(uri) }
        guard var target = document else { return nil }
        let targetBase = target["$id"]?.stringValue ?? uri
        for token in fragment.split(separator: "/") {
            let key = String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            if let index = Int(key), case .array(let items) = target {
                guard index < items.count else { return nil }
                target = items[index]
            } else {
                guard let next = target[key] else { return nil }
                target = next
            }
        }
        return Located(schema: target, base: targetBase)
    }

    /// RFC 3986 resolution for the relative paths the catalogue uses (`../x/v1.json`).
    static func resolveURI(_ reference: String, against base: String) -> String {
        if reference.contains("://") { return reference }
        guard let schemeEnd = base.range(of: "://") else { return reference }
        let afterScheme = base[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let prefix = String(base[..<authorityEnd])
        var segments = afterScheme[authorityEnd...].split(separator: "/", omittingEmptySubsequences: false).map(
            String.init)
        if reference.hasPrefix("/") {
            segments = [""]
        } else if !segments.isEmpty {
            segments.removeLast()
        }
        for segment in reference.split(separator: "/", omittingEmptySubsequences: false) {
            switch segment {
            case ".": continue
            case "..": if segments.count > 1 { segments.removeLast() }
            default: segments.append(String(segment))
            }
        }
        return prefix + segments.joined(separator: "/")
    }
}
