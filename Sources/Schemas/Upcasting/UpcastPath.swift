/// A JSON Pointer (RFC 6901) relative to the event root in which a `*` token matches every element
/// of an array, e.g. `/data/metrics/*/quality`.
public struct UpcastPath: Sendable, Hashable, CustomStringConvertible {
    /// One reference token.
    public enum Token: Sendable, Hashable {
        /// An object member (or, on an array, the element at that index).
        case member(String)
        /// Every element of an array.
        case eachElement
    }

    /// The tokens, root first; never empty.
    public let tokens: [Token]

    /// Parses pointer text; `nil` if it is empty, does not start with `/` or has a bad `~` escape.
    public init?(_ text: String) {
        guard text.hasPrefix("/"), let raw = JSONPointer.tokens(text), !raw.isEmpty else { return nil }
        // JSONPointer.tokens does not reject stray `~`; escapes must be `~0` or `~1`.
        var index = text.startIndex
        while let tilde = text[index...].firstIndex(of: "~") {
            let next = text.index(after: tilde)
            guard next < text.endIndex, text[next] == "0" || text[next] == "1" else { return nil }
            index = next
        }
        tokens = raw.map { $0 == "*" ? .eachElement : .member($0) }
    }

    /// The number of `*` tokens.
    public var wildcardCount: Int { tokens.count { $0 == .eachElement } }

    /// The path without its last token.
    var parent: ArraySlice<Token> { tokens.dropLast() }

    /// The last token's member name, if it is not `*`.
    var lastMember: String? {
        if case .member(let name) = tokens.last { return name }
        return nil
    }

    /// The pointer text.
    public var description: String {
        tokens.map { token in
            switch token {
            case .member(let name): "/" + JSONPointer.escape(name)
            case .eachElement: "/*"
            }
        }.joined()
    }
}
