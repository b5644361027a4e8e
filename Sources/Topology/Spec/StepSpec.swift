/// The one description of a step kind that drives parsing, lint and the generated reference.
///
/// Built-in steps are in `StepSpec.builtIn`; a custom step (library product `PlantStream`) registers a spec
/// made with the public initialiser, and its parsed options arrive in `Step.Kind.custom` as text.
public struct StepSpec: Sendable {
    /// The YAML name (`window`).
    public var name: String
    /// One line for the reference.
    public var summary: String
    /// A paragraph for the reference: semantics, state, what it does not do.
    public var details: String
    /// Its options.
    public var object: ObjectSpec
    /// A YAML example (one list item of `steps:`).
    public var example: String

    /// Builds the typed step from parsed options, reporting step-specific problems; `nil` when invalid.
    let build: @Sendable (ParsedOptions, inout StepBuildContext) -> Step.Kind?
    /// Lints the step in its pipeline (names in scope, keys, outputs) and updates the scope for later steps.
    let analyze: @Sendable (Step, ParsedOptions, inout PipelineAnalysis) -> Void

    init(
        name: String,
        summary: String,
        details: String,
        object: ObjectSpec,
        example: String,
        build: @escaping @Sendable (ParsedOptions, inout StepBuildContext) -> Step.Kind?,
        analyze: @escaping @Sendable (Step, ParsedOptions, inout PipelineAnalysis) -> Void
    ) {
        self.name = name
        self.summary = summary
        self.details = details
        self.object = object
        self.example = example
        self.build = build
        self.analyze = analyze
    }

    /// A custom step: its options are parsed and linted like built-in ones and passed on as text.
    /// - Parameters:
    ///   - name: The YAML name; must not be a built-in step's.
    ///   - summary: One line for `plantstream describe steps`.
    ///   - options: The options it accepts.
    ///   - example: A YAML example.
    public init(name: String, summary: String, details: String = "", options: [OptionSpec], example: String = "") {
        self.init(
            name: name, summary: summary, details: details, object: ObjectSpec(name: name, options: options),
            example: example,
            build: { options, _ in
                var values: [String: String] = [:]
                for option in options.names { values[option] = options[option]?.text }
                return .custom(name, values)
            },
            analyze: { _, _, analysis in analysis.forgetNames() })
    }
}

/// What a step builder can see and report to.
struct StepBuildContext {
    /// The pipeline's source, when it is declared.
    var source: Source?
    var findings: [TopologyFinding] = []

    mutating func report(_ kind: TopologyFinding.Kind, at location: SourceLocation, _ message: String) {
        findings.append(TopologyFinding(kind, at: location, message))
    }
}
