import Schemas

extension FieldShape {
    /// Where a path leaves a shape.
    struct PathMiss: Error {
        /// The index of the segment that has no match.
        var segment: Int
        /// The shape the segment was looked up in.
        var parent: FieldShape
    }

    /// The shape at `path`, or where the path leaves the shape.
    func resolve(_ path: FieldPath) -> Result<FieldShape, PathMiss> {
        var current = self
        for (index, segment) in path.segments.enumerated() {
            let next: FieldShape?
            switch segment {
            case .member(let name): next = current.member(name)
            case .index: next = current.element
            }
            guard let next else { return .failure(PathMiss(segment: index, parent: current)) }
            current = next
        }
        return .success(current)
    }

    /// An object with members at dotted names (`execution.start`), as a `map` writes them.
    static func written(_ names: [(name: String, shape: FieldShape)]) -> FieldShape {
        var members: [String: FieldShape] = [:]
        var nested: [String: [(name: String, shape: FieldShape)]] = [:]
        var order: [String] = []
        for (name, shape) in names {
            guard let dot = name.firstIndex(of: ".") else {
                members[name] = shape
                continue
            }
            let root = String(name[..<dot])
            if nested[root] == nil { order.append(root) }
            nested[root, default: []].append((String(name[name.index(after: dot)...]), shape))
        }
        for root in order { members[root] = written(nested[root]!) }
        return .object(members: members, required: Set(members.keys), open: false)
    }

    /// How a message describes it.
    var summary: String {
        switch self {
        case .object(let members, _, let open):
            members.isEmpty
                ? "an object"
                : "an object with " + members.keys.sorted().joined(separator: ", ")
                    + (open ? " (and others)" : "")
        case .array: "an array"
        case .scalar(let kind): kind.description
        case .any: "any value"
        }
    }
}
