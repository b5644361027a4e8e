import Foundation
import Schemas
import Topology

/// Paths and fixtures shared by the Topology tests.
enum TestSupport {
    /// The package root (three levels above this file).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ relative: String) -> String { packageRoot + "/" + relative }

    static let defaultTopologyPath = path("topology.yaml")

    static let defaultTopologyText: String = {
        (try? String(contentsOfFile: defaultTopologyPath, encoding: .utf8)) ?? ""
    }()

    /// Schema ids of the repository's registry a topology may name (every subject but shared definitions).
    static let schemaIDs: Set<String> = {
        guard let registry = try? SchemaRegistry.load(directory: path("schemas")) else { return [] }
        var ids: Set<String> = []
        for subject in registry.subjects where subject.definition.kind != .definitions {
            for version in subject.versions { ids.insert(version.id.description) }
        }
        return ids
    }()

    /// The shapes of the repository's schemas.
    static let recordShapes: [String: FieldShape] = {
        (try? SchemaRegistry.load(directory: path("schemas")))?.fieldShapes ?? [:]
    }()

    /// A loader with an empty environment (defaults of `${VAR:-x}` apply) and the repository's schemas.
    static func loader(environment: [String: String] = [:]) -> TopologyLoader {
        TopologyLoader(environment: environment, knownSchemaIDs: schemaIDs, recordShapes: recordShapes)
    }

    /// Writes `files` (relative path → text) under a new temporary directory and returns it.
    static func temporaryDirectory(_ files: [String: String]) throws -> String {
        let directory = NSTemporaryDirectory() + "plantstream-topology-tests-" + UUID().uuidString
        for (name, text) in files {
            let path = directory + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return directory
    }

    /// 1-based line and column of the first occurrence of `marker` in `text`.
    static func position(of marker: String, in text: String) -> (line: Int, column: Int)? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: marker) {
                return (index + 1, line.unicodeScalars.distance(from: line.startIndex, to: range.lowerBound) + 1)
            }
        }
        return nil
    }
}
