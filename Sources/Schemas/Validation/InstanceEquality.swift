import JSON

/// JSON Schema equality between parsed instance values and schema constants (numbers by value,
/// object members in any order), without building trees.
enum InstanceEquality {
    static func equals(_ node: JSONNode, _ value: JSONValue) -> Bool {
        switch (node.kind, value) {
        case (.null, .null): return true
        case (.true, .bool(let flag)): return flag
        case (.false, .bool(let flag)): return !flag
        case (.number, .number(let number)):
            if let left = node.int64, let right = number.int64 { return left == right }
            return node.number! == number
        case (.string, .string(let text)): return node.stringEquals(text)
        case (.array, .array(let elements)):
            guard node.count == elements.count else { return false }
            for (element, expected) in zip(node.elements, elements) where !equals(element, expected) { return false }
            return true
        case (.object, .object(let object)):
            guard node.count == object.count else { return false }
            for (key, member) in node.members {
                guard let name = key.string, let expected = object[name], equals(member, expected) else { return false }
            }
            return true
        default: return false
        }
    }

    static func equals(_ left: JSONNode, _ right: JSONNode) -> Bool {
        let kind = left.kind
        guard kind == right.kind else { return false }
        switch kind {
        case .null, .true, .false: return true
        case .number:
            if let a = left.int64, let b = right.int64 { return a == b }
            return left.number! == right.number!
        case .string:
            if !left.hasEscapes { return right.stringEquals(left.rawStringBytes!) }
            return left.withUnescapedBytes { right.stringEquals($0) } ?? false
        case .array:
            guard left.count == right.count else { return false }
            for (a, b) in zip(left.elements, right.elements) where !equals(a, b) { return false }
            return true
        case .object:
            guard left.count == right.count else { return false }
            for (key, value) in left.members {
                let other = key.withUnescapedBytes { right.member(utf8: $0) } ?? nil
                guard let other, equals(value, other) else { return false }
            }
            return true
        }
    }

    /// A hash consistent with ``equals(_:_:)-(JSONNode,JSONNode)``.
    static func hash(_ node: JSONNode, into hasher: inout Hasher) {
        switch node.kind {
        case .null: hasher.combine(0)
        case .true: hasher.combine(1)
        case .false: hasher.combine(2)
        case .number:
            if let value = node.int64 { hasher.combine(JSONNumber(value)) } else { hasher.combine(node.number!) }
        case .string:
            hasher.combine(4)
            _ = node.withUnescapedBytes { hasher.combine(bytes: $0) }
        case .array:
            hasher.combine(5)
            for element in node.elements { hash(element, into: &hasher) }
        case .object:
            hasher.combine(6)
            var combined = 0
            for (key, value) in node.members {
                var member = Hasher()
                _ = key.withUnescapedBytes { member.combine(bytes: $0) }
                hash(value, into: &member)
                combined ^= member.finalize()
            }
            hasher.combine(combined)
        }
    }
}
