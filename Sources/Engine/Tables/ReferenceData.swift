import Foundation
import JSON
import Topology
import Yams

/// The rows of file-backed global tables, read from the reference directory (off the hot path).
///
/// `.csv` files have a header row (every cell is a string; empty cells are absent), `.yaml`/`.yml`
/// and `.json` files hold a list of objects. In YAML, only plain scalars in JSON number syntax
/// become numbers, so ids such as `0010` stay strings.
public struct ReferenceData: Sendable {
    /// Rows per table name.
    public var rows: [String: [JSONValue]]
    /// The file each table was read from (for messages).
    public var files: [String: String]

    /// Creates reference data from rows held in memory (tests).
    public init(rows: [String: [JSONValue]] = [:]) {
        self.rows = rows
        files = [:]
    }

    /// Reads every file-backed table of `topology` from `directory`.
    /// - Throws: ``EngineError/Code/invalidReferenceData`` with the file and the problem.
    public static func load(topology: Topology, directory: String) throws(EngineError) -> ReferenceData {
        var data = ReferenceData()
        for table in topology.tables {
            guard case .file(let file) = table.origin else { continue }
            let path = file.hasPrefix("/") ? file : directory + "/" + file
            data.rows[table.name] = try readRows(path: path)
            data.files[table.name] = path
        }
        return data
    }

    /// Reads the rows of one reference file.
    /// - Throws: ``EngineError/Code/invalidReferenceData``.
    public static func readRows(path: String) throws(EngineError) -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError(.invalidReferenceData, "\(path): cannot read file")
        }
        let bytes = [UInt8](data)
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return try parseCSV(bytes, path: path) }
        if lower.hasSuffix(".json") {
            do {
                let value = try JSONValue(parsing: bytes)
                guard case .array(let rows) = value else {
                    throw EngineError(.invalidReferenceData, "\(path): expected a JSON array of objects")
                }
                return rows
            } catch let error as EngineError {
                throw error
            } catch {
                throw EngineError(.invalidReferenceData, "\(path): \(error)")
            }
        }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return try parseYAML(String(decoding: bytes, as: UTF8.self), path: path)
        }
        throw EngineError(.invalidReferenceData, "\(path): unsupported file type (expected .csv, .yaml or .json)")
    }

    /// Parses RFC 4180 CSV with a header row into objects of strings.
    /// - Throws: ``EngineError/Code/invalidReferenceData``.
    public static func parseCSV(_ bytes: [UInt8], path: String) throws(EngineError) -> [JSONValue] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var index = 0
        var inQuotes = false
        var line = 1
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == 0x22 {
                    if index + 1 < bytes.count && bytes[index + 1] == 0x22 {
                        field.append(0x22)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case 0x22 where field.isEmpty: inQuotes = true
                case 0x2C: endField()
                case 0x0D: break
                case 0x0A:
                    endField()
                    if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                    record = []
                    line += 1
                default: field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes { throw EngineError(.invalidReferenceData, "\(path):\(line): unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty {
            endField()
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
        }
        guard let header = records.first else { return [] }
        var rows: [JSONValue] = []
        for (number, cells) in records.dropFirst().enumerated() {
            guard cells.count == header.count else {
                throw EngineError(
                    .invalidReferenceData,
                    "\(path): row \(number + 2) has \(cells.count) cells, the header has \(header.count)")
            }
            var members: [JSONObject.Member] = []
            for (column, cell) in zip(header, cells) where !cell.isEmpty {
                members.append(JSONObject.Member(key: column, value: .string(cell)))
            }
            rows.append(.object(JSONObject(members)))
        }
        return rows
    }

    /// Parses a YAML list of objects.
    /// - Throws: ``EngineError/Code/invalidReferenceData``.
    public static func parseYAML(_ text: String, path: String) throws(EngineError) -> [JSONValue] {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw EngineError(.invalidReferenceData, "\(path): \(error)")
        }
        guard let node else { return [] }
        guard case .sequence(let sequence) = node else {
            throw EngineError(.invalidReferenceData, "\(path): expected a list of objects")
        }
        return sequence.map(jsonValue)
    }

    static func jsonValue(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            let text = scalar.string
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default:
                if let number = JSONNumber(text: text) { return .number(number) }
                return .string(text)
            }
        case .mapping(let mapping):
            return .object(
                JSONObject(mapping.map { JSONObject.Member(key: $0.key.string ?? "", value: jsonValue($0.value)) }))
        case .sequence(let sequence):
            return .array(sequence.map(jsonValue))
        case .alias:
            return .null
        }
    }
}
