/// The text of a configuration file split into lines of Unicode scalars, to map positions inside scalars.
struct SourceText: Sendable {
    /// The file path as given to the loader (used in locations).
    let file: String
    /// Lines without their line break, as Unicode scalars (YAML columns count scalars).
    let lines: [[Unicode.Scalar]]

    init(file: String, text: String) {
        self.file = file
        var lines: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if !previousWasCR { lines.append(current) }
                current = []
                previousWasCR = false
            } else if scalar == "\r" {
                lines.append(current)
                current = []
                previousWasCR = true
            } else {
                current.append(scalar)
                previousWasCR = false
            }
        }
        lines.append(current)
        self.lines = lines
    }

    /// The line with 1-based number `number`, or an empty line when out of range.
    func line(_ number: Int) -> [Unicode.Scalar] {
        number >= 1 && number <= lines.count ? lines[number - 1] : []
    }

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    /// The location of the `offset`-th Unicode scalar of the whole text (for errors reported as offsets).
    func location(ofScalarOffset offset: Int) -> SourceLocation {
        var remaining = offset
        for (index, line) in lines.enumerated() {
            if remaining <= line.count { return location(line: index + 1, column: remaining + 1) }
            remaining -= line.count + 1
        }
        return location(line: max(lines.count, 1), column: 1)
    }
}
