import Schemas

/// Builds a `Topology` from a `ConfigNode` tree in three passes — parse every mapping against its spec,
/// build the typed values, lint the cross-references — collecting every finding on the way.
struct TopologyBuilder {
    let source: SourceText
    let knownSchemaIDs: Set<String>?
    let recordShapes: [String: FieldShape]
    let stepSpecs: [String: StepSpec]
    var findings: [TopologyFinding] = []
    /// Where each source's options were written (the source-level path checks report there).
    var sourceOptions: [String: ParsedOptions] = [:]

    init(
        source: SourceText, knownSchemaIDs: Set<String>?, recordShapes: [String: FieldShape], stepSpecs: [StepSpec]
    ) {
        self.source = source
        self.knownSchemaIDs = knownSchemaIDs
        self.recordShapes = recordShapes
        var specs: [String: StepSpec] = [:]
        for spec in stepSpecs where specs[spec.name] == nil { specs[spec.name] = spec }
        self.stepSpecs = specs
    }

    /// The shape of the newest version of `type` (nil without shapes, or for an unknown type).
    func latestShape(ofType type: String) -> FieldShape? {
        guard let known = knownSchemaIDs else { return nil }
        let newest = known.compactMap { SchemaID(parsing: $0) }.filter { $0.type == type }.map(\.version).max()
        return newest.flatMap { recordShapes["\(type)/v\($0)"] }
    }

    /// The shape of a record of any of `types` (nil when one has no shape).
    func recordShape(ofTypes types: [String]) -> FieldShape? {
        var result: FieldShape?
        for type in types {
            guard let shape = latestShape(ofType: type) else { return nil }
            result = result.map { $0.union(shape) } ?? shape
        }
        return result
    }

    var knownSchemaTypes: Set<String>? {
        knownSchemaIDs.map { Set($0.compactMap { SchemaID(parsing: $0)?.type }) }
    }

    mutating func report(
        _ kind: TopologyFinding.Kind,
        at location: SourceLocation,
        _ message: String,
        severity: TopologyFinding.Severity = .error
    ) {
        findings.append(TopologyFinding(kind, at: location, severity: severity, message))
    }

    /// Builds the topology; `nil` when the root is not a mapping. Other errors are in `findings`, and the
    /// returned value then holds only the parts that were valid.
    mutating func build(root: ConfigNode) -> Topology? {
        guard root.mapping != nil else {
            report(
                .invalidOption, at: root.location,
                "a topology must be a mapping with application, regions, sources, outputs and pipelines; found "
                    + root.kindDescription)
            return nil
        }
        let options = parseObject(root, spec: TopologySpec.topLevel)
        var topology = Topology(application: options.string("application") ?? "", file: source.file)
        if let schemas = options.string("schemas") { topology.schemasDirectory = schemas }
        if let reference = options.string("reference") { topology.referenceDirectory = reference }
        if let defaults = options.object("defaults") { topology.defaults = buildDefaults(defaults) }
        if let calendar = options.object("plantCalendar"), let table = calendar.string("table") {
            topology.plantCalendar = PlantCalendarBinding(table: table, location: calendar.location(of: "table"))
        }
        if let units = options.object("units"), let table = units.string("table") {
            topology.units = UnitsBinding(table: table, location: units.location(of: "table"))
        }
        topology.tables = objects(options, "tables").compactMap { buildTable($0) }
        topology.outputs = objects(options, "outputs").compactMap { buildOutput($0) }
        topology.sources = objects(options, "sources").compactMap { buildSource($0) }
        topology.regions = objects(options, "regions").compactMap { buildRegion($0) }
        lintSections(topology, options: options)
        var pipelines: [Pipeline] = []
        for pipelineOptions in objects(options, "pipelines") {
            if let pipeline = buildPipeline(pipelineOptions, topology: topology) { pipelines.append(pipeline) }
        }
        topology.pipelines = pipelines
        lintSourceFields(topology)
        lintReferences(options, spec: TopologySpec.topLevel, topology: topology)
        lintRecordSizes(topology)
        return topology
    }

    /// The parsed mappings of a list-of-mappings option.
    func objects(_ options: ParsedOptions, _ name: String) -> [ParsedOptions] {
        guard case .list(let items) = options[name] else { return [] }
        return items.compactMap {
            if case .object(let object) = $0 { return object }
            return nil
        }
    }
}

/// A schema id `<type>/v<N>`.
struct SchemaID: Hashable, Sendable {
    var type: String
    var version: Int

    init?(parsing text: String) {
        guard let slash = text.lastIndex(of: "/") else { return nil }
        let type = text[..<slash]
        let version = text[text.index(after: slash)...]
        guard !type.isEmpty, version.hasPrefix("v"), let number = Int(version.dropFirst()), number >= 1,
            version.dropFirst().allSatisfy(\.isASCII),
            type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") })
        else { return nil }
        self.type = String(type)
        self.version = number
    }
}
