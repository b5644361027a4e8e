import JSON
import Topology

/// `window:` — event-time windows per group key (docs/topology.md, "window"; docs/engine.md).
final class WindowStepPlan: StepPlan {
    /// Fixed windows (tumbling, hopping) or sessions.
    enum Kind {
        case fixed(WindowAssigner)
        case session(gap: Int64, splitAtLocalMidnight: Bool)
    }

    let kind: Kind
    let groupParts: KeyPlan
    let layout: WindowLayout
    let functions: [Aggregate.Function]
    /// Aggregate inputs (`count()` without argument: an empty literal, see `hasArgument`).
    let arguments: KeyPlan
    let hasArgument: [Bool]
    let grace: Int64
    let outOfOrderness: Int64
    let idleTimeout: Int64?
    let late: LatePolicy
    /// How long closed windows are remembered for `post_delta` (event time after their close).
    let retention: Int64
    let emitEarly: Evaluator?
    let closeWhen: Evaluator?
    let plant: Evaluator?
    /// `true` when a later step reads the window's `sources` or `correlationId` (set while compiling the pipeline).
    var needsSources: Bool
    let calendar: PlantCalendar
    let storeDestination: Destination
    /// The source's event-time field as a JSON pointer (the path of late-event dead letters).
    let eventTimePointer: String

    init(
        kind: Kind, groupParts: KeyPlan, layout: WindowLayout, functions: [Aggregate.Function],
        arguments: KeyPlan, hasArgument: [Bool], grace: Int64, outOfOrderness: Int64, idleTimeout: Int64?,
        late: LatePolicy,
        retention: Int64, emitEarly: Evaluator?, closeWhen: Evaluator?, plant: Evaluator?, needsSources: Bool,
        calendar: PlantCalendar, storeDestination: Destination, eventTimePointer: String
    ) {
        self.kind = kind
        self.groupParts = groupParts
        self.layout = layout
        self.functions = functions
        self.arguments = arguments
        self.hasArgument = hasArgument
        self.grace = grace
        self.outOfOrderness = outOfOrderness
        self.idleTimeout = idleTimeout
        self.late = late
        self.retention = retention
        self.emitEarly = emitEarly
        self.closeWhen = closeWhen
        self.plant = plant
        self.needsSources = needsSources
        self.calendar = calendar
        self.storeDestination = storeDestination
        self.eventTimePointer = eventTimePointer
    }

    /// `true` when assignment needs the plant's zone.
    var needsZone: Bool {
        switch kind {
        case .fixed(let assigner): assigner.needsZone
        case .session(_, let split): split
        }
    }

    func makeNode(in context: StepContext) -> StepNode { WindowNode(plan: self, context: context) }
}
