import ArgumentParser
import Foundation
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
        let schemasPath = directory.isEmpty ? schemasName : (directory as NSString).appendingPathComponent(schemasName)
        let schemas = SchemaDirectoryScan(path: schemasPath)
        for problem in schemas.problems {
            findings.append(problem)
            errorCount += 1
        }

        let result = TopologyLoader(knownSchemaIDs: schemas.ids).lint(contentsOf: topology)
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
            printError("\(errorCount) error\(errorCount == 1 ? "" : "s"), \(warningCount) warning\(warningCount == 1 ? "" : "s")")
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

/// The schema ids of a registry directory (`<type>/v<N>.json`), until the Schemas module's registry is wired in.
struct SchemaDirectoryScan {
    var ids: Set<String> = []
    var problems: [String] = []

    init(path: String) {
        let manager = FileManager.default
        guard let types = try? manager.contentsOfDirectory(atPath: path) else {
            problems.append("\(path):1:1: error: cannot read the schema registry directory")
            return
        }
        for type in types.sorted() {
            let folder = (path as NSString).appendingPathComponent(type)
            guard let files = try? manager.contentsOfDirectory(atPath: folder) else { continue }
            for file in files where file.hasPrefix("v") && file.hasSuffix(".json") {
                let number = file.dropFirst().dropLast(5)
                if let version = Int(number), version >= 1 { ids.insert("\(type)/v\(version)") }
            }
        }
    }
}
