import Foundation
import Schemas

/// Loads `topology.yaml` into a `Topology` and lints it.
///
/// The loader never crashes on bad input: every problem is a `TopologyFinding` with its file, line and
/// column. `lint` returns findings and whatever could be built; `load` throws unless there are no errors.
public struct TopologyLoader: Sendable {
    /// Values for `${VAR}` substitution.
    public var environment: [String: String]
    /// Schema ids the registry has (`machine.cycle/v2`); `nil` skips the schema checks.
    public var knownSchemaIDs: Set<String>?
    /// The shape of each schema by id (``Schemas/SchemaRegistry/fieldShapes``); paths are checked against them.
    public var recordShapes: [String: FieldShape]
    /// Step specs: the built-in ones plus any custom steps.
    public var stepSpecs: [StepSpec]

    /// - Parameters:
    ///   - environment: Values for `${VAR}` (default: the process environment).
    ///   - knownSchemaIDs: Schema ids of the registry, or `nil` to skip schema checks.
    ///   - recordShapes: The shape of each schema by id: every path of every step is checked against the schema
    ///     of the record there (fields, types, outputs' required members). Empty: only path roots are checked.
    ///   - customSteps: Specs of user-registered steps (names must differ from the built-in ones).
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        knownSchemaIDs: Set<String>? = nil,
        recordShapes: [String: FieldShape] = [:],
        customSteps: [StepSpec] = []
    ) {
        self.environment = environment
        self.knownSchemaIDs = knownSchemaIDs
        self.recordShapes = recordShapes
        self.stepSpecs = StepSpec.builtIn + customSteps.filter { !StepSpec.builtInNames.contains($0.name) }
    }

    /// Lints YAML text; `file` is the name findings carry.
    public func lint(text: String, file: String) -> TopologyLintResult {
        let (root, source, yamlFindings) = ConfigReader.read(text: text, file: file, environment: environment)
        guard let root else {
            let findings =
                yamlFindings.isEmpty
                ? [
                    TopologyFinding(
                        .syntax, at: SourceLocation(file: file, line: 1, column: 1),
                        "the topology is empty; expected a mapping with application, regions, sources, outputs "
                            + "and pipelines")
                ] : yamlFindings
            return TopologyLintResult(topology: nil, findings: findings)
        }
        var builder = TopologyBuilder(
            source: source, knownSchemaIDs: knownSchemaIDs, recordShapes: recordShapes, stepSpecs: stepSpecs)
        let topology = builder.build(root: root)
        let findings = TopologyFinding.sorted(yamlFindings + builder.findings)
        return TopologyLintResult(topology: topology, findings: findings)
    }

    /// Lints the file at `path` (findings carry `path` as written).
    public func lint(contentsOf path: String) -> TopologyLintResult {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
            let finding = ConfigReader.sizeFinding(byteCount: size, file: path)
        {
            return TopologyLintResult(topology: nil, findings: [finding])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return TopologyLintResult(
                topology: nil,
                findings: [
                    TopologyFinding(
                        .missingFile, at: SourceLocation(file: path, line: 1, column: 1),
                        "cannot read the topology file (does it exist?)")
                ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return TopologyLintResult(
                topology: nil,
                findings: [
                    TopologyFinding(
                        .syntax, at: SourceLocation(file: path, line: 1, column: 1), "the file is not valid UTF-8")
                ])
        }
        return lint(text: text, file: path)
    }

    /// Loads the file at `path`.
    /// - Throws: `TopologyError` `.invalidTopology` with every finding when there is any error.
    public func load(contentsOf path: String) throws(TopologyError) -> Topology {
        try lint(contentsOf: path).topologyOrThrow()
    }

    /// Loads YAML text.
    /// - Throws: `TopologyError` `.invalidTopology` with every finding when there is any error.
    public func load(text: String, file: String) throws(TopologyError) -> Topology {
        try lint(text: text, file: file).topologyOrThrow()
    }
}

/// What `TopologyLoader.lint` found: the topology (when the file had the right shape) and every finding.
public struct TopologyLintResult: Sendable {
    /// The parts that were valid; complete only when `errors` is empty.
    public var topology: Topology?
    /// Errors and warnings, sorted by position.
    public var findings: [TopologyFinding]

    public init(topology: Topology?, findings: [TopologyFinding]) {
        self.topology = topology
        self.findings = findings
    }

    public var errors: [TopologyFinding] { findings.filter { $0.severity == .error } }
    public var warnings: [TopologyFinding] { findings.filter { $0.severity == .warning } }

    /// The topology when there are no errors.
    /// - Throws: `TopologyError` `.invalidTopology` with every finding.
    public func topologyOrThrow() throws(TopologyError) -> Topology {
        let errors = self.errors
        guard errors.isEmpty, let topology else {
            let count = max(errors.count, 1)
            throw TopologyError(
                code: .invalidTopology, message: "the topology has \(count) error\(count == 1 ? "" : "s")",
                findings: findings)
        }
        return topology
    }
}

extension Topology {
    /// The region `name`.
    /// - Throws: `TopologyError` `.unknownRegion` naming the regions there are.
    public func requireRegion(_ name: String) throws(TopologyError) -> Region {
        if let region = region(named: name) { return region }
        let names = regions.map(\.name)
        let hint = Suggestion.hint(for: name, in: names)
        throw TopologyError(
            code: .unknownRegion,
            message: "unknown region '\(name)'\(hint); \(file) declares: \(names.joined(separator: ", "))",
            findings: [])
    }
}

extension ConfigValue {
    /// The value: the literal, the environment variable, or the file's contents without trailing newline.
    /// - Parameters:
    ///   - key: The property name, for messages.
    ///   - environment: Where `{ env: NAME }` is looked up.
    /// - Throws: `TopologyError` `.unresolvedSecret` when the variable is unset or the file unreadable.
    public func resolve(
        key: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(TopologyError) -> String {
        switch self {
        case .literal(let value):
            return value
        case .environment(let name):
            guard let value = environment[name] else {
                throw TopologyError(
                    code: .unresolvedSecret, message: "\(key): environment variable \(name) is not set")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8)
            else {
                throw TopologyError(code: .unresolvedSecret, message: "\(key): cannot read the file \(path)")
            }
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return text
        }
    }
}
