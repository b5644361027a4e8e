import JSON
import Topology

/// The rows of the reference files the simulator reads, as text cells: strings as written, numbers and
/// booleans as their text, lists of objects (`openPeriods`, `shifts`) as `k=v;k=v|k=v;…` (see ``entries(_:)``).
/// Files are read with the Topology module's reference reader.
struct ReferenceTables: Sendable {
    /// One row: column name → text. Absent, empty and null cells are missing.
    typealias Row = [String: String]

    /// Rows per logical table name (`equipment_master`, …).
    var tables: [String: [Row]] = [:]
    /// The file each table was read from.
    var files: [String: String] = [:]

    /// Rows of a table (empty when it was not loaded).
    func rows(_ name: String) -> [Row] { tables[name] ?? [] }

    /// Reads one file (`.csv`, `.yaml`/`.yml` or `.json`).
    /// - Throws: ``SimulatorError/Code/invalidReferenceData`` with the reader's first error.
    static func read(path: String) throws(SimulatorError) -> [Row] {
        let (file, findings) = ReferenceTableFile.read(path: path)
        if let error = findings.first(where: { $0.severity == .error }) {
            throw SimulatorError(.invalidReferenceData, "\(error)")
        }
        guard let file else { throw SimulatorError(.invalidReferenceData, "\(path): cannot read the file") }
        return file.rows.map { row in
            var cells: Row = [:]
            for member in row.values {
                if let text = text(member.value) { cells[member.key] = text }
            }
            return cells
        }
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text.isEmpty ? nil : text
        case .number(let number): number.description
        case .bool(let flag): flag ? "true" : "false"
        case .null, .object: nil
        case .array(let items):
            items.compactMap { item -> String? in
                guard case .object(let object) = item else { return text(item) }
                return object.compactMap { member in text(member.value).map { member.key + "=" + $0 } }
                    .joined(separator: ";")
            }.joined(separator: "|")
        }
    }

    /// Splits a list of objects written as `k=v;k=v|k=v;…` back into mappings.
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
}
