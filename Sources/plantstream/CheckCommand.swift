import ArgumentParser
import Foundation
import Schemas
import Topology

/// `plantstream check [--topology F]`: lints the topology, checks the schema registry and the reference data.
/// Every finding is printed on its own line as `file:line:column: error: message`; exit 1 when there are errors,
/// else 0 and a one-line summary.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check topology.yaml, schemas/ and reference/: every mistake as file:line:column."
    )

    @Option(name: .long, help: "The topology file.")
    var topology = "topology.yaml"

    func run() throws {
        var findings: [String] = []
        var errorCount = 0
        var warningCount = 0
        func add(_ finding: TopologyFinding) {
            findings.append(finding.description)
            if finding.severity == .error { errorCount += 1 } else { warningCount += 1 }
        }

        let directory = (topology as NSString).deletingLastPathComponent
        // The schemas directory is named in the topology; read it first without schema checks.
        let firstPass = TopologyLoader(knownSchemaIDs: nil).lint(contentsOf: topology)
        let schemasName = firstPass.topology?.schemasDirectory ?? "schemas"
        let schemasPath =
            directory.isEmpty || schemasName.hasPrefix("/")
            ? schemasName : (directory as NSString).appendingPathComponent(schemasName)
        // A topology that cannot be read or parsed names no registry: report only that.
        let schemas = firstPass.topology == nil ? SchemaCatalogSummary() : SchemaCatalogSummary(directory: schemasPath)
        for problem in schemas.findings {
            findings.append(problem)
            errorCount += 1
        }

        // Without a registry every schema would be unknown: skip those checks (the folder is reported above).
        let result = TopologyLoader(
            knownSchemaIDs: schemas.ids.isEmpty ? nil : schemas.ids, recordShapes: schemas.shapes
        ).lint(contentsOf: topology)
        result.findings.forEach(add)
        var referenceSummary = ""
        if let loaded = result.topology, result.errors.isEmpty {
            let check = ReferenceDataCheck(topology: loaded)
            check.run().forEach(add)
            let rows = loaded.tables.compactMap { try? check.read($0).rows.count }.reduce(0, +)
            referenceSummary = ", \(rows) reference rows"
        }

        for line in findings { print(line) }
        guard errorCount == 0 else {
            printError(
                "\(errorCount) error\(errorCount == 1 ? "" : "s"), \(warningCount) warning\(warningCount == 1 ? "" : "s")"
            )
            throw ExitCode(1)
        }
        let loaded = result.topology
        print(
            "\(topology): ok — \(loaded?.regions.count ?? 0) regions, \(loaded?.sources.count ?? 0) sources, "
                + "\(loaded?.pipelines.count ?? 0) pipelines, \(loaded?.tables.count ?? 0) tables, "
                + "\(loaded?.outputs.count ?? 0) outputs; \(schemas.ids.count) schemas\(referenceSummary)"
                + (warningCount > 0 ? "; \(warningCount) warning\(warningCount == 1 ? "" : "s")" : ""))
    }

    private func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// What `plantstream check` needs from the schema registry: the `schemas check` findings and the ids a
/// topology may name (event, transaction and analytics subjects; not shared definitions).
struct SchemaCatalogSummary {
    var ids: Set<String> = []
    /// The shape of each schema (when the registry loads), for the type-aware lint.
    var shapes: [String: FieldShape] = [:]
    var findings: [String] = []

    /// Nothing checked.
    init() {}

    init(directory: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            findings.append("\(directory):1:1: error: the schema registry folder does not exist")
            return
        }
        findings = CatalogCheck.report(directory: directory).findings.map {
            "\($0.location): error: \($0.rule): \($0.message)"
        }
        if let registry = try? SchemaRegistry.load(directory: directory) {
            for subject in registry.subjects where subject.definition.kind != .definitions {
                for version in subject.versions { ids.insert(version.id.description) }
            }
            shapes = registry.fieldShapes
        } else {
            // The registry has errors (reported above); still lint schema ids against the files there are.
            let manager = FileManager.default
            for type in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] {
                let folder = (directory as NSString).appendingPathComponent(type)
                for file in (try? manager.contentsOfDirectory(atPath: folder)) ?? []
                where file.hasPrefix("v") && file.hasSuffix(".json") {
                    if let version = Int(file.dropFirst().dropLast(5)), version >= 1 {
                        ids.insert("\(type)/v\(version)")
                    }
                }
            }
        }
    }
}
