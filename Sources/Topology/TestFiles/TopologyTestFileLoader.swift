import Foundation
import JSON

/// Reads `tests/*.yaml` files into ``TopologyTestFile``s, reporting every mistake with its line and column: unknown
/// or missing fields, and sources, outputs and tables the topology does not declare.
///
/// ```yaml
/// region: eu-central
/// start: 2026-04-14T08:00:00Z
/// tests:
///   - name: a report posts a confirmation when its window closes
///     steps:
///       - send: { source: production, key: "DE01|1000121", value: { type: operation.reported, … } }
///       - advance: 20m
///       - expect: { output: erp, records: [ { value: { txnType: production_confirmation } } ] }
///       - expect: { deadLetters: [SCHEMA_VIOLATION] }
/// ```
public struct TopologyTestFileLoader: Sendable {
    /// The topology the tests run on (names are checked against it).
    public let topology: Topology

    public init(topology: Topology) {
        self.topology = topology
    }

    /// Reads and checks a test file.
    public func load(contentsOf path: String) -> (file: TopologyTestFile?, findings: [TopologyFinding]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (
                nil,
                [TopologyFinding(.syntax, at: SourceLocation(file: path, line: 1, column: 1), "cannot read \(path)")]
            )
        }
        return load(text: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Reads and checks test-file text.
    public func load(text: String, file: String) -> (file: TopologyTestFile?, findings: [TopologyFinding]) {
        let read = ConfigReader.read(text: text, file: file, environment: nil)
        var reader = Reader(topology: topology, findings: read.findings)
        guard let root = read.root else { return (nil, reader.findings) }
        let parsed = reader.file(root, path: file)
        return (reader.findings.contains { $0.severity == .error } ? nil : parsed, reader.findings)
    }
}

/// The conversion of one file, collecting findings.
private struct Reader {
    let topology: Topology
    var findings: [TopologyFinding]

    mutating func report(_ kind: TopologyFinding.Kind, at location: SourceLocation, _ message: String) {
        findings.append(TopologyFinding(kind, at: location, message))
    }

    /// The mapping's entries, reporting keys not in `known` (with a suggestion) and missing `required` ones.
    mutating func entries(
        _ node: ConfigNode, _ what: String, known: [String], required: [String] = []
    ) -> ConfigMapping? {
        guard let mapping = node.mapping else {
            report(.invalidOption, at: node.location, "\(what) must be a mapping, found \(node.kindDescription)")
            return nil
        }
        for entry in mapping.entries where !known.contains(entry.key.text) {
            let hint = Suggestion.closest(to: entry.key.text, in: known).map { "; did you mean '\($0)'?" } ?? ""
            report(
                .unknownField, at: entry.key.location,
                "unknown field '\(entry.key.text)' in \(what)\(hint) (expected: \(known.joined(separator: ", ")))")
        }
        for name in required where mapping[name] == nil {
            report(.missingField, at: mapping.location, "\(what) needs '\(name)'")
        }
        return mapping
    }

    mutating func text(_ node: ConfigNode?, _ what: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar, !scalar.isNull else {
            report(.invalidOption, at: node.location, "\(what) must be a scalar, found \(node.kindDescription)")
            return nil
        }
        return scalar.text
    }

    mutating func file(_ root: ConfigNode, path: String) -> TopologyTestFile? {
        guard
            let mapping = entries(
                root, "a test file", known: ["region", "start", "tables", "tests"], required: ["tests"])
        else { return nil }
        let region = text(mapping["region"], "region")
        if let region, let node = mapping["region"], !topology.regions.contains(where: { $0.name == region }) {
            report(
                .unknownRegion, at: node.location,
                "region '\(region)' is not in the topology (regions: \(topology.regions.map(\.name).joined(separator: ", ")))"
            )
        }
        let start = mapping["start"].flatMap { node in
            text(node, "start").map { TestText(text: $0, location: node.location) }
        }
        var tables: [String: [JSONValue]] = [:]
        if let node = mapping["tables"], let tableMapping = entries(node, "tables", known: topology.tables.map(\.name))
        {
            for entry in tableMapping.entries where topology.table(named: entry.key.text) != nil {
                guard let rows = entry.value.sequence else {
                    report(.invalidOption, at: entry.value.location, "table \(entry.key.text) must be a list of rows")
                    continue
                }
                tables[entry.key.text] = rows.items.map(ReferenceTableFile.jsonValue)
            }
        }
        var tests: [TopologyTestCase] = []
        if let node = mapping["tests"] {
            guard let list = node.sequence, !list.items.isEmpty else {
                report(.invalidOption, at: node.location, "tests must be a non-empty list")
                return nil
            }
            var names: Set<String> = []
            for item in list.items {
                guard let test = testCase(item) else { continue }
                if !names.insert(test.name).inserted {
                    report(.duplicateName, at: test.location, "a second test named '\(test.name)'")
                }
                tests.append(test)
            }
        }
        return TopologyTestFile(path: path, region: region, start: start, tables: tables, tests: tests)
    }

    mutating func testCase(_ node: ConfigNode) -> TopologyTestCase? {
        guard let mapping = entries(node, "a test", known: ["name", "steps"], required: ["name", "steps"]),
            let name = text(mapping["name"], "name"), let stepsNode = mapping["steps"]
        else { return nil }
        guard let list = stepsNode.sequence, !list.items.isEmpty else {
            report(.invalidOption, at: stepsNode.location, "steps must be a non-empty list")
            return nil
        }
        var steps: [TopologyTestStep] = []
        for item in list.items {
            guard let step = entries(item, "a step", known: ["send", "advance", "expect"]),
                let entry = step.entries.first
            else { continue }
            guard step.entries.count == 1 else {
                report(.invalidOption, at: step.location, "a step is one of send, advance or expect")
                continue
            }
            switch entry.key.text {
            case "send": if let input = send(entry.value) { steps.append(.send(input)) }
            case "advance":
                guard let text = text(entry.value, "advance") else { continue }
                guard let duration = DurationValue(parsing: text), duration.milliseconds > 0 else {
                    report(.invalidOption, at: entry.value.location, "advance: expected a duration such as 30s or 15m")
                    continue
                }
                steps.append(.advance(duration, at: entry.value.location))
            case "expect": if let expectation = expect(entry.value) { steps.append(.expect(expectation)) }
            default: break
            }
        }
        return TopologyTestCase(name: name, location: mapping.location, steps: steps)
    }

    mutating func send(_ node: ConfigNode) -> TestInput? {
        guard
            let mapping = entries(
                node, "send",
                known: ["source", "key", "value", "text", "base64", "file", "headers", "timestamp", "partition"],
                required: ["source"]),
            let source = text(mapping["source"], "source")
        else { return nil }
        if topology.source(named: source) == nil, let node = mapping["source"] {
            let hint = Suggestion.closest(to: source, in: topology.sources.map(\.name)).map {
                "; did you mean '\($0)'?"
            }
            report(.unknownSource, at: node.location, "no source named '\(source)' in the topology\(hint ?? "")")
        }
        let values = ["value", "text", "base64", "file"].filter { mapping[$0] != nil }
        if values.count > 1 {
            report(
                .invalidOption, at: mapping.location,
                "send takes one of value, text, base64 or file, not \(values.joined(separator: " and "))")
        }
        var value = TestInput.Value.tombstone
        if let node = mapping["value"], !node.isNull {
            value = .json(ReferenceTableFile.jsonValue(node))
        } else if let text = text(mapping["text"], "text") {
            value = .text(text)
        } else if let node = mapping["base64"], let encoded = text(node, "base64") {
            guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else {
                report(.invalidOption, at: node.location, "base64: not valid base64")
                return nil
            }
            value = .bytes(Array(data))
        } else if let file = text(mapping["file"], "file") {
            value = .file(file)
        }
        var partition: Int32 = 0
        if let node = mapping["partition"] {
            guard let text = text(node, "partition"), let number = Int32(text), number >= 0 else {
                report(.invalidOption, at: node.location, "partition must be a number ≥ 0")
                return nil
            }
            partition = number
        }
        return TestInput(
            source: source, key: text(mapping["key"], "key"), value: value, headers: headers(mapping["headers"]),
            timestamp: mapping["timestamp"].flatMap { node in
                text(node, "timestamp").map { TestText(text: $0, location: node.location) }
            }, partition: partition, location: mapping.location)
    }

    mutating func headers(_ node: ConfigNode?) -> [TestHeader] {
        guard let node else { return [] }
        guard let mapping = node.mapping else {
            report(.invalidOption, at: node.location, "headers must be a mapping of name: value")
            return []
        }
        return mapping.entries.compactMap { entry in
            text(entry.value, "header \(entry.key.text)").map { TestHeader(name: entry.key.text, value: $0) }
        }
    }

    mutating func expect(_ node: ConfigNode) -> TestExpectation? {
        guard
            let mapping = entries(
                node, "expect", known: ["output", "records", "deadLetters", "exceptions", "match", "order"])
        else { return nil }
        let targets = ["output", "deadLetters", "exceptions"].filter { mapping[$0] != nil }
        guard targets.count == 1 else {
            report(
                .invalidOption, at: mapping.location,
                "expect takes one of output (with records), deadLetters or exceptions")
            return nil
        }
        let match = choice(mapping["match"], TestExpectation.Match.self, "match") ?? .subset
        let order = choice(mapping["order"], TestExpectation.Order.self, "order") ?? .inOrder
        let target: TestExpectation.Target
        let recordsNode: ConfigNode?
        switch targets[0] {
        case "output":
            guard let name = text(mapping["output"], "output") else { return nil }
            if topology.output(named: name) == nil, let node = mapping["output"] {
                let hint = Suggestion.closest(to: name, in: topology.outputs.map(\.name)).map {
                    "; did you mean '\($0)'?"
                }
                report(.unknownOutput, at: node.location, "no output named '\(name)' in the topology\(hint ?? "")")
            }
            target = .output(name)
            recordsNode = mapping["records"]
            if recordsNode == nil {
                report(.missingField, at: mapping.location, "expect with output needs records (may be [])")
            }
        case "deadLetters":
            target = .deadLetters
            recordsNode = mapping["deadLetters"]
        default:
            target = .exceptions
            recordsNode = mapping["exceptions"]
        }
        if case .output = target {
        } else if mapping["records"] != nil {
            report(
                .invalidOption, at: mapping.location,
                "records goes with output; list dead letters or exceptions under their own key")
        }
        var records: [ExpectedRecord] = []
        if let recordsNode {
            guard let list = recordsNode.sequence else {
                report(.invalidOption, at: recordsNode.location, "expected a list of records")
                return nil
            }
            for item in list.items {
                if let record = expectedRecord(item, target: target) { records.append(record) }
            }
        }
        return TestExpectation(target: target, match: match, order: order, records: records, location: mapping.location)
    }

    /// A record: `{ key, value, headers }`; a dead letter may be just its code (`SCHEMA_VIOLATION`) or say `code`
    /// and `path`; an exception just its kind (`PARKED`) or `kind` and `reason`.
    mutating func expectedRecord(_ node: ConfigNode, target: TestExpectation.Target) -> ExpectedRecord? {
        if let scalar = node.scalar {
            switch target {
            case .deadLetters:
                return ExpectedRecord(
                    key: nil, value: nil, headers: [TestHeader(name: "ps_error_code", value: scalar.text)],
                    location: node.location)
            case .exceptions:
                return ExpectedRecord(
                    key: nil, value: .object(JSONObject([.init(key: "exceptionKind", value: .string(scalar.text))])),
                    headers: [], location: node.location)
            case .output:
                report(.invalidOption, at: node.location, "an expected record is a mapping of key, value and headers")
                return nil
            }
        }
        var known = ["key", "value", "headers"]
        if target == .deadLetters { known += ["code", "path"] }
        if target == .exceptions { known += ["kind", "reason"] }
        guard let mapping = entries(node, "an expected record", known: known) else { return nil }
        var headers = self.headers(mapping["headers"])
        var value = mapping["value"].map(ReferenceTableFile.jsonValue)
        if let code = text(mapping["code"], "code") { headers.append(TestHeader(name: "ps_error_code", value: code)) }
        if let path = text(mapping["path"], "path") { headers.append(TestHeader(name: "ps_error_path", value: path)) }
        var members: [JSONObject.Member] = []
        if case .object(let object)? = value { members = object.members }
        if let kind = text(mapping["kind"], "kind") {
            members.append(.init(key: "exceptionKind", value: .string(kind)))
        }
        if let reason = text(mapping["reason"], "reason") {
            members.append(.init(key: "reasonCode", value: .string(reason)))
        }
        if mapping["kind"] != nil || mapping["reason"] != nil { value = .object(JSONObject(members)) }
        return ExpectedRecord(
            key: text(mapping["key"], "key"), value: value, headers: headers, location: mapping.location)
    }

    mutating func choice<C: RawRepresentable & CaseIterable>(_ node: ConfigNode?, _: C.Type, _ what: String) -> C?
    where C.RawValue == String {
        guard let node, let text = text(node, what) else { return nil }
        guard let value = C(rawValue: text) else {
            report(
                .invalidOption, at: node.location,
                "\(what) must be one of \(C.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
            return nil
        }
        return value
    }
}
