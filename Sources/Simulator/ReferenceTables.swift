import Foundation
import JSON
import Yams

/// The rows of the reference files the simulator reads, as text cells (CSV cells as written; YAML and JSON
/// scalars as their text). Small on purpose: the Topology module's reference reader can replace it.
struct ReferenceTables: Sendable {
    /// One row: column name → text. Absent, empty and null cells are missing.
    typealias Row = [String: String]

    /// Rows per logical table name (`equipment_master`, …).
    var tables: [String: [Row]] = [:]
    /// The file each table was read from.
    var files: [String: String] = [:]

    /// Rows of a table (empty when it was not loaded).
    func rows(_ name: String) -> [Row] { tables[name] ?? [] }

    /// Reads one file.
    /// - Throws: ``SimulatorError/Code/invalidReferenceData``.
    static func read(path: String) throws(SimulatorError) -> [Row] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimulatorError(.invalidReferenceData, "\(path): cannot read the file")
        }
        let text = String(decoding: data, as: UTF8.self)
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return try parseCSV(text, path: path) }
        if lower.hasSuffix(".json") {
            guard let value = try? JSONValue(parsing: Array(data)), case .array(let items) = value else {
                throw SimulatorError(.invalidReferenceData, "\(path): expected a JSON array of objects")
            }
            return items.compactMap { item in
                guard case .object(let object) = item else { return nil }
                var row: Row = [:]
                for member in object {
                    if let text = Self.text(member.value) { row[member.key] = text }
                }
                return row
            }
        }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            let node: Yams.Node?
            do {
                node = try Yams.compose(yaml: text)
            } catch {
                throw SimulatorError(.invalidReferenceData, "\(path): \(error)")
            }
            guard let sequence = node?.sequence else {
                throw SimulatorError(.invalidReferenceData, "\(path): expected a list of objects")
            }
            return sequence.compactMap { item in
                guard let mapping = item.mapping else { return nil }
                var row: Row = [:]
                for (key, value) in mapping {
                    guard let name = key.scalar?.string else { continue }
                    if let scalar = value.scalar {
                        if !scalar.string.isEmpty && scalar.string != "null" && scalar.string != "~" {
                            row[name] = scalar.string
                        }
                    } else if let list = value.sequence {
                        row[name] = Self.flowText(list)
                    }
                }
                return row
            }
        }
        throw SimulatorError(.invalidReferenceData, "\(path): unsupported file type (expected .csv, .yaml or .json)")
    }

    /// A list of mappings as `from=…;to=…|from=…;to=…` (enough for `openPeriods` and `shifts`).
    private static func flowText(_ list: Yams.Node.Sequence) -> String {
        list.compactMap { element -> String? in
            if let scalar = element.scalar { return scalar.string }
            guard let mapping = element.mapping else { return nil }
            return mapping.compactMap { key, value -> String? in
                guard let name = key.scalar?.string, let text = value.scalar?.string else { return nil }
                return name + "=" + text
            }.joined(separator: ";")
        }.joined(separator: "|")
    }

    /// Splits a value written by `flowText` back into mappings.
    static func entries(_ text: String?) -> [[String: String]] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "|").map { entry in
            var fields: [String: String] = [:]
            for pair in entry.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            return fields
        }
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text.isEmpty ? nil : text
        case .number(let number): number.description
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// RFC 4180 CSV with a header row; lines starting with `#` are comments.
    static func parseCSV(_ text: String, path: String) throws(SimulatorError) -> [Row] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var atLineStart = true
        var inComment = false
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if inComment {
                if character == "\n" || character == "\r\n" {
                    inComment = false
                    atLineStart = true
                }
                continue
            }
            if inQuotes {
                if character != "\"" {
                    field.append(character)
                } else if index < characters.count && characters[index] == "\"" {
                    field.append("\"")
                    index += 1
                } else {
                    inQuotes = false
                }
                continue
            }
            switch character {
            case "#" where atLineStart:
                inComment = true
            case "\"" where field.isEmpty:
                inQuotes = true
                atLineStart = false
            case ",":
                record.append(field)
                field = ""
                atLineStart = false
            case "\n", "\r\n", "\r":
                if !(record.isEmpty && field.isEmpty) {
                    record.append(field)
                    records.append(record)
                }
                record = []
                field = ""
                atLineStart = true
            default:
                field.append(character)
                atLineStart = false
            }
        }
        if inQuotes { throw SimulatorError(.invalidReferenceData, "\(path): unterminated quoted field") }
        if !(record.isEmpty && field.isEmpty) {
            record.append(field)
            records.append(record)
        }
        guard let header = records.first else { return [] }
        var rows: [Row] = []
        for (number, cells) in records.dropFirst().enumerated() {
            guard cells.count == header.count else {
                throw SimulatorError(
                    .invalidReferenceData,
                    "\(path): data row \(number + 1) has \(cells.count) cells, the header has \(header.count)")
            }
            var row: Row = [:]
            for (column, cell) in zip(header, cells) where !cell.isEmpty { row[column] = cell }
            rows.append(row)
        }
        return rows
    }
}
