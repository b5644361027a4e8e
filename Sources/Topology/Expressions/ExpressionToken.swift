/// A token of the expression language with its Unicode-scalar offset.
struct ExpressionToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier(String)
        case number(String)
        case string(String)
        case symbol(String)
        case keyword(String)
        case end
    }

    var kind: Kind
    var offset: Int

    var text: String {
        switch kind {
        case .identifier(let name): "'\(name)'"
        case .number(let number): "number \(number)"
        case .string: "a string"
        case .symbol(let symbol): "'\(symbol)'"
        case .keyword(let word): "'\(word)'"
        case .end: "the end of the expression"
        }
    }

    static let keywords: Set<String> = ["and", "or", "not", "true", "false", "null"]
}

/// Splits expression text into tokens.
struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) {
        self.scalars = Array(text.unicodeScalars)
    }

    /// All tokens, ending with `.end`.
    static func tokenize(_ text: String) throws(ExpressionSyntaxError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(text)
        var tokens: [ExpressionToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func next() throws(ExpressionSyntaxError) -> ExpressionToken {
        while index < scalars.count,
            scalars[index] == " " || scalars[index] == "\t" || scalars[index] == "\n"
                || scalars[index] == "\r"
        {
            index += 1
        }
        let start = index
        guard index < scalars.count else { return ExpressionToken(kind: .end, offset: start) }
        let scalar = scalars[index]
        if Self.isIdentifierStart(scalar) {
            while index < scalars.count, Self.isIdentifierPart(scalars[index]) { index += 1 }
            let word = String(String.UnicodeScalarView(scalars[start..<index]))
            return ExpressionToken(
                kind: ExpressionToken.keywords.contains(word) ? .keyword(word) : .identifier(word), offset: start)
        }
        if Self.isDigit(scalar) {
            while index < scalars.count, Self.isDigit(scalars[index]) { index += 1 }
            if index + 1 < scalars.count, scalars[index] == ".", Self.isDigit(scalars[index + 1]) {
                index += 1
                while index < scalars.count, Self.isDigit(scalars[index]) { index += 1 }
            }
            if index < scalars.count, Self.isIdentifierStart(scalars[index]) {
                throw ExpressionSyntaxError(
                    offset: index, message: "unexpected '\(scalars[index])' after a number; expected an operator")
            }
            let text = String(String.UnicodeScalarView(scalars[start..<index]))
            if text.count > 1, text.hasPrefix("0"), !text.hasPrefix("0.") {
                throw ExpressionSyntaxError(
                    offset: start, message: "number \(text) has a leading zero; write it as a string '\(text)'")
            }
            return ExpressionToken(kind: .number(text), offset: start)
        }
        if scalar == "'" || scalar == "\"" {
            return ExpressionToken(kind: .string(try string(quote: scalar)), offset: start)
        }
        let two = index + 1 < scalars.count ? String(String.UnicodeScalarView([scalar, scalars[index + 1]])) : ""
        if ["==", "!=", "<=", ">=", "??"].contains(two) {
            index += 2
            return ExpressionToken(kind: .symbol(two), offset: start)
        }
        if "+-*/<>()[],.".unicodeScalars.contains(scalar) {
            index += 1
            return ExpressionToken(kind: .symbol(String(scalar)), offset: start)
        }
        let hint: String
        switch scalar {
        case "=": hint = "; use == to compare"
        case "&": hint = "; use and"
        case "|": hint = "; use or"
        case "!": hint = "; use not or !="
        default: hint = ""
        }
        throw ExpressionSyntaxError(offset: start, message: "unexpected character '\(scalar)'\(hint)")
    }

    private mutating func string(quote: Unicode.Scalar) throws(ExpressionSyntaxError) -> String {
        let start = index
        index += 1
        var value = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == quote {
                index += 1
                return String(value)
            }
            if scalar == "\\" {
                guard index + 1 < scalars.count else { break }
                let escaped = scalars[index + 1]
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\\", "'", "\"": value.append(escaped)
                default:
                    throw ExpressionSyntaxError(
                        offset: index, message: "unknown escape '\\\(escaped)'; expected \\n, \\t, \\\\, \\' or \\\"")
                }
                index += 2
                continue
            }
            value.append(scalar)
            index += 1
        }
        throw ExpressionSyntaxError(offset: start, message: "string is not closed; expected a closing \(quote)")
    }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || isDigit(scalar)
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
