/// `${VAR}` / `${VAR:-default}` substitution in scalar values; `$${` writes a literal `${`.
enum EnvironmentSubstitution {
    /// A problem found while substituting, at a Unicode-scalar offset of the input.
    struct Problem: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            /// `${NAME}` without default and `NAME` is not set.
            case missing(String)
            /// `${` without a closing `}` or with an invalid variable name.
            case malformed(String)
        }

        var kind: Kind
        var offset: Int
    }

    /// Replaces every reference; missing variables are replaced by the empty string and reported.
    static func apply(to text: String, environment: [String: String]) -> (text: String, problems: [Problem]) {
        guard text.contains("$") else { return (text, []) }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var problems: [Problem] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "$", index + 2 < scalars.count, scalars[index + 1] == "$", scalars[index + 2] == "{" {
                output.append(contentsOf: "${".unicodeScalars)
                index += 3
                continue
            }
            guard scalar == "$", index + 1 < scalars.count, scalars[index + 1] == "{" else {
                output.append(scalar)
                index += 1
                continue
            }
            guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                problems.append(Problem(kind: .malformed("'${' without a closing '}'"), offset: index))
                output.append(contentsOf: scalars[index...])
                break
            }
            let body = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
            let name: String
            let fallback: String?
            if let separator = body.range(of: ":-") {
                name = String(body[..<separator.lowerBound])
                fallback = String(body[separator.upperBound...])
            } else {
                name = body
                fallback = nil
            }
            if !isVariableName(name) {
                problems.append(
                    Problem(
                        kind: .malformed(
                            "'${\(body)}' is not a variable reference; expected ${NAME} or ${NAME:-default} "
                                + "with NAME of letters, digits and '_'"),
                        offset: index))
            } else if let value = environment[name] {
                output.append(contentsOf: value.unicodeScalars)
            } else if let fallback {
                output.append(contentsOf: fallback.unicodeScalars)
            } else {
                problems.append(Problem(kind: .missing(name), offset: index))
            }
            index = close + 1
        }
        return (String(output), problems)
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || isLetter($0) || ("0"..."9").contains($0) }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
