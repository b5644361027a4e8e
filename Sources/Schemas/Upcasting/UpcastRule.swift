import JSON

/// One declared change from a version to the next, applied to an event document.
public enum UpcastRule: Sendable, Hashable, CustomStringConvertible {
    /// Sets the member at `path` to `default` when it is absent (never overwrites); nothing happens
    /// when the parent object is absent.
    case add(UpcastPath, default: JSONValue)
    /// Moves the value at the first path to the second when present; an existing destination is kept.
    case rename(UpcastPath, to: UpcastPath)
    /// Deletes the member at `path` when present.
    case remove(UpcastPath)

    /// `add /data/x = 0`, `rename /a -> /b`, `remove /c`.
    public var description: String {
        switch self {
        case .add(let path, let value): "add \(path) = \(value)"
        case .rename(let from, let to): "rename \(from) -> \(to)"
        case .remove(let path): "remove \(path)"
        }
    }

    /// Applies the rule to `document` in place.
    func apply(to document: inout JSONValue) {
        switch self {
        case .add(let path, let value):
            guard let name = path.lastMember else { return }
            document.forEach(path.parent) { parent, _ in
                guard case .object(var object) = parent, object[name] == nil else { return }
                parent = .null  // release the storage so the object is uniquely referenced
                object.members.append(JSONObject.Member(key: name, value: value))
                parent = .object(object)
            }
        case .remove(let path):
            guard let name = path.lastMember else { return }
            document.forEach(path.parent) { parent, _ in
                guard case .object(var object) = parent, object[name] != nil else { return }
                parent = .null
                object.members.removeAll { $0.key == name }
                parent = .object(object)
            }
        case .rename(let from, let to):
            guard let name = from.lastMember else { return }
            var moved: [(indices: [Int], value: JSONValue)] = []
            document.forEach(from.parent) { parent, indices in
                guard case .object(var object) = parent, let value = object[name] else { return }
                parent = .null
                object.members.removeAll { $0.key == name }
                parent = .object(object)
                moved.append((indices, value))
            }
            guard let target = to.lastMember else { return }
            for item in moved {
                document.forEach(to.parent, matching: item.indices) { parent, _ in
                    guard case .object(var object) = parent, object[target] == nil else { return }
                    parent = .null
                    object.members.append(JSONObject.Member(key: target, value: item.value))
                    parent = .object(object)
                }
            }
        }
    }
}

extension JSONValue {
    /// Calls `body` with every value `tokens` designates (a `*` visits each array element), and the
    /// array indices the wildcards took. With `matching`, wildcards take those indices instead.
    mutating func forEach(
        _ tokens: ArraySlice<UpcastPath.Token>, matching: [Int]? = nil,
        _ body: (inout JSONValue, [Int]) -> Void
    ) {
        var indices: [Int] = []
        visit(tokens, matching: matching.map { $0[...] }, &indices, body)
    }

    private mutating func visit(
        _ tokens: ArraySlice<UpcastPath.Token>, matching: ArraySlice<Int>?, _ indices: inout [Int],
        _ body: (inout JSONValue, [Int]) -> Void
    ) {
        guard let token = tokens.first else {
            body(&self, indices)
            return
        }
        let rest = tokens.dropFirst()
        switch (token, self) {
        case (.member(let name), .object(var object)):
            guard let position = object.members.firstIndex(where: { $0.key == name }) else { return }
            self = .null
            object.members[position].value.visit(rest, matching: matching, &indices, body)
            self = .object(object)
        case (.member(let name), .array(var elements)):
            guard let position = LocatedSchema.arrayIndex(name), position < elements.count else { return }
            self = .null
            elements[position].visit(rest, matching: matching, &indices, body)
            self = .array(elements)
        case (.eachElement, .array(var elements)):
            self = .null
            if let matching {
                if let position = matching.first, position < elements.count {
                    indices.append(position)
                    elements[position].visit(rest, matching: matching.dropFirst(), &indices, body)
                    indices.removeLast()
                }
            } else {
                for position in elements.indices {
                    indices.append(position)
                    elements[position].visit(rest, matching: nil, &indices, body)
                    indices.removeLast()
                }
            }
            self = .array(elements)
        default:
            return
        }
    }
}
