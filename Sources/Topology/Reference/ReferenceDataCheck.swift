import Foundation

/// The reference-data part of `plantstream check`: every file table exists and parses, keys are present
/// and unique, effective-dated rows are sorted per key, the plant calendar and unit table are well-formed,
/// and the columns pipelines read (`alias.column`, `lookup(table, 'column', ...)`) exist.
public struct ReferenceDataCheck: Sendable {
    /// The topology (its file tables and the directory they are in).
    public var topology: Topology

    public init(topology: Topology) {
        self.topology = topology
    }

    /// The reference directory as findings show it: relative to the topology file's directory.
    public var referenceDirectory: String {
        let directory = (topology.file as NSString).deletingLastPathComponent
        return directory.isEmpty || topology.referenceDirectory.hasPrefix("/")
            ? topology.referenceDirectory : (directory as NSString).appendingPathComponent(topology.referenceDirectory)
    }

    /// The path of a table's file.
    public func path(of table: Table) -> String? {
        guard case .file(let file) = table.origin else { return nil }
        return (referenceDirectory as NSString).appendingPathComponent(file)
    }

    /// Reads the file of `table`.
    /// - Throws: `TopologyError` `.unreadableFile` with the findings when it cannot be read or parsed.
    public func read(_ table: Table) throws(TopologyError) -> ReferenceTableFile {
        guard let path = path(of: table) else {
            throw TopologyError(code: .unreadableFile, message: "table '\(table.name)' is not read from a file")
        }
        let (file, findings) = ReferenceTableFile.read(path: path)
        guard let file, !findings.contains(where: { $0.severity == .error }) else {
            throw TopologyError(
                code: .unreadableFile, message: "cannot load table '\(table.name)' from \(path)", findings: findings)
        }
        return file
    }

    /// Runs every check; returns the findings sorted by position.
    public func run() -> [TopologyFinding] {
        var findings: [TopologyFinding] = []
        var files: [String: ReferenceTableFile] = [:]
        for table in topology.tables {
            guard let path = path(of: table) else { continue }
            if case .file(let file) = table.origin, !ReferencePath.resolve(file, in: referenceDirectory).isInside {
                findings.append(
                    TopologyFinding(
                        .invalidOption, at: table.location,
                        ReferencePath.outsideMessage(table: table.name, file: file, directory: referenceDirectory)))
                continue
            }
            if !FileManager.default.fileExists(atPath: path) {
                findings.append(
                    TopologyFinding(
                        .missingFile, at: table.location,
                        "table '\(table.name)': file \(path) does not exist"))
                continue
            }
            let (file, fileFindings) = ReferenceTableFile.read(path: path)
            findings += fileFindings
            guard let file else { continue }
            files[table.name] = file
            findings += checkKeys(table, file)
        }
        if let binding = topology.plantCalendar, let file = files[binding.table] {
            findings += checkCalendar(file, binding: binding)
        }
        if let binding = topology.units, let file = files[binding.table] {
            findings += checkUnits(file)
        }
        findings += checkColumns(files)
        return TopologyFinding.sorted(findings)
    }

    private func checkKeys(_ table: Table, _ file: ReferenceTableFile) -> [TopologyFinding] {
        var findings: [TopologyFinding] = []
        for column in table.key + [table.validFrom].compactMap({ $0 }) where !file.columns.contains(column) {
            findings.append(
                TopologyFinding(
                    .invalidRow, at: file.headerLocation,
                    "table '\(table.name)' is keyed by column '\(column)', which the file does not have; columns: "
                        + file.columns.joined(separator: ", ")))
        }
        if !findings.isEmpty { return findings }
        var lastByKey: [[String]: (validFrom: String?, line: Int)] = [:]
        for row in file.rows {
            var key: [String] = []
            for column in table.key {
                guard let text = row.keyText(column), !text.isEmpty else {
                    findings.append(
                        TopologyFinding(.invalidRow, at: row.location, "row has no value for key column '\(column)'"))
                    break
                }
                key.append(text)
            }
            guard key.count == table.key.count else { continue }
            let shown = "(" + key.joined(separator: ", ") + ")"
            guard let validFromColumn = table.validFrom else {
                if let first = lastByKey[key] {
                    findings.append(
                        TopologyFinding(
                            .duplicateKey, at: row.location,
                            "duplicate key \(shown) in table '\(table.name)' (first at line \(first.line))"))
                } else {
                    lastByKey[key] = (nil, row.location.line)
                }
                continue
            }
            guard let validFrom = row.keyText(validFromColumn), Self.isDateOrTimestamp(validFrom) else {
                findings.append(
                    TopologyFinding(
                        .invalidRow, at: row.location,
                        "row \(shown) needs \(validFromColumn) as a date (2025-01-31) or RFC 3339 timestamp"))
                continue
            }
            if let previous = lastByKey[key], let previousFrom = previous.validFrom {
                if previousFrom == validFrom {
                    findings.append(
                        TopologyFinding(
                            .duplicateKey, at: row.location,
                            "duplicate key \(shown) valid from \(validFrom) in table '\(table.name)' (first at line "
                                + "\(previous.line))"))
                    continue
                }
                if previousFrom > validFrom {
                    findings.append(
                        TopologyFinding(
                            .unsortedRows, at: row.location,
                            "rows of key \(shown) must be in ascending \(validFromColumn) order: \(validFrom) comes "
                                + "after \(previousFrom) (line \(previous.line))"))
                    continue
                }
            }
            lastByKey[key] = (validFrom, row.location.line)
        }
        return findings
    }

    private func checkCalendar(_ file: ReferenceTableFile, binding: PlantCalendarBinding) -> [TopologyFinding] {
        var findings: [TopologyFinding] = []
        var plants: Set<String> = []
        for row in file.rows {
            if let plant = row.keyText("plantId") { plants.insert(plant) }
            guard let zone = row.values["timeZone"]?.stringValue, TimeZone(identifier: zone) != nil else {
                findings.append(
                    TopologyFinding(
                        .invalidRow, at: row.location,
                        "timeZone must be an IANA time zone such as Europe/Berlin; found "
                            + (row.values["timeZone"].map { "\($0)" } ?? "nothing")))
                continue
            }
            guard let periods = row.values["openPeriods"]?.arrayValue, !periods.isEmpty else {
                findings.append(
                    TopologyFinding(
                        .invalidRow, at: row.location, "openPeriods must be a non-empty list of {from, to} dates"))
                continue
            }
            for period in periods {
                guard let from = period["from"]?.stringValue, let to = period["to"]?.stringValue,
                    Self.isDate(from), Self.isDate(to), from <= to
                else {
                    findings.append(
                        TopologyFinding(
                            .invalidRow, at: row.location,
                            "open period \(period) must be {from: YYYY-MM-DD, to: YYYY-MM-DD} with from ≤ to"))
                    continue
                }
            }
        }
        for region in topology.regions {
            for plant in region.plants where !plants.contains(plant) {
                findings.append(
                    TopologyFinding(
                        .missingField, at: region.location,
                        "plant \(plant) of region '\(region.name)' has no row in table '\(binding.table)' (time zone, "
                            + "open periods)"))
            }
        }
        return findings
    }

    private func checkUnits(_ file: ReferenceTableFile) -> [TopologyFinding] {
        var findings: [TopologyFinding] = []
        for row in file.rows {
            for column in ["numerator", "denominator"] {
                guard let text = row.keyText(column), let value = Double(text), value > 0 else {
                    findings.append(
                        TopologyFinding(.invalidRow, at: row.location, "\(column) must be a positive number"))
                    continue
                }
            }
            if row.keyText("baseUom")?.isEmpty ?? true {
                findings.append(TopologyFinding(.invalidRow, at: row.location, "baseUom is missing"))
            }
        }
        return findings
    }

    /// `alias.column` after an enrich of a file table, and `lookup('table', 'column', ...)` of a file table,
    /// must name a column of that file.
    private func checkColumns(_ files: [String: ReferenceTableFile]) -> [TopologyFinding] {
        var findings: [TopologyFinding] = []
        func check(_ column: String, of table: String, at location: SourceLocation) {
            guard let file = files[table], !file.columns.contains(column) else { return }
            findings.append(
                TopologyFinding(
                    .unknownName, at: location,
                    "table '\(table)' has no column '\(column)'\(Suggestion.hint(for: column, in: file.columns)); "
                        + "columns: \(file.columns.joined(separator: ", "))"))
        }
        for pipeline in topology.pipelines {
            var aliases: [String: String] = [:]
            for step in pipeline.steps {
                for expression in step.expressions.flatMap(\.allSubexpressions) {
                    switch expression {
                    case .path(let path, let location):
                        if let table = aliases[path.root], path.segments.count > 1,
                            case .member(let column) = path.segments[1]
                        {
                            check(column, of: table, at: location)
                        }
                    case .call("lookup", let arguments, _) where arguments.count >= 2:
                        if case .literal(.string(let table), _) = arguments[0],
                            case .literal(.string(let column), let location) = arguments[1]
                        {
                            check(column, of: table, at: location)
                        }
                    default:
                        break
                    }
                }
                switch step.kind {
                case .enrich(let enrich):
                    aliases[enrich.alias] = enrich.table
                case .window, .map:
                    aliases = [:]
                default:
                    break
                }
            }
        }
        return findings
    }

    static func isDate(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 10, scalars[4] == "-", scalars[7] == "-" else { return false }
        return scalars.enumerated().allSatisfy {
            $0.offset == 4 || $0.offset == 7 || ExpressionLexer.isDigit($0.element)
        }
    }

    static func isDateOrTimestamp(_ text: String) -> Bool {
        guard text.count >= 10, isDate(String(text.prefix(10))) else { return false }
        if text.count == 10 { return true }
        return ISO8601DateFormatter().date(from: text) != nil
            || {
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                return formatter.date(from: text) != nil
            }()
    }
}
