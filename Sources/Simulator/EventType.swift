/// The canonical plant event types the simulator writes (domain.md §2.3, E1–E17).
public enum EventType: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case machineTelemetry
    case machineState
    case machineCycle
    case operationStarted
    case operationReported
    case operationCompleted
    case materialConsumed
    case materialProduced
    case scrapRecorded
    case downtimeRecorded
    case qualityHoldCreated
    case qualityHoldReleased
    case inspectionResult
    case orderReleased
    case orderChanged
    case materialMoved
    case replenishmentRequested

    /// Cycles, states and telemetry: what a line controller itself reports (sent as Sparkplug B with `--sparkplug`).
    public var isMachineSignal: Bool { self == .machineCycle || self == .machineState || self == .machineTelemetry }

    /// The type name as it appears in events and schema ids (`machine.cycle`).
    public var name: String {
        switch self {
        case .machineTelemetry: "machine.telemetry"
        case .machineState: "machine.state"
        case .machineCycle: "machine.cycle"
        case .operationStarted: "operation.started"
        case .operationReported: "operation.reported"
        case .operationCompleted: "operation.completed"
        case .materialConsumed: "material.consumed"
        case .materialProduced: "material.produced"
        case .scrapRecorded: "scrap.recorded"
        case .downtimeRecorded: "downtime.recorded"
        case .qualityHoldCreated: "quality.hold.created"
        case .qualityHoldReleased: "quality.hold.released"
        case .inspectionResult: "inspection.result"
        case .orderReleased: "order.released"
        case .orderChanged: "order.changed"
        case .materialMoved: "material.moved"
        case .replenishmentRequested: "replenishment.requested"
        }
    }

    /// A short name for progress lines (`cycle`, `hold+`).
    public var shortName: String {
        switch self {
        case .machineTelemetry: "tele"
        case .machineState: "state"
        case .machineCycle: "cycle"
        case .operationStarted: "op>"
        case .operationReported: "op~"
        case .operationCompleted: "op."
        case .materialConsumed: "gi"
        case .materialProduced: "gr"
        case .scrapRecorded: "scrap"
        case .downtimeRecorded: "down"
        case .qualityHoldCreated: "hold+"
        case .qualityHoldReleased: "hold-"
        case .inspectionResult: "insp"
        case .orderReleased: "order+"
        case .orderChanged: "order~"
        case .materialMoved: "move"
        case .replenishmentRequested: "repl"
        }
    }

    /// The newest schema version the simulator writes (and checks against the catalogue at load).
    public var newestVersion: Int { self == .machineCycle ? 2 : 1 }

    /// The topic domain.md §2.7 assigns, used when no pipeline of the topology names the type.
    public var conventionalTopic: String {
        switch self {
        case .machineTelemetry: "mfg.telemetry.v1"
        case .machineState, .machineCycle, .downtimeRecorded: "mfg.machine.v1"
        case .operationStarted, .operationReported, .operationCompleted, .materialConsumed, .materialProduced,
            .scrapRecorded:
            "mfg.production.v1"
        case .orderReleased, .orderChanged: "mfg.order.v1"
        case .qualityHoldCreated, .qualityHoldReleased, .inspectionResult: "mfg.quality.v1"
        case .materialMoved, .replenishmentRequested: "mfg.logistics.v1"
        }
    }

    /// Whether the schema requires `equipment` in the envelope.
    public var requiresEquipment: Bool {
        switch self {
        case .machineTelemetry, .machineState, .machineCycle, .operationStarted, .operationReported,
            .operationCompleted, .downtimeRecorded:
            true
        default: false
        }
    }

    /// The type with the given name.
    public init?(name: String) {
        guard let type = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = type
    }

    public var description: String { name }

    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue < rhs.rawValue }
}
