import Foundation
import JSON

/// One row of a reference table: a JSON object and where it was written.
public struct ReferenceRow: Sendable, Hashable {
    /// The row. CSV cells are strings (an empty cell is left out); YAML/JSON values keep their types.
    public var values: JSONObject
    /// Where the row starts (CSV line, or the row's mapping in YAML/JSON).
    public var location: SourceLocation

    public init(values: JSONObject, location: SourceLocation) {
        self.values = values
        self.location = location
    }

    /// The text of column `name` as key parts are compared: strings as is, numbers and booleans as written;
    /// `nil` when absent, null, or an array/object.
    public func keyText(_ name: String) -> String? {
        switch values[name] {
        case .string(let text): text
        case .number(let number): number.description
        case .bool(let value): value ? "true" : "false"
        default: nil
        }
    }
}

/// The rows of one reference file (`.csv` with a header row, or `.yaml`/`.yml`/`.json` list of objects).
public struct ReferenceTableFile: Sendable {
    /// The path as given.
    public var path: String
    /// Column names: the CSV header, or every member name used by a YAML/JSON row, in first-seen order.
    public var columns: [String]
    public var rows: [ReferenceRow]
    /// Where the header (CSV) or the list (YAML/JSON) starts.
    public var headerLocation: SourceLocation

    public init(path: String, columns: [String], rows: [ReferenceRow], headerLocation: SourceLocation? = nil) {
        self.path = path
        self.columns = columns
        self.rows = rows
        self.headerLocation = headerLocation ?? SourceLocation(file: path, line: 1, column: 1)
    }

    /// Reads a file; problems (unreadable, not parseable, rows that are not objects) are findings.
    /// - Parameters:
    ///   - path: The file to read.
    ///   - displayPath: The name findings carry (default `path`).
    public static func read(path: String, displayPath: String? = nil) -> (
        file: ReferenceTableFile?, findings: [TopologyFinding]
    ) {
        let name = displayPath ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            return (
                nil,
                [
                    TopologyFinding(
                        .missingFile, at: SourceLocation(file: name, line: 1, column: 1), "cannot read the file")
                ]
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (
                nil,
                [TopologyFinding(.syntax, at: SourceLocation(file: name, line: 1, column: 1), "the file is not UTF-8")]
            )
        }
        return parse(text: text, path: name)
    }

    /// Parses file text; the format follows the extension of `path`.
    public static func parse(text: String, path: String) -> (file: ReferenceTableFile?, findings: [TopologyFinding]) {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".csv") { return parseCSV(text: text, path: path) }
        if lowered.hasSuffix(".json") {
            do {
                _ = try JSONValue(parsing: text)
            } catch {
                let location = SourceLocation(file: path, line: max(error.line, 1), column: max(error.column, 1))
                return (nil, [TopologyFinding(.syntax, at: location, "invalid JSON: \(error.message)")])
            }
        }
        return parseTree(text: text, path: path)
    }

    private static func parseTree(text: String, path: String) -> (
        file: ReferenceTableFile?, findings: [TopologyFinding]
    ) {
        let (root, _, readFindings) = ConfigReader.read(text: text, file: path, environment: nil)
        var findings = readFindings
        guard let root else {
            if findings.isEmpty {
                return (ReferenceTableFile(path: path, columns: [], rows: []), [])
            }
            return (nil, findings)
        }
        guard let sequence = root.sequence else {
            findings.append(
                TopologyFinding(
                    .syntax, at: root.location,
                    "a reference file must be a list of rows (objects); found \(root.kindDescription)"))
            return (nil, findings)
        }
        var rows: [ReferenceRow] = []
        var columns: [String] = []
        for item in sequence.items {
            guard case .object(let object) = jsonValue(item) else {
                findings.append(
                    TopologyFinding(
                        .invalidRow, at: item.location, "a row must be an object; found \(item.kindDescription)"))
                continue
            }
            for key in object.keys where !columns.contains(key) { columns.append(key) }
            rows.append(ReferenceRow(values: object, location: item.location))
        }
        return (
            ReferenceTableFile(path: path, columns: columns, rows: rows, headerLocation: sequence.location), findings
        )
    }

    /// A YAML/JSON node as a JSON value: quoted scalars are strings; plain scalars are null, booleans,
    /// numbers (exactly as written) or strings.
    static func jsonValue(_ node: ConfigNode) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.text) }
            if scalar.isNull { return .null }
            if scalar.text == "true" { return .bool(true) }
            if scalar.text == "false" { return .bool(false) }
            if let first = scalar.text.unicodeScalars.first, first == "-" || ExpressionLexer.isDigit(first),
                let number = JSONNumber(text: scalar.text)
            {
                return .number(number)
            }
            return .string(scalar.text)
        case .sequence(let sequence):
            return .array(sequence.items.map(jsonValue))
        case .mapping(let mapping):
            return .object(
                JSONObject(mapping.entries.map { JSONObject.Member(key: $0.key.text, value: jsonValue($0.value)) }))
        }
    }

    private static func parseCSV(text: String, path: String) -> (file: ReferenceTableFile?, findings: [TopologyFinding])
    {
        let records: [CSVRecord]
        do {
            records = try CSVParser.parse(text)
        } catch {
            return (
                nil,
                [
                    TopologyFinding(
                        .syntax, at: SourceLocation(file: path, line: error.line, column: error.column), error.message)
                ]
            )
        }
        let meaningful = records.filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
        guard let header = meaningful.first else {
            return (
                nil,
                [
                    TopologyFinding(
                        .syntax, at: SourceLocation(file: path, line: 1, column: 1), "the CSV file has no header row")
                ]
            )
        }
        var findings: [TopologyFinding] = []
        var seen: Set<String> = []
        for (index, column) in header.fields.enumerated() {
            let location = SourceLocation(file: path, line: header.line, column: header.columns[index])
            if column.isEmpty {
                findings.append(TopologyFinding(.syntax, at: location, "column \(index + 1) of the header has no name"))
            } else if !seen.insert(column).inserted {
                findings.append(
                    TopologyFinding(.duplicateName, at: location, "column '\(column)' appears twice in the header"))
            }
        }
        if !findings.isEmpty { return (nil, findings) }
        var rows: [ReferenceRow] = []
        for record in meaningful.dropFirst() {
            let location = SourceLocation(file: path, line: record.line, column: 1)
            guard record.fields.count == header.fields.count else {
                findings.append(
                    TopologyFinding(
                        .invalidRow, at: location,
                        "row has \(record.fields.count) fields; the header has \(header.fields.count)"))
                continue
            }
            var members: [JSONObject.Member] = []
            for (column, value) in zip(header.fields, record.fields) where !value.isEmpty {
                members.append(JSONObject.Member(key: column, value: .string(value)))
            }
            rows.append(ReferenceRow(values: JSONObject(members), location: location))
        }
        return (
            ReferenceTableFile(
                path: path, columns: header.fields, rows: rows,
                headerLocation: SourceLocation(file: path, line: header.line, column: 1)),
            findings
        )
    }
}
