/// The shape `emit` writes: `map` fields arranged into nested objects (dotted names), each leaf with
/// how to write numbers according to the output schema.
final class OutputLayout {
    /// One member of an output object.
    final class Field {
        let name: [UInt8]
        /// Index of the map value for a leaf; `nil` for an object.
        var valueIndex: Int?
        var children: [Field] = []
        /// Write numbers as JSON strings (schema type `string`, the domain's `Dec`).
        var numbersAsStrings = false
        /// Write numeric strings as JSON numbers (schema type `integer`/`number`).
        var stringsAsNumbers = false

        init(name: [UInt8], valueIndex: Int?) {
            self.name = name
            self.valueIndex = valueIndex
        }
    }

    let fields: [Field]
    /// Top-level names written by `map`.
    let topLevelNames: Set<String>

    /// Arranges `names` (dotted) into a tree, typing each leaf from `shape` when given.
    init(names: [String], shape: SchemaShape?) throws(EngineError) {
        var roots: [Field] = []
        var topLevel: Set<String> = []
        for (index, name) in names.enumerated() {
            let parts = name.split(separator: ".").map(String.init)
            guard !parts.isEmpty else { throw EngineError(.invalidStep, "map has an empty field name") }
            topLevel.insert(parts[0])
            var level = roots
            var path: [Field] = []
            for (depth, part) in parts.enumerated() {
                let isLeaf = depth == parts.count - 1
                if let existing = level.first(where: { $0.name == Array(part.utf8) }) {
                    if isLeaf || existing.valueIndex != nil {
                        throw EngineError(.invalidStep, "map field \(name) conflicts with another field")
                    }
                    path.append(existing)
                    level = existing.children
                } else {
                    let field = Field(name: Array(part.utf8), valueIndex: isLeaf ? index : nil)
                    if isLeaf, let shape {
                        let types = shape.types(at: parts)
                        field.numbersAsStrings = types.contains("string") && !types.contains("number")
                            && !types.contains("integer")
                        field.stringsAsNumbers = !types.contains("string")
                            && (types.contains("number") || types.contains("integer"))
                    }
                    if let parent = path.last {
                        parent.children.append(field)
                    } else {
                        roots.append(field)
                    }
                    path.append(field)
                    level = field.children
                }
            }
        }
        fields = roots
        topLevelNames = topLevel
    }

    /// `true` if any leaf under `field` has a non-null value.
    static func hasValue(_ field: Field, _ values: [Value]) -> Bool {
        if let index = field.valueIndex { return !values[index].isNull }
        return field.children.contains { hasValue($0, values) }
    }
}
