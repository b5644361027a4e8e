/// A dotted path into a record, e.g. `data.lines[0].qty.value`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Segment: Sendable, Hashable {
        /// An object member.
        case member(String)
        /// An array element (0-based).
        case index(Int)
    }

    /// The steps, first to last. The first is always a `.member` (the root name).
    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// The root name (`data` in `data.orderId`).
    public var root: String {
        if case .member(let name) = segments.first { return name }
        return ""
    }

    /// The last member name, used as the default name of a `groupBy` entry.
    public var lastName: String {
        for segment in segments.reversed() {
            if case .member(let name) = segment { return name }
        }
        return ""
    }

    /// The path as a JSON pointer (`/data/lines/0/qty/value`).
    public var jsonPointer: String {
        var pointer = ""
        for segment in segments {
            switch segment {
            case .member(let name):
                pointer += "/" + name.replacingAll("~", with: "~0").replacingAll("/", with: "~1")
            case .index(let index):
                pointer += "/\(index)"
            }
        }
        return pointer
    }

    public var description: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .member(let name):
                text += text.isEmpty ? name : "." + name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
