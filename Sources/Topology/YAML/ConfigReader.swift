import Yams

/// Reads a YAML file into a `ConfigNode` tree through Yams' `compose` (which keeps line and column),
/// substituting `${VAR}` references in scalar values.
///
/// Hostile input is bounded: a document larger than ``maxDocumentBytes`` is refused before it is parsed, and
/// the tree stops growing at ``maxNodes`` nodes or ``maxDepth`` levels — YAML aliases can make a small file
/// expand exponentially ("billion laughs"), so the count is of the expanded tree.
struct ConfigReader {
    /// The largest YAML document read (topology and reference files): 4 MiB.
    static let maxDocumentBytes = 4 * 1024 * 1024
    /// The most nodes a document may expand to (the default topology has about 3,000).
    static let maxNodes = 250_000
    /// The deepest nesting read.
    static let maxDepth = 64

    let source: SourceText
    /// Values for `${VAR}`; `nil` turns substitution off (reference data).
    let environment: [String: String]?
    private(set) var findings: [TopologyFinding] = []
    /// Nodes converted so far, and whether a bound was hit (reported once).
    private var nodes = 0
    private var depth = 0
    private var exceeded = false

    /// The finding for a document over ``maxDocumentBytes``, if `byteCount` is.
    static func sizeFinding(byteCount: Int, file: String) -> TopologyFinding? {
        guard byteCount > maxDocumentBytes else { return nil }
        return TopologyFinding(
            .syntax, at: SourceLocation(file: file, line: 1, column: 1),
            "the file is \(byteCount) bytes; YAML documents are limited to \(maxDocumentBytes) bytes (4 MiB) — keep "
                + "large master data in CSV files or table topics")
    }

    /// Parses `text`; returns `nil` (with a `syntax` or `duplicateName` finding) when it is not valid YAML.
    static func read(
        text: String,
        file: String,
        environment: [String: String]?
    ) -> (root: ConfigNode?, source: SourceText, findings: [TopologyFinding]) {
        if let finding = sizeFinding(byteCount: text.utf8.count, file: file) {
            return (nil, SourceText(file: file, text: ""), [finding])
        }
        var reader = ConfigReader(source: SourceText(file: file, text: text), environment: environment)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            reader.findings.append(reader.finding(for: error))
            return (nil, reader.source, reader.findings)
        } catch {
            reader.findings.append(
                TopologyFinding(.syntax, at: reader.source.location(line: 1, column: 1), "cannot parse YAML: \(error)"))
            return (nil, reader.source, reader.findings)
        }
        guard let node else { return (nil, reader.source, reader.findings) }
        let root = reader.convert(node)
        return (root, reader.source, reader.findings)
    }

    private mutating func convert(_ node: Node) -> ConfigNode {
        nodes += 1
        guard nodes <= Self.maxNodes, depth < Self.maxDepth else {
            if !exceeded {
                exceeded = true
                let why =
                    depth >= Self.maxDepth
                    ? "nests deeper than \(Self.maxDepth) levels"
                    : "expands to more than \(Self.maxNodes) nodes (YAML aliases repeating this node?)"
                findings.append(
                    TopologyFinding(.syntax, at: location(node.mark), "the document \(why); not read further"))
            }
            return .scalar(ConfigScalar(text: "", decoded: "", style: .plain, location: location(node.mark)))
        }
        depth += 1
        defer { depth -= 1 }
        switch node {
        case .scalar(let scalar):
            return .scalar(convertScalar(scalar, substitute: true))
        case .mapping(let mapping):
            var entries: [ConfigMapping.Entry] = []
            var merged: [ConfigMapping.Entry] = []
            for (key, value) in mapping {
                let keyScalar: ConfigScalar
                if case .scalar(let scalar) = key {
                    keyScalar = convertScalar(scalar, substitute: false)
                } else {
                    findings.append(
                        TopologyFinding(
                            .invalidOption, at: location(key.mark),
                            "a mapping key must be a plain name, not a list or mapping"))
                    continue
                }
                if keyScalar.text == "<<" && keyScalar.style == .plain {
                    // YAML merge key: entries of the referenced mapping(s) unless written explicitly.
                    let sources = value.sequence.map { Array($0) } ?? [value]
                    for source in sources {
                        if case .mapping(let mapping) = convert(source) { merged.append(contentsOf: mapping.entries) }
                    }
                    continue
                }
                entries.append(ConfigMapping.Entry(key: keyScalar, value: convert(value)))
            }
            for entry in merged where !entries.contains(where: { $0.key.text == entry.key.text }) {
                entries.append(entry)
            }
            return .mapping(ConfigMapping(entries: entries, location: location(mapping.mark)))
        case .sequence(let sequence):
            return .sequence(ConfigSequence(items: sequence.map { convert($0) }, location: location(sequence.mark)))
        case .alias(let alias):
            findings.append(
                TopologyFinding(
                    .syntax, at: location(alias.mark), "unresolved YAML alias; define the anchor before using it"))
            return .scalar(
                ConfigScalar(text: "", decoded: "", style: .plain, location: location(alias.mark)))
        }
    }

    private mutating func convertScalar(_ scalar: Node.Scalar, substitute: Bool) -> ConfigScalar {
        let style: ConfigScalar.Style
        switch scalar.style {
        case .singleQuoted: style = .singleQuoted
        case .doubleQuoted: style = .doubleQuoted
        case .literal: style = .literal
        case .folded: style = .folded
        case .plain, .any: style = .plain
        }
        var result = ConfigScalar(
            text: scalar.string, decoded: scalar.string, style: style, location: location(scalar.mark))
        guard substitute, let environment else { return result }
        let (text, problems) = EnvironmentSubstitution.apply(to: scalar.string, environment: environment)
        result.text = text
        result.substitutionFailed = !problems.isEmpty
        for problem in problems {
            let at = source.location(in: result, offset: problem.offset)
            switch problem.kind {
            case .missing(let name):
                findings.append(
                    TopologyFinding(
                        .missingEnvironmentVariable, at: at,
                        "environment variable \(name) is not set; set it or write ${\(name):-default}"))
            case .malformed(let message):
                findings.append(TopologyFinding(.invalidOption, at: at, message))
            }
        }
        return result
    }

    private func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return source.location(line: 1, column: 1) }
        return source.location(line: mark.line, column: mark.column)
    }

    private func finding(for error: YamlError) -> TopologyFinding {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return TopologyFinding(.syntax, at: location(mark), message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            if let second = secondOccurrence(of: key, after: first) {
                return TopologyFinding(
                    .duplicateName, at: second,
                    "duplicate key '\(key)' (first written at line \(first.line)); each key may appear once")
            }
            return TopologyFinding(
                .duplicateName, at: location(first),
                "duplicate key '\(duplicates.joined(separator: "', '"))' in this mapping; each key may appear once")
        case .reader(let problem, let offset, _, _):
            return TopologyFinding(
                .syntax, at: source.location(ofScalarOffset: offset ?? 0), "cannot read the file: \(problem)")
        default:
            return TopologyFinding(.syntax, at: source.location(line: 1, column: 1), "invalid YAML: \(error)")
        }
    }

    /// The repeated key of a block mapping: the next line at the same indentation starting with `key:`.
    private func secondOccurrence(of key: String, after mark: Mark) -> SourceLocation? {
        let indent = mark.column - 1
        guard mark.line <= source.lines.count else { return nil }
        var lineNumber = mark.line + 1
        while lineNumber <= source.lines.count {
            let line = source.line(lineNumber)
            let leading = line.prefix { $0 == " " }.count
            let rest = String(String.UnicodeScalarView(line.dropFirst(leading)))
            if rest.isEmpty || rest.hasPrefix("#") {
                lineNumber += 1
                continue
            }
            if leading < indent { return nil }
            if leading == indent {
                for candidate in [key + ":", "\"\(key)\":", "'\(key)':"] where rest.hasPrefix(candidate) {
                    return source.location(line: lineNumber, column: indent + 1)
                }
                if rest.hasPrefix("- ") { return nil }
            }
            lineNumber += 1
        }
        return nil
    }
}
