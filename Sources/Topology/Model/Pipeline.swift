/// `pipelines:` entry — the event types it takes from one source, its ordered steps and its outputs.
public struct Pipeline: Sendable, Hashable {
    public var name: String
    /// Name of the source it reads.
    public var source: String
    /// Schema types it takes (`operation.reported`); every version is accepted, older ones are upcast.
    public var types: [String]
    /// Name of the dead-letter output (kind `dead_letter`).
    public var deadLetter: String
    /// Name of the exceptions output (kind `exceptions`), required when a step can write exceptions.
    public var exceptions: String?
    /// Steps in order; the first is always `validate`.
    public var steps: [Step]
    public var location: SourceLocation

    public init(
        name: String,
        source: String,
        types: [String],
        deadLetter: String,
        exceptions: String? = nil,
        steps: [Step],
        location: SourceLocation
    ) {
        self.name = name
        self.source = source
        self.types = types
        self.deadLetter = deadLetter
        self.exceptions = exceptions
        self.steps = steps
        self.location = location
    }
}

/// One step of a pipeline with its options and where it was written.
public struct Step: Sendable, Hashable {
    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The step vocabulary (docs/topology.md).
    public enum Kind: Sendable, Hashable {
        case validate(ValidateStep)
        case dedupe(DedupeStep)
        case filter(FilterStep)
        case changes(ChangesStep)
        case explode(ExplodeStep)
        case window(WindowStep)
        case enrich(EnrichStep)
        case hold(HoldStep)
        case map(MapStep)
        case normalize(NormalizeStep)
        case emit(EmitStep)
        /// A user-registered step (library product `PlantStream`): its name and raw options.
        case custom(String, [String: String])
    }

    /// The YAML name of the step kind.
    public var name: String {
        switch kind {
        case .validate: "validate"
        case .dedupe: "dedupe"
        case .filter: "filter"
        case .changes: "changes"
        case .explode: "explode"
        case .window: "window"
        case .enrich: "enrich"
        case .hold: "hold"
        case .map: "map"
        case .normalize: "normalize"
        case .emit: "emit"
        case .custom(let name, _): name
        }
    }
}
