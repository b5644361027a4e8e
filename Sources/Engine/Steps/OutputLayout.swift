import JSON

/// The shape `emit` writes: `map` fields arranged into nested objects (dotted names) and arrays
/// (`activities[0].slot`), each leaf knowing how to write numbers according to the output schema.
///
/// Null leaves are omitted, objects without any value are omitted, arrays are always written
/// (elements without any value are left out, the others in index order).
final class OutputLayout {
    /// One member of an output object or element of an output array.
    final class Field {
        enum Kind {
            case leaf(Int)
            case object
            case array
        }

        /// Member name (`nil` for array elements).
        let name: [UInt8]?
        /// Position in the array (array elements only).
        let position: Int
        var kind: Kind
        var children: [Field] = []
        /// Write numbers as JSON strings (schema type `string`, the domain's `Dec`).
        var numbersAsStrings = false
        /// Write numeric strings as JSON numbers (schema type `integer`/`number`).
        var stringsAsNumbers = false

        init(name: [UInt8]?, position: Int, kind: Kind) {
            self.name = name
            self.position = position
            self.kind = kind
        }
    }

    let fields: [Field]
    /// Top-level names written by `map`.
    let topLevelNames: Set<String>

    /// One step of a field name.
    enum Token: Equatable {
        case member(String)
        case index(Int)
    }

    /// Splits `a.b[0].c` into tokens; `nil` when malformed.
    static func tokens(_ name: String) -> [Token]? {
        var result: [Token] = []
        for part in name.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            guard let open = rest.firstIndex(of: "[") ?? Optional(rest.endIndex) else { return nil }
            let member = rest[..<open]
            guard !member.isEmpty else { return nil }
            result.append(.member(String(member)))
            rest = rest[open...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                    let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { return nil }
                result.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        return result
    }

    /// Arranges `names` into a tree, typing each leaf from `shape` when given.
    init(names: [String], shape: SchemaShape?) throws(EngineError) {
        let root = Field(name: nil, position: 0, kind: .object)
        var topLevel: Set<String> = []
        for (index, name) in names.enumerated() {
            guard let tokens = Self.tokens(name), case .member(let first) = tokens[0] else {
                throw EngineError(.invalidStep, "map field name \(name) is malformed")
            }
            topLevel.insert(first)
            var parent = root
            for (depth, token) in tokens.enumerated() {
                let isLeaf = depth == tokens.count - 1
                let nextIsIndex =
                    !isLeaf && { if case .index = tokens[depth + 1] { return true } else { return false } }()
                let kind: Field.Kind = isLeaf ? .leaf(index) : (nextIsIndex ? .array : .object)
                let existing: Field?
                switch token {
                case .member(let member):
                    guard case .object = parent.kind else {
                        throw EngineError(.invalidStep, "map field \(name) conflicts with another field")
                    }
                    existing = parent.children.first { $0.name == Array(member.utf8) }
                case .index(let position):
                    guard case .array = parent.kind else {
                        throw EngineError(.invalidStep, "map field \(name) conflicts with another field")
                    }
                    existing = parent.children.first { $0.position == position }
                }
                if let existing {
                    if isLeaf { throw EngineError(.invalidStep, "map field \(name) is set twice") }
                    switch (existing.kind, kind) {
                    case (.object, .object), (.array, .array): break
                    default: throw EngineError(.invalidStep, "map field \(name) conflicts with another field")
                    }
                    parent = existing
                    continue
                }
                let field: Field
                switch token {
                case .member(let member): field = Field(name: Array(member.utf8), position: 0, kind: kind)
                case .index(let position): field = Field(name: nil, position: position, kind: kind)
                }
                if isLeaf, let shape {
                    let types = shape.types(at: Array(tokens))
                    field.numbersAsStrings =
                        types.contains("string") && !types.contains("number") && !types.contains("integer")
                    field.stringsAsNumbers =
                        !types.contains("string") && (types.contains("number") || types.contains("integer"))
                }
                parent.children.append(field)
                if case .array = parent.kind { parent.children.sort { $0.position < $1.position } }
                parent = field
            }
        }
        fields = root.children
        topLevelNames = topLevel
    }

    /// Writes the fields (members of the object being written) with `values` by leaf index.
    func write(_ values: [Value], to writer: inout JSONWriter) {
        for field in fields { Self.write(field, values, to: &writer) }
    }

    private static func write(_ field: Field, _ values: [Value], to writer: inout JSONWriter) {
        switch field.kind {
        case .leaf(let index):
            let value = values[index]
            if value.isNull { return }
            if let name = field.name { name.withUnsafeBytes { writer.key(utf8: $0) } }
            value.write(to: &writer, numbersAsStrings: field.numbersAsStrings, stringsAsNumbers: field.stringsAsNumbers)
        case .object:
            guard hasValue(field, values) else { return }
            if let name = field.name { name.withUnsafeBytes { writer.key(utf8: $0) } }
            writer.beginObject()
            for child in field.children { write(child, values, to: &writer) }
            writer.endObject()
        case .array:
            if let name = field.name { name.withUnsafeBytes { writer.key(utf8: $0) } }
            writer.beginArray()
            for child in field.children where hasValue(child, values) { write(child, values, to: &writer) }
            writer.endArray()
        }
    }

    /// `true` if any leaf under `field` has a non-null value.
    static func hasValue(_ field: Field, _ values: [Value]) -> Bool {
        switch field.kind {
        case .leaf(let index): !values[index].isNull
        case .object, .array: field.children.contains { hasValue($0, values) }
        }
    }
}
