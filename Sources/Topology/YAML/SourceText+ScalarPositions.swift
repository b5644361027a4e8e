extension SourceText {
    /// The file position of the `offset`-th Unicode scalar of `scalar.decoded`.
    ///
    /// Exact for single-line plain and quoted scalars (escapes included) and for literal block scalars;
    /// the scalar's start otherwise (multi-line flow scalars, folded scalars past their first line, or
    /// text changed by `${VAR}` substitution when `offset` is meant for the substituted text).
    func location(in scalar: ConfigScalar, offset: Int) -> SourceLocation {
        let start = scalar.location
        guard start.file == file, offset >= 0 else { return start }
        let line = self.line(start.line)
        let first = start.column - 1
        switch scalar.style {
        case .plain:
            if first + offset <= line.count, !scalar.decoded.unicodeScalars.contains("\n") {
                return location(line: start.line, column: start.column + offset)
            }
            return start
        case .singleQuoted:
            return quotedLocation(line: line, lineNumber: start.line, from: first, offset: offset, quote: "'")
                ?? start
        case .doubleQuoted:
            return quotedLocation(line: line, lineNumber: start.line, from: first, offset: offset, quote: "\"")
                ?? start
        case .literal, .folded:
            return blockLocation(scalar: scalar, offset: offset) ?? start
        }
    }

    private func quotedLocation(
        line: [Unicode.Scalar],
        lineNumber: Int,
        from quoteIndex: Int,
        offset: Int,
        quote: Unicode.Scalar
    ) -> SourceLocation? {
        guard quoteIndex < line.count, line[quoteIndex] == quote else { return nil }
        var index = quoteIndex + 1
        var decoded = 0
        while index < line.count {
            if decoded == offset { return location(line: lineNumber, column: index + 1) }
            let character = line[index]
            if quote == "'" && character == "'" {
                guard index + 1 < line.count, line[index + 1] == "'" else { return nil }
                index += 2
            } else if quote == "\"" && character == "\"" {
                return nil
            } else if quote == "\"" && character == "\\" {
                let escape = index + 1 < line.count ? line[index + 1] : " "
                switch escape {
                case "x": index += 4
                case "u": index += 6
                case "U": index += 10
                default: index += 2
                }
            } else {
                index += 1
            }
            decoded += 1
        }
        return nil
    }

    private func blockLocation(scalar: ConfigScalar, offset: Int) -> SourceLocation? {
        // Content starts on the line after the indicator; its indentation is that of the first non-blank line.
        let lineNumber = scalar.location.line + 1
        var firstContent = lineNumber
        while firstContent <= lines.count, self.line(firstContent).allSatisfy({ $0 == " " }) { firstContent += 1 }
        guard firstContent <= lines.count else { return nil }
        let indent = self.line(firstContent).prefix { $0 == " " }.count
        var remaining = offset
        var contentLine = 0
        for decodedLine in scalar.decoded.split(separator: "\n", omittingEmptySubsequences: false) {
            let length = decodedLine.unicodeScalars.count
            if remaining <= length {
                if scalar.style == .folded && contentLine > 0 { return nil }
                return location(line: lineNumber + contentLine, column: indent + remaining + 1)
            }
            remaining -= length + 1
            contentLine += 1
        }
        return nil
    }
}
