extension Expression: CustomStringConvertible {
    /// The expression in the topology syntax, with only the parentheses precedence requires.
    public var description: String { render() }

    private var precedence: Int {
        switch self {
        case .literal(.number(let digits), _): digits.hasPrefix("-") ? 8 : 9
        case .literal, .path, .call: 9
        case .unary(.negate, _, _): 8
        case .unary(.not, _, _): 3
        case .binary(let op, _, _, _): Self.precedence(of: op)
        }
    }

    static func precedence(of op: BinaryOperator) -> Int {
        switch op {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: 4
        case .coalesce: 5
        case .add, .subtract: 6
        case .multiply, .divide: 7
        }
    }

    private func render() -> String {
        switch self {
        case .literal(let literal, _):
            switch literal {
            case .string(let text): return Self.quote(text)
            case .number(let digits): return digits
            case .bool(let value): return value ? "true" : "false"
            case .null: return "null"
            }
        case .path(let path, _):
            return path.description
        case .call(let name, let arguments, _):
            return name + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
        case .unary(.not, let operand, _):
            return "not " + Self.wrap(operand, if: operand.precedence < 3)
        case .unary(.negate, let operand, _):
            return "-" + Self.wrap(operand, if: operand.precedence < 8)
        case .binary(let op, let left, let right, _):
            let level = Self.precedence(of: op)
            let symbol = op.rawValue
            return Self.wrap(left, if: left.precedence < level || (level == 4 && left.precedence == 4)) + " "
                + symbol + " " + Self.wrap(right, if: right.precedence <= level)
        }
    }

    private static func wrap(_ expression: Expression, if condition: Bool) -> String {
        condition ? "(" + expression.description + ")" : expression.description
    }

    private static func quote(_ text: String) -> String {
        var result = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": result += "\\'"
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "'"
    }
}
