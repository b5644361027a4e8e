import JSON
import Timekeeping
import Topology

/// A global table, fully loaded on every instance: rows keyed by their key columns joined with `|`,
/// optionally effective-dated (several versions per key, each valid from its `validFrom`).
///
/// Rows come from reference files (``ReferenceData``) and, for topic-fed tables, from compacted
/// topic records. Lookups borrow the key bytes and allocate nothing.
///
/// - Important: Not thread-safe; owned by the engine's processing thread.
package final class GlobalTable {
    /// One version of a row.
    package struct Row {
        /// First instant (UTC ms) the row is valid; `Int64.min` when not effective-dated.
        package var validFrom: Int64
        /// The row as a JSON object.
        package var document: OwnedDocument
    }

    /// The table name in the topology.
    package let name: String
    /// Key columns.
    package let keyColumns: [String]
    /// The effective-date column, if any.
    package let validFromColumn: String?
    /// The compacted topic feeding the table, if any.
    package let topic: String?
    private(set) var rows = ByteKeyMap<[Row]>()
    /// Bumped on every change (tests, caches).
    package private(set) var version = 0

    /// Creates an empty table for a topology entry.
    package init(_ table: Table) {
        name = table.name
        keyColumns = table.key
        validFromColumn = table.validFrom
        if case .topic(let topic) = table.origin { self.topic = topic } else { topic = nil }
    }

    /// The number of keys.
    package var count: Int { rows.count }

    /// The row valid at `instant` for `key` (key columns joined with `|`), or `nil`.
    package func lookup(_ key: UnsafeRawBufferPointer, at instant: Int64) -> OwnedDocument? {
        guard let index = rows.index(of: key) else { return nil }
        let versions = rows[index]
        if versions.count == 1 { return versions[0].validFrom <= instant ? versions[0].document : nil }
        var result: OwnedDocument?
        for version in versions where version.validFrom <= instant { result = version.document }
        return result
    }

    /// The row for `key` given as a string (tests, off the hot path).
    package func lookup(_ key: String, at instant: Int64 = Int64.max) -> OwnedDocument? {
        Array(key.utf8).withUnsafeBytes { lookup($0, at: instant) }
    }

    /// Adds a row from a reference file (its key is read from the key columns).
    /// - Throws: ``EngineError/Code/invalidReferenceData`` when a key column or the date is missing.
    package func add(row value: JSONValue, at location: String) throws(EngineError) {
        let document = try Self.document(for: value, at: location)
        let key = try keyBytes(of: document.root, at: location)
        var validFrom = Int64.min
        if let column = validFromColumn {
            guard let cell = document.root[column], let instant = Self.instant(of: cell) else {
                throw EngineError(
                    .invalidReferenceData, "\(location): table \(name): column \(column) is not a date or timestamp")
            }
            validFrom = instant
        }
        let row = Row(validFrom: validFrom, document: document)
        if let index = rows.index(of: key) {
            guard validFromColumn != nil else {
                throw EngineError(
                    .invalidReferenceData,
                    "\(location): table \(name): duplicate key \(String(decoding: key, as: UTF8.self))")
            }
            rows[index].append(row)
            rows[index].sort { $0.validFrom < $1.validFrom }
        } else {
            rows.insert(key, value: [row])
        }
        version += 1
    }

    /// Applies a compacted-topic record: a JSON object replaces the key's row, `nil` deletes it.
    ///
    /// - Returns: `false` when the value is not a JSON object (the record is ignored).
    @discardableResult
    package func apply(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) -> Bool {
        guard let value else {
            if let index = rows.index(of: key) { rows.remove(at: index) }
            version += 1
            return true
        }
        guard let document = try? OwnedDocument(copying: value), document.root.kind == .object else { return false }
        var validFrom = Int64.min
        if let column = validFromColumn, let cell = document.root[column], let instant = Self.instant(of: cell) {
            validFrom = instant
        }
        let row = Row(validFrom: validFrom, document: document)
        if let index = rows.index(of: key) {
            rows[index] = [row]
        } else {
            rows.insert(key, value: [row])
        }
        version += 1
        return true
    }

    /// The key (key columns joined with `|`) of a row object.
    func keyBytes(of row: JSONNode, at location: String) throws(EngineError) -> [UInt8] {
        var key: [UInt8] = []
        for (position, column) in keyColumns.enumerated() {
            guard let cell = row[column], !cell.isNull else {
                throw EngineError(.invalidReferenceData, "\(location): table \(name): key column \(column) is missing")
            }
            if position > 0 { key.append(0x7C) }
            Value.node(cell).appendText(to: &key)
        }
        return key
    }

    static func document(for value: JSONValue, at location: String) throws(EngineError) -> OwnedDocument {
        guard case .object = value else {
            throw EngineError(.invalidReferenceData, "\(location): a table row must be an object")
        }
        var writer = JSONWriter()
        writer.value(value)
        do { return try OwnedDocument.parse(writer.bytes) } catch {
            throw EngineError(.invalidReferenceData, "\(location): \(error)")
        }
    }

    /// A date (`YYYY-MM-DD`, UTC midnight) or RFC 3339 timestamp cell as epoch milliseconds.
    static func instant(of cell: JSONNode) -> Int64? {
        cell.withUnescapedBytes { bytes -> Int64? in
            if let days = RFC3339.parseDate(bytes) { return days * CivilTime.dayMs }
            return RFC3339.parse(bytes)
        } ?? nil
    }

    /// Every live row, in no particular order (tests, calendars).
    package var allRows: [Row] {
        rows.indexes.flatMap { rows[$0] }
    }
}
