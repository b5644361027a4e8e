import JSON
import Yams

extension SubjectDefinition {
    /// Parses `subject.yaml` text.
    /// - Parameters:
    ///   - yaml: The file contents.
    ///   - file: The path used in error messages.
    /// - Returns: The subject definition.
    /// - Throws: ``SchemasError`` with code `invalidYAML` or `invalidSubject`, its `file` being
    ///   `path:line:column` of the problem.
    public static func parse(yaml: String, file: String) throws(SchemasError) -> SubjectDefinition {
        let parser = SubjectParser(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw parser.syntaxError(error)
        } catch {
            throw SchemasError(code: .invalidYAML, file: file, message: "\(error)")
        }
        guard let root, let mapping = root.mapping else {
            throw parser.error(at: root, "expected a mapping with subject, kind, description, owner")
        }
        return try parser.subject(mapping, root)
    }
}

/// Builds a ``SubjectDefinition`` from a YAML node tree, reporting `file:line:column` errors.
private struct SubjectParser {
    let file: String

    static let keys = ["subject", "kind", "description", "owner", "compatibility", "upcast"]

    func error(at node: Node?, _ message: String) -> SchemasError {
        let mark = node?.mark
        return SchemasError(
            code: .invalidSubject, file: "\(file):\(mark?.line ?? 1):\(mark?.column ?? 1)", message: message)
    }

    func syntaxError(_ error: YamlError) -> SchemasError {
        let (mark, problem): (Mark?, String)
        switch error {
        case .scanner(_, let text, let position, _), .parser(_, let text, let position, _),
            .composer(_, let text, let position, _):
            (mark, problem) = (position, text)
        case .duplicatedKeysInMapping(let duplicates, let context):
            (mark, problem) = (context.mark, "duplicate keys \(duplicates.joined(separator: ", "))")
        default:
            (mark, problem) = (nil, "\(error)")
        }
        return SchemasError(
            code: .invalidYAML, file: "\(file):\(mark?.line ?? 1):\(mark?.column ?? 1)",
            message: "invalid YAML: \(problem)")
    }

    private func text(_ node: Node, _ what: String) throws(SchemasError) -> String {
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            throw error(at: node, "expected \(what) (a non-empty string)")
        }
        return scalar.string
    }

    private func integer(_ node: Node, _ what: String) throws(SchemasError) -> Int {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any,
            let value = Int(scalar.string), value >= 1
        else { throw error(at: node, "expected \(what) (an integer ≥ 1)") }
        return value
    }

    func subject(_ mapping: Node.Mapping, _ root: Node) throws(SchemasError) -> SubjectDefinition {
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string, Self.keys.contains(name) else {
                throw error(
                    at: key,
                    "unknown key \"\(key.scalar?.string ?? "?")\"; expected one of \(Self.keys.joined(separator: ", "))"
                )
            }
            values[name] = value
        }
        for required in ["subject", "kind", "description", "owner"] where values[required] == nil {
            throw error(at: root, "missing key \"\(required)\"")
        }
        let name = try text(values["subject"]!, "subject")
        let kindText = try text(values["kind"]!, "kind")
        guard let kind = SubjectDefinition.Kind(rawValue: kindText) else {
            throw error(
                at: values["kind"],
                "unknown kind \"\(kindText)\"; expected one of "
                    + SubjectDefinition.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var compatibility = CompatibilityMode.default
        if let node = values["compatibility"] {
            let modeText = try text(node, "compatibility")
            guard let mode = CompatibilityMode(rawValue: modeText) else {
                throw error(
                    at: node,
                    "unknown compatibility \"\(modeText)\"; expected one of "
                        + CompatibilityMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            compatibility = mode
        }
        var steps: [Upcaster.Step] = []
        var locations: [[SubjectDefinition.RuleLocation]] = []
        if let node = values["upcast"] {
            guard kind != .definitions else { throw error(at: node, "a definitions subject has no upcast rules") }
            guard let sequence = node.sequence else {
                throw error(at: node, "expected a list of steps {from, to, rules}")
            }
            for stepNode in sequence {
                let (step, stepLocations) = try self.step(stepNode)
                if steps.contains(where: { $0.from == step.from }) {
                    throw error(at: stepNode, "a second step from version \(step.from)")
                }
                steps.append(step)
                locations.append(stepLocations)
            }
        }
        let order = steps.indices.sorted { steps[$0].from < steps[$1].from }
        return SubjectDefinition(
            name: name, kind: kind, description: try text(values["description"]!, "description"),
            owner: try text(values["owner"]!, "owner"), compatibility: compatibility,
            upcastSteps: order.map { steps[$0] }, ruleLocations: order.map { locations[$0] })
    }

    private func step(_ node: Node) throws(SchemasError) -> (Upcaster.Step, [SubjectDefinition.RuleLocation]) {
        guard let mapping = node.mapping else { throw error(at: node, "expected a step {from, to, rules}") }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string, ["from", "to", "rules"].contains(name) else {
                throw error(at: key, "unknown key \"\(key.scalar?.string ?? "?")\"; expected from, to, rules")
            }
            values[name] = value
        }
        guard let fromNode = values["from"] else { throw error(at: node, "missing key \"from\"") }
        let from = try integer(fromNode, "from")
        if let toNode = values["to"] {
            let to = try integer(toNode, "to")
            guard to == from + 1 else {
                throw error(at: toNode, "a step goes from v\(from) to v\(from + 1), not v\(to)")
            }
        }
        guard let rulesNode = values["rules"], let sequence = rulesNode.sequence else {
            throw error(at: values["rules"] ?? node, "expected rules: a list of add/rename/remove")
        }
        var rules: [UpcastRule] = []
        var locations: [SubjectDefinition.RuleLocation] = []
        for ruleNode in sequence {
            rules.append(try rule(ruleNode))
            locations.append(
                SubjectDefinition.RuleLocation(line: ruleNode.mark?.line ?? 1, column: ruleNode.mark?.column ?? 1))
        }
        return (Upcaster.Step(from: from, rules: rules), locations)
    }

    private func path(_ node: Node) throws(SchemasError) -> UpcastPath {
        let textValue = try text(node, "a JSON pointer")
        guard let path = UpcastPath(textValue) else {
            throw error(at: node, "\"\(textValue)\" is not a JSON pointer such as /data/reworkCount")
        }
        guard path.lastMember != nil else { throw error(at: node, "a rule path must end with a member name, not *") }
        return path
    }

    private func rule(_ node: Node) throws(SchemasError) -> UpcastRule {
        guard let mapping = node.mapping else { throw error(at: node, "expected add, rename or remove") }
        var values: [String: Node] = [:]
        var keyNodes: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string, ["add", "default", "rename", "to", "remove"].contains(name) else {
                throw error(
                    at: key, "unknown key \"\(key.scalar?.string ?? "?")\"; expected add+default, rename+to or remove")
            }
            values[name] = value
            keyNodes[name] = key
        }
        let operations = ["add", "rename", "remove"].filter { values[$0] != nil }
        guard operations.count == 1 else { throw error(at: node, "a rule has exactly one of add, rename, remove") }
        switch operations[0] {
        case "add":
            guard let defaultNode = values["default"], values["to"] == nil else {
                throw error(at: node, "add needs default (and no to)")
            }
            return .add(try path(values["add"]!), default: try json(defaultNode))
        case "rename":
            guard let toNode = values["to"], values["default"] == nil else {
                throw error(at: node, "rename needs to (and no default)")
            }
            let from = try path(values["rename"]!)
            let to = try path(toNode)
            guard from.wildcardCount == to.wildcardCount else {
                throw error(at: toNode, "rename source and destination need the same number of * tokens")
            }
            return .rename(from, to: to)
        default:
            guard values.count == 1 else { throw error(at: node, "remove takes no other keys") }
            return .remove(try path(values["remove"]!))
        }
    }

    /// A YAML value as JSON: plain scalars `null`/`~`, `true`/`false` and JSON numbers keep their
    /// type; everything else (and every quoted scalar) is a string.
    func json(_ node: Node) throws(SchemasError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            let textValue = scalar.string
            guard scalar.style == .plain || scalar.style == .any else { return .string(textValue) }
            switch textValue {
            case "null", "~", "": return .null
            case "true": return .bool(true)
            case "false": return .bool(false)
            default:
                if let number = JSONNumber(text: textValue) { return .number(number) }
                return .string(textValue)
            }
        case .mapping(let mapping):
            var members: [JSONObject.Member] = []
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { throw error(at: key, "expected a string key") }
                members.append(JSONObject.Member(key: name, value: try json(value)))
            }
            return .object(JSONObject(members))
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for element in sequence { elements.append(try json(element)) }
            return .array(elements)
        case .alias:
            throw error(at: node, "aliases are not supported in subject.yaml")
        }
    }
}
