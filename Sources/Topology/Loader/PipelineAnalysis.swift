import Schemas

/// Lint state while walking one pipeline's steps in order: which names a path may start with at each
/// point, the source's partitioning key, and what the steps need from the pipeline.
struct PipelineAnalysis {
    /// The names a record path may start with at one point of a pipeline.
    struct Scope {
        /// `nil` when they cannot be known (after a custom step).
        var roots: Set<String>?
        /// "the event", "the window result", ... for messages.
        var description: String
        /// What the record's schema says about its fields (`nil`: only roots are checked).
        var shape: FieldShape?
        /// Enrichment and explode aliases (their fields are not the record's).
        var aliases: Set<String> = []
    }

    /// Top-level fields of a canonical event (domain.md §2.2).
    static let eventFields: Set<String> = [
        "specVersion", "eventId", "type", "schemaVersion", "source", "sourceEventId", "sourceSeq", "occurredAt",
        "ingestedAt", "plantId", "equipment", "subject", "correlationId", "causationId", "isCorrection",
        "reversalOfEventId", "data",
    ]

    let topology: Topology
    let pipelineName: String
    let source: Source?
    private(set) var scope = Scope(roots: PipelineAnalysis.eventFields, description: "the event")
    private(set) var findings: [TopologyFinding] = []
    /// Whether a step replaced the record (map, window, normalize, custom step): it is no longer the one received.
    private(set) var recordReplaced = false
    /// The catalogue schema a `normalize` made the record an event of.
    private(set) var normalizedTo: String?
    /// Where the window step is, once seen.
    var windowLocation: SourceLocation?
    /// Steps that write exception records: (step name, location).
    var exceptionWriters: [(String, SourceLocation)] = []

    /// The shape of each output schema by id (from the registry; empty without one).
    let schemaShape: (String) -> FieldShape?
    /// The dotted names the last `map` wrote, or the window result's names (`nil`: the record as received).
    private(set) var writtenNames: [String]?

    init(
        topology: Topology, pipelineName: String, source: Source?, recordShape: FieldShape? = nil,
        types: [String] = [], schemaShape: @escaping (String) -> FieldShape? = { _ in nil }
    ) {
        self.topology = topology
        self.pipelineName = pipelineName
        self.source = source
        self.schemaShape = schemaShape
        let typeList = types.joined(separator: ", ")
        if source?.isForeign == true {
            // A foreign record has its producer's own fields: known from its schema, not from the topology.
            scope = Scope(
                roots: nil, description: types.isEmpty ? "the record" : "the record (\(typeList))",
                shape: recordShape)
        } else if let recordShape {
            scope = Scope(
                roots: PipelineAnalysis.eventFields, description: "the event (\(typeList))", shape: recordShape)
        }
    }

    mutating func report(
        _ kind: TopologyFinding.Kind,
        at location: SourceLocation,
        _ message: String,
        severity: TopologyFinding.Severity = .error
    ) {
        findings.append(TopologyFinding(kind, at: location, severity: severity, message))
    }

    /// Reports every path whose root is not in scope.
    mutating func check(_ expression: Expression) {
        switch expression {
        case .literal:
            return
        case .path(let path, let location):
            if let roots = scope.roots, !roots.contains(path.root) {
                report(
                    .unknownName, at: location,
                    "unknown name '\(path.root)'\(Suggestion.hint(for: path.root, in: roots)): here the record is "
                        + "\(scope.description) with fields \(roots.sorted().joined(separator: ", "))")
                return
            }
            checkFields(path, at: location)
        case .call(let name, let arguments, _):
            // lookup's table and column are names, not paths.
            for (index, argument) in arguments.enumerated() where !(name == "lookup" && index < 2) {
                check(argument)
            }
        case .unary(_, let operand, _):
            check(operand)
        case .binary(let op, let left, let right, _):
            check(left)
            check(right)
            if [.add, .subtract, .multiply, .divide].contains(op) {
                checkNumeric(left, what: "'\(op.rawValue)'")
                checkNumeric(right, what: "'\(op.rawValue)'")
            }
        }
    }

    mutating func check(_ expressions: [Expression]) {
        for expression in expressions { check(expression) }
    }

    /// Every field of the source's partitioning key must be a part of `key`, so all state of one key
    /// stays in one partition.
    mutating func checkPartitionKey(_ key: [Expression], at location: SourceLocation, what: String) {
        guard let source else { return }
        let paths = Set(
            key.compactMap {
                if case .path(let path, _) = $0 { return path }
                return nil
            })
        var fields = source.key
        // A Sparkplug B source keyed by the MQTT topic has one partition (lint): what must be in a key is its node.
        if source.envelope == .sparkplugB, fields.map(\.description) == ["topic"] {
            fields = [FieldPath(segments: [.member("group")]), FieldPath(segments: [.member("edgeNode")])]
        }
        for field in fields where !paths.contains(field) {
            report(
                .partitionKeyMismatch, at: location,
                "\(what) does not contain '\(field)', a field of the partitioning key of source '\(source.name)' "
                    + "[\(source.key.map(\.description).joined(separator: ", "))]; state of one key would be "
                    + "spread over partitions")
        }
    }

    /// Makes `name` a root for later steps (enrich and explode aliases).
    mutating func define(alias name: String, at location: SourceLocation) {
        scope.aliases.insert(name)
        guard var roots = scope.roots else { return }
        if roots.contains(name) {
            report(
                .duplicateName, at: location,
                "alias '\(name)' is already a field of \(scope.description); choose another name")
            return
        }
        roots.insert(name)
        scope.roots = roots
    }

    /// The record is replaced (by a window result or a mapped record) by one with these fields (dotted names
    /// build objects) of these shapes.
    mutating func replaceScope(with fields: [(name: String, shape: FieldShape)], description: String) {
        var roots: [String] = []
        for field in fields {
            let root = String(field.name.prefix { $0 != "." && $0 != "[" })
            if !roots.contains(root) { roots.append(root) }
        }
        let known = scope.shape != nil
        scope = Scope(
            roots: Set(roots), description: description,
            shape: known ? FieldShape.written(fields.map(Self.withoutElements)) : nil)
        writtenNames = fields.map(\.name)
        recordReplaced = true
    }

    /// After `normalize`: the record is a catalogue event of `step.to`. Its fields must be members of that schema,
    /// and together with the envelope it writes they must cover what the schema requires.
    mutating func normalize(to step: NormalizeStep, at location: SourceLocation) {
        let target = schemaShape(step.to)
        if let target {
            for field in step.fields {
                guard let path = Self.path(ofFieldName: field.name),
                    case .failure(let miss) = target.resolve(path)
                else { continue }
                var name = field.name
                if case .member(let member) = path.segments[miss.segment] { name = member }
                let known = miss.parent.memberNames
                report(
                    .unknownRecordField, at: field.expression.location,
                    "\(step.to) has no field '\(field.name)'\(Suggestion.hint(for: name, in: known))"
                        + (known.isEmpty ? "" : ": there it has " + known.joined(separator: ", ")))
            }
            var written = step.fields.map { (name: $0.name, shape: FieldShape.any) }
            for name in NormalizeStep.envelopeDefaults where !written.contains(where: { $0.name == name }) {
                written.append((name, .any))
            }
            var missing: [String] = []
            Self.collectMissing(
                target, FieldShape.written(written.map(Self.withoutElements)), path: "", generated: [], into: &missing)
            if !missing.isEmpty {
                report(
                    .unsatisfiableOutput, at: location,
                    "\(step.to) requires \(missing.map { "'\($0)'" }.joined(separator: ", ")), which normalize does "
                        + "not write: every record would be a dead letter (SCHEMA_VIOLATION); add them to fields")
            }
        }
        scope = Scope(
            roots: PipelineAnalysis.eventFields, description: "the normalized event (\(step.to))", shape: target)
        writtenNames = nil
        recordReplaced = true
        normalizedTo = step.to
    }

    /// A field written into array elements (`data.lines[0].qty`) as the array it writes (`data.lines`), of any
    /// shape: the array is there, its elements are not followed.
    static func withoutElements(_ field: (name: String, shape: FieldShape)) -> (name: String, shape: FieldShape) {
        guard field.name.contains("[") else { return field }
        return (String(field.name.prefix { $0 != "[" }), .any)
    }

    /// After a custom step nothing is known about the record.
    mutating func forgetNames() {
        scope = Scope(roots: nil, description: "unknown")
        writtenNames = nil
        recordReplaced = true
    }

    mutating func requireCalendar(at location: SourceLocation, for what: String) {
        guard topology.plantCalendar == nil else { return }
        report(
            .missingField, at: location,
            "\(what) needs plant time zones: add plantCalendar: { table: <table keyed by plantId> }")
    }

    mutating func requireExceptions(step: String, at location: SourceLocation) {
        exceptionWriters.append((step, location))
    }

    /// Whether `name` is a field of the current record (true when unknown).
    func has(_ name: String) -> Bool { scope.roots?.contains(name) ?? true }
}
