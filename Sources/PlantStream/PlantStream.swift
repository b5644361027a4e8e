// The library is the custom-step API and nothing else: Engine's public declarations are that API
// (`CustomStep`, `CustomStepContext`, `CustomStepRecord`, `CustomStepField`, `FieldValue`, `CustomStepDecision`,
// `StepRegistry`, `EngineError`, `TaskMetrics` and the clocks; the rest of the engine is `package`), plus the
// few types a step and its tests use from the JSON and Topology modules.
@_exported import Engine

@_exported import struct JSON.ExactDecimal
@_exported import struct Topology.OptionSpec
@_exported import struct Topology.StepSpec
@_exported import struct Topology.Topology
@_exported import struct Topology.TopologyLoader

/// A step a user adds to PlantStream without forking it: the spec the topology loader parses and lints
/// its options with (and `plantstream describe steps` documents), and the factory the engine builds it
/// with.
///
/// ```swift
/// import PlantStream
///
/// final class MinimumYield: CustomStep {
///     let yield: CustomStepField
///     let minimum: ExactDecimal
///     init(_ context: CustomStepContext) throws {
///         yield = try context.field(context.options["field"] ?? "data.yield.value")
///         minimum = try ExactDecimal(parsing: context.options["minimum"] ?? "0")
///     }
///     func process(_ record: CustomStepRecord) -> CustomStepDecision {
///         guard case .number(let value) = record.value(yield) else {
///             return .deadLetter(code: "YIELD_MISSING", message: "no yield")
///         }
///         return value >= minimum ? .keep : .drop
///     }
/// }
///
/// let minimumYield = StepDefinition(
///     spec: StepSpec(name: "minimumYield", summary: "Drop reports below a minimum yield.",
///                    options: [OptionSpec("field", .path, "Path of the yield."),
///                              OptionSpec("minimum", .string, "Smallest yield kept.")]),
///     factory: { try MinimumYield($0) })
/// ```
/// Pass the definitions to ``TopologyLoader/init(environment:steps:)`` and to the engine's
/// ``Engine/StepRegistry`` (``StepRegistry/init(_:)``).
public struct StepDefinition: Sendable {
    /// How the step is written in `topology.yaml`.
    public var spec: StepSpec
    /// Builds the step for a pipeline from its options.
    public var factory: StepRegistry.Factory

    /// Creates a definition.
    public init(spec: StepSpec, factory: @escaping StepRegistry.Factory) {
        self.spec = spec
        self.factory = factory
    }

    /// The step's YAML name.
    public var name: String { spec.name }
}

extension StepRegistry {
    /// A registry holding `definitions`.
    public convenience init(_ definitions: [StepDefinition]) {
        self.init()
        for definition in definitions { register(definition.spec.name, factory: definition.factory) }
    }
}

extension TopologyLoader {
    /// A loader that also knows the custom steps of `steps`.
    public init(environment: [String: String], steps: [StepDefinition]) {
        self.init(environment: environment, customSteps: steps.map(\.spec))
    }
}
