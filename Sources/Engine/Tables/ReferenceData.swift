import JSON
import Topology

/// The rows of file-backed global tables, read from the reference directory (off the hot path).
///
/// Files are read by Topology's ``Topology/ReferenceTableFile`` (`.csv` with a header row, `.yaml`/`.yml`
/// and `.json` lists of objects), so the engine and `plantstream check` agree on every row.
package struct ReferenceData: Sendable {
    /// Rows per table name.
    package var rows: [String: [JSONValue]]
    /// The file each table was read from (for messages).
    package var files: [String: String]

    /// Creates reference data from rows held in memory (tests).
    package init(rows: [String: [JSONValue]] = [:]) {
        self.rows = rows
        files = [:]
    }

    /// Reads every file-backed table of `topology` from `directory`.
    /// - Throws: ``EngineError/Code/invalidReferenceData`` with the file and the problem.
    package static func load(topology: Topology, directory: String) throws(EngineError) -> ReferenceData {
        var data = ReferenceData()
        for table in topology.tables {
            guard case .file(let file) = table.origin else { continue }
            let resolved = ReferencePath.resolve(file, in: directory)
            guard resolved.isInside else {
                throw EngineError(
                    .invalidReferenceData,
                    ReferencePath.outsideMessage(table: table.name, file: file, directory: directory),
                    at: table.location)
            }
            let path = resolved.path
            data.rows[table.name] = try readRows(path: path)
            data.files[table.name] = path
        }
        return data
    }

    /// Reads the rows of one reference file with the same reader `plantstream check` uses.
    /// - Throws: ``EngineError/Code/invalidReferenceData`` naming the file, line and column of the first problem.
    package static func readRows(path: String) throws(EngineError) -> [JSONValue] {
        let (file, findings) = ReferenceTableFile.read(path: path)
        if let problem = findings.first(where: { $0.severity == .error }) {
            throw EngineError(.invalidReferenceData, problem.description)
        }
        return file?.rows.map { .object($0.values) } ?? []
    }
}
