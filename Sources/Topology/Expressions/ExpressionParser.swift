/// Parses the expression language of docs/topology.md ("Expressions").
///
/// Precedence, loosest first: `or` < `and` < `not` < comparison (`== != < <= > >=`, not chainable) < `??`
/// < `+ -` < `* /` < unary `-`. Paths are `a.b[0].c`; strings are `'single'` or `"double"` quoted; numbers
/// are kept as written.
public struct ExpressionParser {
    private let tokens: [ExpressionToken]
    private var position = 0
    private let locate: (Int) -> SourceLocation

    private init(tokens: [ExpressionToken], locate: @escaping (Int) -> SourceLocation) {
        self.tokens = tokens
        self.locate = locate
    }

    /// Parses `text`; `locate` turns a Unicode-scalar offset of `text` into a file position.
    /// - Throws: `ExpressionSyntaxError` with the offset of the first problem.
    public static func parse(
        _ text: String,
        locate: @escaping (Int) -> SourceLocation
    ) throws(ExpressionSyntaxError) -> Expression {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokenize(text), locate: locate)
        if parser.current.kind == .end {
            throw ExpressionSyntaxError(offset: 0, message: "empty expression; expected a value")
        }
        let expression = try parser.parseOr()
        if parser.current.kind != .end {
            throw ExpressionSyntaxError(
                offset: parser.current.offset,
                message: "unexpected \(parser.current.text); expected an operator or the end of the expression")
        }
        return expression
    }

    /// Parses `text` written at `location` (a one-line text: offsets become columns).
    public static func parse(_ text: String, at location: SourceLocation) throws(ExpressionSyntaxError) -> Expression {
        try parse(text) { SourceLocation(file: location.file, line: location.line, column: location.column + $0) }
    }

    private var current: ExpressionToken { tokens[position] }

    private mutating func advance() -> ExpressionToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }
    private func isKeyword(_ word: String) -> Bool { current.kind == .keyword(word) }

    private mutating func parseOr() throws(ExpressionSyntaxError) -> Expression {
        var left = try parseAnd()
        while isKeyword("or") {
            _ = advance()
            let right = try parseAnd()
            left = .binary(.or, left, right, left.location)
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionSyntaxError) -> Expression {
        var left = try parseNot()
        while isKeyword("and") {
            _ = advance()
            let right = try parseNot()
            left = .binary(.and, left, right, left.location)
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionSyntaxError) -> Expression {
        if isKeyword("not") {
            let token = advance()
            let operand = try parseNot()
            return .unary(.not, operand, locate(token.offset))
        }
        return try parseComparison()
    }

    private static let comparisons: [String: Expression.BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    private mutating func parseComparison() throws(ExpressionSyntaxError) -> Expression {
        let left = try parseCoalesce()
        guard case .symbol(let symbol) = current.kind, let op = Self.comparisons[symbol] else { return left }
        _ = advance()
        let right = try parseCoalesce()
        if case .symbol(let next) = current.kind, Self.comparisons[next] != nil {
            throw ExpressionSyntaxError(
                offset: current.offset,
                message: "comparisons cannot be chained; combine them with and (a < b and b < c)")
        }
        return .binary(op, left, right, left.location)
    }

    private mutating func parseCoalesce() throws(ExpressionSyntaxError) -> Expression {
        var left = try parseAdditive()
        while isSymbol("??") {
            _ = advance()
            let right = try parseAdditive()
            left = .binary(.coalesce, left, right, left.location)
        }
        return left
    }

    private mutating func parseAdditive() throws(ExpressionSyntaxError) -> Expression {
        var left = try parseMultiplicative()
        while isSymbol("+") || isSymbol("-") {
            let op: Expression.BinaryOperator = isSymbol("+") ? .add : .subtract
            _ = advance()
            let right = try parseMultiplicative()
            left = .binary(op, left, right, left.location)
        }
        return left
    }

    private mutating func parseMultiplicative() throws(ExpressionSyntaxError) -> Expression {
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let op: Expression.BinaryOperator = isSymbol("*") ? .multiply : .divide
            _ = advance()
            let right = try parseUnary()
            left = .binary(op, left, right, left.location)
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionSyntaxError) -> Expression {
        if isSymbol("-") {
            let token = advance()
            let operand = try parseUnary()
            if case .literal(.number(let digits), _) = operand, !digits.hasPrefix("-") {
                return .literal(.number("-" + digits), locate(token.offset))
            }
            return .unary(.negate, operand, locate(token.offset))
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionSyntaxError) -> Expression {
        let token = advance()
        let location = locate(token.offset)
        switch token.kind {
        case .number(let digits):
            return .literal(.number(digits), location)
        case .string(let text):
            return .literal(.string(text), location)
        case .keyword("true"):
            return .literal(.bool(true), location)
        case .keyword("false"):
            return .literal(.bool(false), location)
        case .keyword("null"):
            return .literal(.null, location)
        case .symbol("("):
            let inner = try parseOr()
            guard isSymbol(")") else {
                throw ExpressionSyntaxError(
                    offset: current.offset,
                    message: "expected ')' to close the '(' at offset \(token.offset), found \(current.text)")
            }
            _ = advance()
            return inner
        case .identifier(let name):
            if isSymbol("(") {
                return try parseCall(name: name, location: location)
            }
            return .path(try parsePath(root: name), location)
        default:
            throw ExpressionSyntaxError(offset: token.offset, message: "expected a value, found \(token.text)")
        }
    }

    private mutating func parseCall(name: String, location: SourceLocation) throws(ExpressionSyntaxError) -> Expression
    {
        let open = advance()
        var arguments: [Expression] = []
        if isSymbol(")") {
            _ = advance()
            return .call(name, arguments, location)
        }
        while true {
            arguments.append(try parseOr())
            if isSymbol(",") {
                _ = advance()
                continue
            }
            if isSymbol(")") {
                _ = advance()
                return .call(name, arguments, location)
            }
            throw ExpressionSyntaxError(
                offset: current.offset,
                message:
                    "expected ',' or ')' in the arguments of \(name)( at offset \(open.offset), found \(current.text)"
            )
        }
    }

    private mutating func parsePath(root: String) throws(ExpressionSyntaxError) -> FieldPath {
        var segments: [FieldPath.Segment] = [.member(root)]
        while true {
            if isSymbol(".") {
                _ = advance()
                let token = advance()
                switch token.kind {
                case .identifier(let name), .keyword(let name):
                    segments.append(.member(name))
                default:
                    throw ExpressionSyntaxError(
                        offset: token.offset, message: "expected a field name after '.', found \(token.text)")
                }
            } else if isSymbol("[") {
                _ = advance()
                let token = advance()
                guard case .number(let digits) = token.kind, let index = Int(digits) else {
                    throw ExpressionSyntaxError(
                        offset: token.offset, message: "expected an array index (0, 1, ...) in [], found \(token.text)")
                }
                guard isSymbol("]") else {
                    throw ExpressionSyntaxError(offset: current.offset, message: "expected ']', found \(current.text)")
                }
                _ = advance()
                segments.append(.index(index))
            } else {
                return FieldPath(segments: segments)
            }
        }
    }
}
