/// Pipelines: typed steps built by their specs, then linted in order.
extension TopologyBuilder {
    /// Builds (and lints) one pipeline; `nil` when any part of it is invalid.
    mutating func buildPipeline(_ options: ParsedOptions, topology: Topology) -> Pipeline? {
        let name = options.string("name") ?? "?"
        let source = options.string("source").flatMap { topology.source(named: $0) }
        guard case .list(let stepValues) = options["steps"] else { return nil }
        var steps: [Step] = []
        var complete = options.isValid
        let types = options.strings("types") ?? []
        let shapes = recordShapes
        var analysis = PipelineAnalysis(
            topology: topology, pipelineName: name, source: source,
            recordShape: types.isEmpty ? nil : recordShape(ofTypes: types), types: types,
            schemaShape: { shapes[$0] })
        var kinds: [(kind: String, location: SourceLocation)] = []
        for case .step(let kind, let stepOptions) in stepValues {
            kinds.append((kind, stepOptions.location))
            guard stepOptions.isValid, let spec = stepSpecs[kind] else {
                complete = false
                analysis.forgetNames()
                continue
            }
            var context = StepBuildContext(source: source)
            let built = spec.build(stepOptions, &context)
            findings.append(contentsOf: context.findings)
            guard let built else {
                complete = false
                analysis.forgetNames()
                continue
            }
            let step = Step(built, location: stepOptions.location)
            spec.analyze(step, stepOptions, &analysis)
            steps.append(step)
        }
        findings.append(contentsOf: analysis.findings)
        lintStepOrder(kinds, pipeline: name, at: options.location)
        if options.string("exceptions") == nil {
            for (step, location) in analysis.exceptionWriters {
                report(
                    .missingExceptions, at: location,
                    "\(step) writes exception records, but pipeline '\(name)' has no exceptions output; add "
                        + "exceptions: <name of an output of kind exceptions>")
                complete = false
            }
        }
        guard complete, let sourceName = options.string("source"), let deadLetter = options.string("deadLetter"),
            let types = options.strings("types")
        else { return nil }
        if let source, case .fixed(let id)? = source.schema, let schema = SchemaID(parsing: id),
            !types.contains(schema.type)
        {
            report(
                .invalidOption, at: options.location(of: "types"),
                "every record of source '\(source.name)' has schema \(id), but pipeline '\(name)' takes types "
                    + "[\(types.joined(separator: ", "))]; it would skip them all: add \(schema.type)")
            return nil
        }
        return Pipeline(
            name: name, source: sourceName, types: types, deadLetter: deadLetter,
            exceptions: options.string("exceptions"), steps: steps, location: options.location)
    }

    /// validate first and only first, one window at most, at least one emit, nothing after the last emit.
    private mutating func lintStepOrder(
        _ kinds: [(kind: String, location: SourceLocation)],
        pipeline: String,
        at location: SourceLocation
    ) {
        guard let first = kinds.first else { return }
        if first.kind != "validate" && stepSpecs[first.kind] != nil {
            report(
                .stepOrder, at: first.location,
                "the first step of pipeline '\(pipeline)' must be validate (it decodes the envelope and checks the "
                    + "schema); found \(first.kind)")
        }
        for step in kinds.dropFirst() where step.kind == "validate" {
            report(.stepOrder, at: step.location, "validate must be the first step only")
        }
        for (index, step) in kinds.enumerated() where step.kind == "normalize" {
            let before = kinds[..<index].dropFirst().filter {
                !["filter", "dedupe", "changes", "enrich"].contains($0.kind)
            }
            if index == 0 || !before.isEmpty {
                report(
                    .stepOrder, at: step.location,
                    "normalize must follow validate (and any filter, dedupe, changes or enrich): the steps after it "
                        + "see the catalogue event")
            }
        }
        let windows = kinds.filter { $0.kind == "window" }
        for window in windows.dropFirst() {
            report(
                .stepOrder, at: window.location,
                "pipeline '\(pipeline)' has a second window step; a pipeline aggregates once")
        }
        guard kinds.allSatisfy({ stepSpecs[$0.kind] != nil }) else { return }
        guard let lastEmit = kinds.lastIndex(where: { $0.kind == "emit" }) else {
            if !kinds.contains(where: { stepSpecs[$0.kind].map { !StepSpec.builtInNames.contains($0.name) } ?? false })
            {
                report(
                    .stepOrder, at: location,
                    "pipeline '\(pipeline)' has no emit step, so it writes nothing; end it with emit")
            }
            return
        }
        for step in kinds[(lastEmit + 1)...] {
            report(
                .stepOrder, at: step.location,
                "\(step.kind) after the last emit of pipeline '\(pipeline)' has no effect", severity: .warning)
        }
    }
}
