import Testing

@testable import Topology

@Suite struct ExpressionParserTests {
    private func parse(_ text: String) throws -> Expression {
        try ExpressionParser.parse(text, at: SourceLocation(file: "t", line: 1, column: 1))
    }

    /// Renders with every binary and unary node parenthesised, to make precedence visible.
    private func explicit(_ expression: Expression) -> String {
        switch expression {
        case .literal, .path: expression.description
        case .call(let name, let arguments, _): name + "(" + arguments.map(explicit).joined(separator: ", ") + ")"
        case .unary(.not, let operand, _): "(not " + explicit(operand) + ")"
        case .unary(.negate, let operand, _): "(-" + explicit(operand) + ")"
        case .binary(let op, let left, let right, _):
            "(" + explicit(left) + " " + op.rawValue + " " + explicit(right) + ")"
        }
    }

    @Test(arguments: [
        ("a or b and c", "(a or (b and c))"),
        ("a and b or c", "((a and b) or c)"),
        ("not a and b", "((not a) and b)"),
        ("not a == b", "(not (a == b))"),
        ("a == b ?? c", "(a == (b ?? c))"),
        ("a ?? b + c", "(a ?? (b + c))"),
        ("a + b * c", "(a + (b * c))"),
        ("a - b - c", "((a - b) - c)"),
        ("a / b / c", "((a / b) / c)"),
        ("-a * b", "((-a) * b)"),
        ("- -a", "(-(-a))"),
        ("(a + b) * c", "((a + b) * c)"),
        ("a < b and c >= d", "((a < b) and (c >= d))"),
        ("x ?? y ?? z", "((x ?? y) ?? z)"),
        ("f(a, b + 1) > 2", "(f(a, (b + 1)) > 2)"),
        ("not not a", "(not (not a))"),
    ])
    func precedence(text: String, expected: String) throws {
        #expect(explicit(try parse(text)) == expected)
    }

    @Test func pathsAndLiterals() throws {
        #expect(
            try parse("data.lines[0].qty.value")
                == .path(
                    FieldPath(segments: [
                        .member("data"), .member("lines"), .index(0), .member("qty"), .member("value"),
                    ]),
                    SourceLocation(file: "t", line: 1, column: 1)))
        guard case .literal(.number(let number), _) = try parse("-12.345") else {
            Issue.record("expected a number literal")
            return
        }
        #expect(number == "-12.345")
        guard case .literal(.number(let big), _) = try parse("123456789012345678901234567890.000001") else {
            Issue.record("expected a number literal")
            return
        }
        #expect(big == "123456789012345678901234567890.000001")
        #expect(try parse("'it\\'s'") == .literal(.string("it's"), SourceLocation(file: "t", line: 1, column: 1)))
        #expect(try parse("\"double\"").description == "'double'")
        #expect(try parse("true").description == "true")
        #expect(try parse("null").description == "null")
        // Keywords are fine after a dot.
        #expect(try parse("data.not.or").description == "data.not.or")
    }

    @Test func locationsPointIntoTheText() throws {
        let expression = try ExpressionParser.parse(
            "a + lookup('t', 'c', b)", at: SourceLocation(file: "f", line: 3, column: 10))
        guard case .binary(.add, let left, let right, _) = expression, case .call(_, let arguments, let callAt) = right
        else {
            Issue.record("unexpected shape \(expression)")
            return
        }
        #expect(left.location.column == 10)
        #expect(callAt.column == 14)
        #expect(arguments[2].location.column == 31)
        #expect(arguments[2].location.line == 3)
    }

    @Test(arguments: [
        ("a = b", 2, "use == to compare"),
        ("a && b", 2, "use and"),
        ("a <", 3, "expected a value"),
        ("f(a b)", 4, "expected ',' or ')'"),
        ("(a + b", 6, "expected ')'"),
        ("'open", 0, "not closed"),
        ("a < b < c", 6, "cannot be chained"),
        ("a.", 2, "field name after '.'"),
        ("a[x]", 2, "array index"),
        ("007", 0, "leading zero"),
        ("", 0, "empty expression"),
        ("a b", 2, "expected an operator"),
    ])
    func syntaxErrors(text: String, offset: Int, message: String) {
        #expect {
            _ = try ExpressionParser.parse(text) { SourceLocation(file: "t", line: 1, column: $0 + 1) }
        } throws: { error in
            guard let error = error as? ExpressionSyntaxError else { return false }
            return error.offset == offset && error.message.contains(message)
        }
    }

    @Test func descriptionRoundTrips() throws {
        for text in [
            "a + b * c", "(a + b) * c", "not (a and b)", "a ?? 'x'", "-(a + b)", "if(a == 1, 'y', concat(b, c))",
            "a - (b - c)", "(a < b) == true",
        ] {
            let once = try parse(text)
            let twice = try parse(once.description)
            #expect(explicit(once) == explicit(twice), "\(text) → \(once.description)")
        }
    }
}
