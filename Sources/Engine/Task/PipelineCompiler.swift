import JSON
import Schemas
import Topology

/// Compiles the pipelines of one source into plans, tracking what names mean after each step.
final class PipelineCompiler {
    private unowned let engine: Engine
    private let customSteps: StepRegistry
    private let compiler: ExpressionCompiler
    /// Changelog topics created by the last `compile(source:pipelines:)`.
    private(set) var changelogTopics: [String] = []

    /// How long a closed window is remembered for `post_delta` after its close (event time).
    static let lateRetention: Int64 = 7 * 86_400_000

    init(engine: Engine, customSteps: StepRegistry) {
        self.engine = engine
        self.customSteps = customSteps
        compiler = ExpressionCompiler(services: engine.services)
    }

    func compile(source: Source, pipelines: [Pipeline]) throws(EngineError) -> SourcePlan {
        changelogTopics = []
        var validateOptions: ValidateStep?
        var plans: [PipelinePlan] = []
        for pipeline in pipelines {
            guard case .validate(let options)? = pipeline.steps.first?.kind else {
                throw EngineError(
                    .invalidStep, "pipeline \(pipeline.name): the first step must be validate", at: pipeline.location)
            }
            if let first = validateOptions, first != options {
                throw EngineError(
                    .invalidStep,
                    "pipeline \(pipeline.name): validate options differ from another pipeline of source \(source.name); "
                        + "pipelines sharing a source validate each record once and must agree",
                    at: pipeline.steps[0].location)
            }
            validateOptions = options
            plans.append(try compile(pipeline, source: source))
        }
        let options = validateOptions ?? ValidateStep()
        var sparkplug: SparkplugPlan?
        if source.envelope == .sparkplugB {
            let settings = source.sparkplug ?? SparkplugOptions()
            let exceptions = try settings.exceptions.map { name throws(EngineError) in
                try output(
                    name, kind: .records, for: "source \(source.name): sparkplug.exceptions", at: source.location)
            }
            sparkplug = SparkplugPlan(
                options: settings, store: changelog(store: "\(source.name)-sparkplug"), exceptions: exceptions)
        }
        return SourcePlan(
            source: source, format: options.envelope ?? source.envelope, maxBytes: options.maxBytes, pipelines: plans,
            plants: engine.region.plants, catalog: engine.catalog, sparkplug: sparkplug)
    }

    /// The topology output `name`, which must be of `kind` (`what` names the option in the error).
    private func output(_ name: String, kind: Destination.Kind, for what: String, at location: SourceLocation)
        throws(EngineError) -> Destination
    {
        guard let output = engine.destination(output: name), output.kind == kind else {
            let article = kind == .exceptions ? "an" : "a"
            throw EngineError(
                .unknownOutput, "\(what) \(name) is not \(article) \(kind.rawValue) output", at: location)
        }
        return output
    }

    /// A new state store's changelog, recorded as one of the source's.
    private func changelog(store name: String) -> Destination {
        let destination = engine.addChangelog(store: name)
        changelogTopics.append(destination.topic)
        return destination
    }

    private func compile(_ pipeline: Pipeline, source: Source) throws(EngineError) -> PipelinePlan {
        let deadLetter = try output(
            pipeline.deadLetter, kind: .deadLetter, for: "pipeline \(pipeline.name): deadLetter", at: pipeline.location)
        let exceptions = try pipeline.exceptions.map { name throws(EngineError) in
            try output(name, kind: .exceptions, for: "pipeline \(pipeline.name): exceptions", at: pipeline.location)
        }
        var scope = Scope(record: .event)
        scope.foreignPlant = source.isForeign ? source.plant != nil : nil
        var aliasCount = 0
        var plans: [StepPlan] = []
        var mapNames: [String]?
        var storeCounts: [String: Int] = [:]
        /// The `hold:` whose gate goes after the next emit, and whether an enrich parks records that miss.
        var pendingHold: HoldStepPlan?
        var parksEnrichmentMisses = false
        func store(_ kind: String) -> Destination {
            storeCounts[kind, default: 0] += 1
            let count = storeCounts[kind]!
            return changelog(store: "\(pipeline.name)-\(kind)" + (count > 1 ? "-\(count)" : ""))
        }
        func needsExceptions(_ what: String, at location: SourceLocation) throws(EngineError) {
            guard exceptions != nil else {
                throw EngineError(
                    .unknownOutput, "pipeline \(pipeline.name): \(what) writes exceptions; set exceptions: <output>",
                    at: location)
            }
        }
        let steps = pipeline.steps
        for (position, step) in steps.enumerated().dropFirst() {
            switch step.kind {
            case .validate:
                throw EngineError(.invalidStep, "validate may only be the first step", at: step.location)
            case .dedupe(let options):
                let key = options.key.isEmpty ? DedupeStep.defaultKey(of: source, at: step.location) : options.key
                plans.append(
                    DedupeStepPlan(
                        keyParts: try compiler.compileKey(key, in: scope), ttl: options.ttl.milliseconds,
                        storeDestination: store("dedupe")))
            case .filter(let options):
                plans.append(FilterStepPlan(condition: try compiler.compile(options.when, in: scope)))
            case .changes(let options):
                var also: [Evaluator] = []
                for expression in options.also { also.append(try compiler.compile(expression, in: scope)) }
                var absolute: Evaluator?
                if let expression = options.absolute { absolute = try compiler.compile(expression, in: scope) }
                var percent: Evaluator?
                if let expression = options.percent { percent = try compiler.compile(expression, in: scope) }
                let keyParts = try compiler.compileKey(options.key, in: scope)
                let value = try compiler.compile(options.value, in: scope)
                var previousSlot: Int?
                if let previous = options.previous {
                    previousSlot = aliasCount
                    aliasCount += 1
                    scope.aliases[previous] = previousSlot
                }
                plans.append(
                    ChangesStepPlan(
                        keyParts: keyParts, value: value, also: also, absolute: absolute, percent: percent,
                        heartbeat: options.heartbeat?.milliseconds, previousSlot: previousSlot,
                        storeDestination: store("changes")))
            case .explode(let options):
                let array = try compiler.compilePath(options.path, in: scope, at: step.location)
                let slot = aliasCount
                aliasCount += 1
                scope.aliases[options.alias] = slot
                plans.append(ExplodeStepPlan(array: array, slot: slot))
            case .enrich(let options):
                guard let table = engine.services.tables[options.table] else {
                    throw EngineError(.unknownTable, "enrich names unknown table \(options.table)", at: step.location)
                }
                guard options.key.count == table.keyColumns.count else {
                    throw EngineError(
                        .invalidStep,
                        "enrich key has \(options.key.count) parts; table \(table.name) is keyed by "
                            + table.keyColumns.joined(separator: ", "),
                        at: step.location)
                }
                if options.onMissing == .exception {
                    try needsExceptions("enrich onMissing: exception", at: step.location)
                    parksEnrichmentMisses = true
                }
                let parts = try compiler.compileKey(options.key, in: scope)
                let slot = aliasCount
                aliasCount += 1
                scope.aliases[options.alias] = slot
                plans.append(EnrichStepPlan(table: table, keyParts: parts, slot: slot, onMissing: options.onMissing))
            case .hold(let options):
                guard let table = engine.services.tables[options.table] else {
                    throw EngineError(.unknownTable, "hold names unknown table \(options.table)", at: step.location)
                }
                try needsExceptions("hold", at: step.location)
                guard
                    steps[(position + 1)...].contains(where: { later in
                        if case .emit = later.kind { return true }
                        return false
                    })
                else {
                    throw EngineError(
                        .invalidStep, "hold gates the posting of the next emit; add an emit after it", at: step.location
                    )
                }
                let parts = try compiler.compileKey(options.lot, in: scope)
                let rowScope = Scope(record: .row)
                let hold = HoldStepPlan(
                    table: table, lotParts: parts, heldWhen: try compiler.compile(options.heldWhen, in: rowScope),
                    cancelWhen: try compiler.compile(options.cancelWhen, in: rowScope),
                    storeDestination: store("hold"))
                plans.append(hold)
                pendingHold = hold
            case .window(let options):
                let windowed = try compileWindow(
                    options, scope: scope, at: step.location,
                    needsSources: steps[(position + 1)...].contains { later in
                        if case .emit(let emit) = later.kind { return emit.erpHeader }
                        return false
                    }, storeDestination: store("window"), source: source)
                plans.append(windowed.plan)
                scope = windowed.scope
                mapNames = nil
            case .map(let options):
                var names: [String] = []
                var fields: [Evaluator] = []
                for field in options.fields {
                    names.append(field.name)
                    fields.append(try compiler.compile(field.expression, in: scope))
                }
                plans.append(MapStepPlan(names: names, fields: fields))
                mapNames = names
                var mapFields: [String: Int] = [:]
                for (index, name) in names.enumerated() { mapFields[name] = index }
                scope.mapFields = mapFields
            case .normalize(let options):
                plans.append(try compileNormalize(options, scope: scope, at: step.location))
                scope = Scope(record: .event)
            case .emit(let options):
                if options.periodCheck { try needsExceptions("emit periodCheck", at: step.location) }
                plans.append(
                    try compileEmit(
                        options, scope: scope, mapNames: mapNames, pipeline: pipeline, source: source,
                        hold: pendingHold, parksEnrichmentMisses: parksEnrichmentMisses, at: step.location))
                pendingHold = nil
            case .custom(let name, let options):
                guard let factory = customSteps.factory(name) else {
                    throw EngineError(
                        .unknownStep,
                        "unknown step \(name); registered custom steps: \(customSteps.names.joined(separator: ", "))",
                        at: step.location)
                }
                let context = CustomStepContext(
                    name: name, options: options, pipeline: pipeline.name, compiler: compiler, scope: scope,
                    location: step.location)
                do {
                    plans.append(CustomStepPlan(step: try factory(context)))
                } catch let error as EngineError {
                    throw error
                } catch {
                    throw EngineError(.invalidStep, "custom step \(name): \(error)", at: step.location)
                }
            }
        }
        Self.narrowSources(plans)
        return PipelinePlan(
            name: pipeline.name, types: pipeline.types, deadLetter: deadLetter, exceptions: exceptions, steps: plans,
            aliasCount: aliasCount)
    }

    /// Windows keep the `sources` lineage and the first correlation id (a SHA-256 per event) only when a later
    /// step can read them: an emit whose header writes `sources` or `correlationId`, or a custom step (which
    /// sees the window result).
    static func narrowSources(_ plans: [StepPlan]) {
        for (position, plan) in plans.enumerated() {
            guard let window = plan as? WindowStepPlan, window.needsSources else { continue }
            window.needsSources = plans[(position + 1)...].contains { later in
                if let emit = later as? EmitStepPlan {
                    return emit.header.contains(.sources) || emit.header.contains(.correlationId)
                }
                return later is CustomStepPlan
            }
        }
    }

    private func compileWindow(
        _ options: WindowStep, scope: Scope, at location: SourceLocation, needsSources: Bool,
        storeDestination: Destination, source: Source
    ) throws(EngineError) -> (plan: WindowStepPlan, scope: Scope) {
        guard case .event = scope.record else {
            throw EngineError(.invalidStep, "a window step must come before any other window step", at: location)
        }
        let groupParts = try compiler.compileKey(options.groupBy.map(\.expression), in: scope)
        var functions: [Aggregate.Function] = []
        var argumentExpressions: [Expression] = []
        var hasArgument: [Bool] = []
        for aggregate in options.aggregates {
            functions.append(aggregate.function)
            if let argument = aggregate.argument {
                argumentExpressions.append(argument)
                hasArgument.append(true)
            } else if aggregate.function == .count {
                argumentExpressions.append(.literal(.string(""), aggregate.location))
                hasArgument.append(false)
            } else {
                throw EngineError(
                    .invalidExpression, "\(aggregate.function.rawValue)() needs an argument", at: aggregate.location)
            }
        }
        let layout = WindowLayout(
            groupNames: options.groupBy.map(\.name), aggregateNames: options.aggregates.map(\.name))
        let kind: WindowStepPlan.Kind
        func positive(_ duration: DurationValue, _ what: String) throws(EngineError) -> Int64 {
            guard duration.milliseconds > 0 else {
                throw EngineError(.invalidStep, "window \(what) must be positive", at: location)
            }
            return duration.milliseconds
        }
        switch options.shape {
        case .tumbling(let size):
            kind = .fixed(
                WindowAssigner(
                    shape: .tumbling(size: try positive(size, "size")), alignment: options.alignment,
                    splitAtLocalMidnight: options.splitAtLocalMidnight))
        case .hopping(let size, let advance):
            kind = .fixed(
                WindowAssigner(
                    shape: .hopping(size: try positive(size, "size"), advance: try positive(advance, "advance")),
                    alignment: options.alignment, splitAtLocalMidnight: options.splitAtLocalMidnight))
        case .session(let gap):
            kind = .session(gap: try positive(gap, "gap"), splitAtLocalMidnight: options.splitAtLocalMidnight)
        }
        let windowScope = Scope(record: .window(groupNames: layout.groupNames, aggregateNames: layout.aggregateNames))
        let plant = compiler.plantEvaluator(in: scope)
        let needsZone: Bool
        switch kind {
        case .fixed(let assigner): needsZone = assigner.needsZone
        case .session(_, let split): needsZone = split
        }
        if needsZone && plant == nil {
            throw EngineError(.invalidStep, "plant-local windows need plantId in the record", at: location)
        }
        let plan = WindowStepPlan(
            kind: kind, groupParts: groupParts, layout: layout, functions: functions,
            arguments: try compiler.compileKey(argumentExpressions, in: scope), hasArgument: hasArgument,
            grace: options.grace.milliseconds, outOfOrderness: options.outOfOrderness.milliseconds,
            idleTimeout: options.idleTimeout?.milliseconds, late: options.late, retention: Self.lateRetention,
            emitEarly: try options.emitEarly.map { (expression) throws(EngineError) in
                try compiler.compile(expression, in: windowScope)
            },
            closeWhen: try options.closeWhen.map { (expression) throws(EngineError) in
                try compiler.compile(expression, in: scope)
            },
            plant: plant, needsSources: needsSources, calendar: engine.services.calendar,
            storeDestination: storeDestination, eventTimePointer: source.eventTime.pointer)
        return (plan, windowScope)
    }

    private func compileEmit(
        _ options: EmitStep, scope: Scope, mapNames: [String]?, pipeline: Pipeline, source: Source,
        hold: HoldStepPlan?, parksEnrichmentMisses: Bool, at location: SourceLocation
    ) throws(EngineError) -> EmitStepPlan {
        guard let output = engine.destination(output: options.output),
            output.kind == .records || output.kind == .table
        else {
            throw EngineError(
                .unknownOutput, "emit output \(options.output) is not a records or table output", at: location)
        }
        let catalog = engine.catalog
        var validator: CompiledSchema?
        var shape: SchemaShape?
        if options.schema.isEmpty {
            guard !options.erpHeader else {
                throw EngineError(.unknownSchema, "emit needs a schema to add the ERP header", at: location)
            }
        } else {
            guard let compiled = catalog.validator(forSchemaID: options.schema) else {
                throw EngineError(.unknownSchema, "emit schema \(options.schema) is not in the registry", at: location)
            }
            validator = compiled
            let uri = catalog.uri(forSchemaID: options.schema)
            shape = catalog.schemaDocument(uri: uri).map {
                SchemaShape(schema: $0, uri: uri, load: { catalog.schemaDocument(uri: $0) })
            }
        }
        let layout = try mapNames.map { (names) throws(EngineError) in try OutputLayout(names: names, shape: shape) }
        let windowed = scope.isWindowed
        var header: [EmitStepPlan.HeaderField] = []
        if options.erpHeader {
            let declared = shape?.topLevelProperties ?? []
            let candidates =
                declared.isEmpty
                ? EmitStepPlan.HeaderField.allCases.filter { $0 != .recordId && $0 != .businessDate }
                : declared.compactMap(EmitStepPlan.HeaderField.init(rawValue:))
            header = candidates.filter { field in
                !(layout?.topLevelNames.contains(field.rawValue) ?? false) && (windowed || field != .window)
            }
        }
        func constantBytes(_ name: String) -> [UInt8]? {
            guard let value = shape?.constant(of: name) else { return nil }
            var writer = JSONWriter()
            writer.value(value)
            return writer.bytes
        }
        // An emit that feeds a source (normalized events) keys them as that source's producers do.
        var key = options.key
        if key.isEmpty, let fed = engine.topology.sources.first(where: { $0.topic == output.topic }) {
            key = fed.key.map { .path($0, location) }
        }
        let keyParts = try compiler.compileKey(key, in: scope)
        var idempotencyExpressions = options.idempotencyKey
        if case .path(let path, let location)? = idempotencyExpressions.first, path.segments.count == 1,
            Self.isPrefixWord(path.root), !Self.resolvable(path.root, in: scope)
        {
            idempotencyExpressions[0] = .literal(.string(path.root), location)
        }
        let idempotencyParts = try compiler.compileKey(idempotencyExpressions, in: scope)
        let plant = compiler.plantEvaluator(in: scope)
        let needsPlant =
            header.contains(.plantId) || header.contains(.postingDate) || header.contains(.documentDate)
            || header.contains(.businessDate) || options.periodCheck
        if needsPlant && plant == nil && !engine.services.calendar.isAbsent {
            throw EngineError(.invalidStep, "emit needs plantId in the record for plant-local dates", at: location)
        }
        var skipValidation = false
        if mapNames == nil, header.isEmpty, !windowed, let id = Self.splitSchemaID(options.schema),
            pipeline.types.contains(id.type), catalog.latestVersion(ofType: id.type) == id.version
        {
            skipValidation = true
        }
        return EmitStepPlan(
            output: output, schemaID: options.schema, validator: validator, skipValidation: skipValidation,
            header: header, schemaVersion: constantBytes("schemaVersion"), txnType: constantBytes("txnType"),
            keyParts: keyParts, idempotencyParts: idempotencyParts, plant: plant, periodCheck: options.periodCheck,
            windowed: windowed, layout: layout, calendar: engine.services.calendar,
            targetSystem: engine.services.targetSystem, sourceTopic: source.topic, hold: hold,
            parksEnrichmentMisses: parksEnrichmentMisses)
    }

    private func compileNormalize(_ options: NormalizeStep, scope: Scope, at location: SourceLocation)
        throws(EngineError) -> NormalizeStepPlan
    {
        let catalog = engine.catalog
        guard let id = Self.splitSchemaID(options.to), let validator = catalog.validator(forSchemaID: options.to) else {
            throw EngineError(.unknownSchema, "normalize to \(options.to): not in the registry", at: location)
        }
        let uri = catalog.uri(forSchemaID: options.to)
        let shape = catalog.schemaDocument(uri: uri).map {
            SchemaShape(schema: $0, uri: uri, load: { catalog.schemaDocument(uri: $0) })
        }
        var given: [String: Expression] = [:]
        for field in options.fields { given[field.name] = field.expression }
        var names: [String] = []
        var evaluators: [Evaluator] = []
        for name in NormalizeStep.envelopeDefaults {
            if let expression = given[name] {
                names.append(name)
                evaluators.append(try compiler.compile(expression, in: scope))
            } else if let evaluator = NormalizeStepPlan.envelopeDefault(name, type: id.type, version: id.version) {
                names.append(name)
                evaluators.append(evaluator)
            }
        }
        for field in options.fields where !NormalizeStep.envelopeDefaults.contains(field.name) {
            names.append(field.name)
            evaluators.append(try compiler.compile(field.expression, in: scope))
        }
        return NormalizeStepPlan(
            schemaID: options.to, layout: try OutputLayout(names: names, shape: shape), fields: evaluators,
            validator: validator)
    }

    /// `CONF`, `GI`, `GR_2`: an upper-case word used as a literal idempotency-key prefix.
    static func isPrefixWord(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    static func resolvable(_ name: String, in scope: Scope) -> Bool {
        if scope.aliases[name] != nil || scope.mapFields?[name] != nil { return true }
        if case .window(let groupNames, let aggregateNames) = scope.record {
            return groupNames.contains(name) || aggregateNames.contains(name) || name == "window"
        }
        return false
    }

    static func splitSchemaID(_ id: String) -> (type: String, version: Int)? {
        guard let slash = id.lastIndex(of: "/"), id[id.index(after: slash)...].hasPrefix("v"),
            let version = Int(id[id.index(slash, offsetBy: 2)...])
        else { return nil }
        return (String(id[..<slash]), version)
    }
}
