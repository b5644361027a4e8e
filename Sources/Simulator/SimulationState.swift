import Timekeeping

/// The simulated plants as a discrete-event simulation: every machine, line, order, lot and hold, and a
/// time-ordered queue of what happens next. Each step runs one action and hands its events to the
/// encoder.
///
/// All randomness comes from one seeded stream and every collection is an array iterated in order, so a
/// seed always gives the same plant history.
struct SimulationState: Sendable {
    /// Something that happens at a simulated instant.
    enum Action: Sendable {
        /// The machine's next step, valid while the machine's token still equals `token`.
        case machine(Int, token: UInt32)
        case telemetry(Int)
        case releaseOrder(line: Int)
        case closeOrder(Int)
        case createHold(plant: Int)
        case releaseHold(Int)
        case inventoryScrap(plant: Int)
        /// A pending stock movement (index into `movements`): a pallet put away or a lot delivered.
        case move(Int)
    }

    /// A stock movement scheduled for later.
    struct Movement: Sendable {
        var delivery: Bool
        var plant: Int
        var material: Int
        var batch: String?
        var milli: Int64
    }

    /// What a machine does at its next action.
    enum MachineStep: Sendable {
        case waiting
        case beginJob
        case endSetup
        case cycleEnd
        case disturbanceStart
        case disturbanceEnd
        case breakEnd
    }

    /// An interruption of production.
    enum Disturbance: Int, Sendable, CaseIterable {
        case minorStop
        case starved
        case blocked
        case breakdown
        case plannedMaintenance
    }

    /// OEE loss types (schema `LossType`), indexing each plant's downtime reasons.
    enum Loss: Int, Sendable, CaseIterable {
        case equipmentFailure, setupAdjustment, minorStop, starved, blocked, plannedMaintenance, breakTime, noOrder

        var name: String {
            switch self {
            case .equipmentFailure: "EQUIPMENT_FAILURE"
            case .setupAdjustment: "SETUP_ADJUSTMENT"
            case .minorStop: "MINOR_STOP"
            case .starved: "STARVED"
            case .blocked: "BLOCKED"
            case .plannedMaintenance: "PLANNED_MAINTENANCE"
            case .breakTime: "BREAK"
            case .noOrder: "NO_ORDER"
            }
        }
    }

    /// An operation waiting for its machine.
    struct Job: Sendable {
        var order: Int
        var operation: Int
        var earliestStart: Int64
    }

    struct MachineRuntime: Sendable {
        var plant: Int
        /// Index into the plant's machines.
        var local: Int
        /// Global line index.
        var line: Int
        var source: Int
        var step = MachineStep.waiting
        var token: UInt32 = 0
        var queue: [Job] = []
        var job: Job?
        var packMLState = "IDLE"
        var idleSince: Int64?
        var cycleStart: Int64 = 0
        var cycleDuration: Int64 = 0
        var cycleCounter: Int64 = 0
        var idealCycleMs: Int64 = 30_000
        var partsPerCycle = 1
        var nextDisturbanceAt = Int64.max
        var nextDisturbance = Disturbance.minorStop
        var disturbance = Disturbance.minorStop
        var nextBreakAt = Int64.max
        var cycleIdPrefix: String
        /// The standard value keys of the machine's work center, in slot order.
        var activityKeys: [String]
        var downtimeId = ""
        var downtimeStart: Int64 = 0
        var downtimeLoss = Loss.noOrder
        var downtimeReason = ScenarioReason(code: "NONE", codeSet: "none", text: nil, purpose: .scrap)
        var downtimeCounter: Int64 = 0
        // Counters of the operation since its last report.
        var reportStart: Int64 = 0
        var nextReportAt: Int64 = 0
        var good: Int64 = 0
        var scrap: Int64 = 0
        var rework: Int64 = 0
        var runMs: Int64 = 0
        var setupMs: Int64 = 0
        var setupStart: Int64 = 0
        var scrapReason = 0
    }

    struct LineRuntime: Sendable {
        var plant: Int
        /// Index into the plant's lines.
        var local: Int
        /// Global machine indices.
        var machines: [Int]
        var openOrders = 0
        var rotation = 0
        /// Offset of the line's breaks from the plant's break times.
        var breakOffsetMs: Int64
        /// Indices into the plant's reference orders made on this line.
        var referenceOrders: [Int] = []
        /// Runs started per reference order (parallel to `referenceOrders`).
        var referenceRuns: [Int] = []
        /// Whether each reference order is in progress (parallel to `referenceOrders`).
        var referenceOpen: [Bool] = []
        var nextReference = 0
    }

    struct OperationRuntime: Sendable {
        var id: String
        var sequenceId: String
        var machine: Int
        var workCenterId: String
        var controlKey: String
        var confirmationNumber: String?
        var autoGoodsReceipt: Bool
        var earliestStart: Int64
        var good: Int64 = 0
        var done = false
    }

    struct ComponentRuntime: Sendable {
        var material: Int
        var milliPerUnit: Int64
        var operation: Int
        var backflush: Bool
        var item: String
        var storageLocationId: String
        /// The unit the MES reports this component in, when not the base unit.
        var unit: ScenarioMaterial.AlternativeUnit?
    }

    struct OrderRuntime: Sendable {
        var id: String
        var plant: Int
        var line: Int
        var orderType: String
        var product: Int
        var material: Int
        var materialId: String
        var plannedQty: Int64
        var scheduledStart: Int64
        var scheduledEnd: Int64
        var operations: [OperationRuntime]
        var components: [ComponentRuntime]
        var reservation: String
        var outputBatch: String?
        var programId: String
        var palletQty: Int64
        var palletGood: Int64 = 0
        var operationsLeft: Int
        var version: Int
        /// Position in the line's reference orders, for an order of the order master.
        var reference: Int?
        var closed = false
    }

    struct HoldRuntime: Sendable {
        var id: String
        var plant: Int
        var material: Int
        var batch: String
        var orderId: String?
        var targetStockType: String
        var producedMilli: Int64?
        var active = true
    }

    /// A lot staged at line side.
    struct SupplyLot: Sendable {
        var batch: String
        var remainingMilli: Int64
    }

    /// A finished-goods lot recently received.
    struct OutputLot: Sendable {
        var material: Int
        var batch: String
        var orderId: String
        var operationId: String
        var milli: Int64
    }

    struct PlantRuntime: Sendable {
        var downtimeReasons: [[ScenarioReason]]
        var scrapReasons: [ScenarioReason]
        var qualityReasons: [ScenarioReason]
        var inventoryReasons: [ScenarioReason]
        /// Supply lots per material index (component materials only).
        var supply: [[SupplyLot]]
        /// Consumption since the last replenishment signal, per material index.
        var consumedSinceSignal: [Int64]
        /// Replenishment quantity per material index.
        var kanbanMilli: [Int64]
        var recentOutput: [OutputLot] = []
        /// Snapshot lots (indices into the plant's lots) staged in turn, per material index.
        var knownLots: [[Int]]
        var knownLotCursor: [Int]
        var nextOrderNumber: Int64
        var nextConfirmation: Int64
        var lotCounter: Int64 = 0
        var holdCounter: Int64 = 0
        var signalCounter: Int64 = 0
        var inspectionCounter: Int64 = 0
        var personnel: [String]
        var sourceMES: Int
        var sourceOEE: Int
        var sourceERP: Int
        var sourceQMS: Int
        var sourceWMS: Int
    }

    static let shiftMs: Int64 = 8 * CivilTime.hourMs
    /// Orders each line keeps released (more when the order master has more for the line).
    static let openOrdersPerLine = 2
    static let operationIds: [String] = (1...99).map { value in
        let text = String(value * 10)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    let scenario: PlantScenario
    let configuration: SimulatorConfiguration
    /// UTC offsets per plant.
    let zones: [ZoneRules]
    var random: RandomSource
    /// Telemetry samples of line controllers that only speak Sparkplug (no JSON route for the type): their own
    /// stream, so the plant behaves as its JSON twin.
    var sampleRandom: RandomSource
    var now: Int64
    var queue = TimedQueue<Action>()
    var machines: [MachineRuntime] = []
    var lines: [LineRuntime] = []
    var plants: [PlantRuntime] = []
    var orders: [OrderRuntime] = []
    var holds: [HoldRuntime] = []
    var movements: [Movement] = []
    var freeMovements: [Int] = []
    var reservationCounter: Int64 = 20_000_000

    var plantSpecs: [ScenarioPlant] { scenario.plants }

    init(
        scenario: PlantScenario,
        configuration: SimulatorConfiguration,
        zones: [ZoneRules],
        start: Int64,
        firstSource: Int
    ) {
        self.scenario = scenario
        self.configuration = configuration
        self.zones = zones
        random = RandomSource(seed: configuration.seed, stream: 1)
        sampleRandom = RandomSource(seed: configuration.seed, stream: 6)
        now = start
        var nextSource = firstSource
        for (plantIndex, plant) in scenario.plants.enumerated() {
            let lineBase = lines.count
            for (lineIndex, line) in plant.lines.enumerated() {
                let global = line.machines.map { $0 + machines.count }
                lines.append(
                    LineRuntime(
                        plant: plantIndex, local: lineIndex, machines: global,
                        breakOffsetMs: Int64(lineIndex % 4) * 10 * CivilTime.minuteMs))
            }
            for (machineIndex, machine) in plant.machines.enumerated() {
                machines.append(
                    MachineRuntime(
                        plant: plantIndex, local: machineIndex, line: lineBase + machine.lineIndex,
                        source: machines.count, cycleIdPrefix: machine.equipmentId + "-",
                        activityKeys: {
                            let keys = plant.workCenter(machine.workCenterId)?.activityKeys ?? []
                            return keys.isEmpty ? ["SETUP", "MACHINE", "LABOR"] : keys
                        }()))
            }
            var downtime: [[ScenarioReason]] = []
            for loss in Loss.allCases {
                downtime.append(
                    plant.reasons.filter { reason in
                        if case .downtime(let lossType) = reason.purpose { return lossType == loss.name }
                        return false
                    })
            }
            var kanban: [Int64] = []
            var known: [[Int]] = Array(repeating: [], count: plant.materials.count)
            var supply: [[SupplyLot]] = Array(repeating: [], count: plant.materials.count)
            for material in plant.materials.indices {
                let perUnit = plant.products.flatMap(\.components).first { $0.material == material }?.milliPerUnit
                kanban.append(max(1000, (perUnit ?? 1000) * 200))
                let usable = plant.lots.indices.filter {
                    plant.lots[$0].material == material && plant.lots[$0].stockType == "UNRESTRICTED"
                }
                let staged = usable.filter { plant.lots[$0].storageLocationId == plant.issueStorageLocation }
                known[material] = staged + usable.filter { !staged.contains($0) }
                supply[material] = staged.map {
                    SupplyLot(batch: plant.lots[$0].batch, remainingMilli: max(1000, plant.lots[$0].milli))
                }
            }
            let orderNumbers = plant.orders.compactMap { Int64($0.id) }
            let confirmations = plant.orders.flatMap(\.operations).compactMap {
                $0.confirmationNumber.flatMap { Int64($0) }
            }
            plants.append(
                PlantRuntime(
                    downtimeReasons: downtime, scrapReasons: plant.reasons(for: .scrap),
                    qualityReasons: plant.reasons(for: .quality), inventoryReasons: plant.reasons(for: .inventoryScrap),
                    supply: supply, consumedSinceSignal: Array(repeating: 0, count: plant.materials.count),
                    kanbanMilli: kanban, knownLots: known,
                    knownLotCursor: known.indices.map { material in
                        known[material].filter { plant.lots[$0].storageLocationId == plant.issueStorageLocation }.count
                    },
                    nextOrderNumber: (orderNumbers.max() ?? Int64(plantIndex + 1) * 1_000_000) + 1,
                    nextConfirmation: ((confirmations.max() ?? Int64(plantIndex + 1) * 1_000_000) / 10 + 1) * 10,
                    personnel: (1...12).map { "P\(plantIndex + 1)\(String(1000 + $0 * 7))" },
                    sourceMES: nextSource, sourceOEE: nextSource + 1, sourceERP: nextSource + 2,
                    sourceQMS: nextSource + 3, sourceWMS: nextSource + 4))
            for (position, order) in plant.orders.enumerated() {
                let line = lineBase + order.line
                lines[line].referenceOrders.append(position)
                lines[line].referenceRuns.append(0)
                lines[line].referenceOpen.append(false)
            }
            nextSource += 5
        }
    }

    /// The encoder's sources in the order the state refers to them: one edge source per machine, then
    /// five per plant (MES, OEE, ERP, QMS, WMS).
    static func sources(for scenario: PlantScenario) -> [EventEncoder.Source] {
        var sources: [EventEncoder.Source] = []
        for plant in scenario.plants {
            for machine in plant.machines {
                sources.append(EventEncoder.Source(uri: "edge://\(plant.id)/\(machine.lineId)/\(machine.equipmentId)"))
            }
        }
        for plant in scenario.plants {
            sources.append(EventEncoder.Source(uri: "mes://\(plant.id)/mes1"))
            sources.append(EventEncoder.Source(uri: "mes://\(plant.id)/oee"))
            sources.append(EventEncoder.Source(uri: "erp://\(plant.id)/s4"))
            sources.append(EventEncoder.Source(uri: "qms://\(plant.id)/lims"))
            sources.append(EventEncoder.Source(uri: "wms://\(plant.id)/ewm"))
        }
        return sources
    }

    /// Schedules the first actions: an initial state per machine, orders per line, holds, telemetry.
    mutating func begin(_ encoder: inout EventEncoder) {
        for index in machines.indices {
            machines[index].idleSince = now
            machines[index].nextBreakAt = nextBreak(after: now, machine: index)
            emitState(index, "IDLE", category: "IDLE", reason: nil, &encoder)
            if configuration.telemetryIntervalSeconds > 0 {
                let interval = Int64(configuration.telemetryIntervalSeconds) * CivilTime.secondMs
                queue.push(.telemetry(index), at: now + random.int64(in: 0...(interval - 1)))
            }
        }
        for index in lines.indices where !plantSpecs[lines[index].plant].lines[lines[index].local].products.isEmpty {
            for _ in 0..<max(Self.openOrdersPerLine, lines[index].referenceOrders.count) {
                releaseOrder(line: index, initial: true, &encoder)
            }
        }
        for index in plants.indices {
            if configuration.holdsPerPlantPerDay > 0 {
                queue.push(.createHold(plant: index), at: now + holdInterval())
            }
            queue.push(.inventoryScrap(plant: index), at: now + inventoryScrapInterval())
        }
    }

    /// Runs the next action; returns `false` when nothing is left to do.
    mutating func step(_ encoder: inout EventEncoder) -> Bool {
        guard let (time, action) = queue.pop() else { return false }
        if time > now { now = time }
        encoder.releaseDelayed(upTo: now)
        switch action {
        case .machine(let index, let token):
            guard machines[index].token == token else { return true }
            runMachineStep(index, &encoder)
        case .telemetry(let index):
            emitTelemetry(index, &encoder)
            queue.push(.telemetry(index), at: now + Int64(configuration.telemetryIntervalSeconds) * 1000)
        case .releaseOrder(let line):
            if lines[line].openOrders < Self.openOrdersPerLine { releaseOrder(line: line, initial: false, &encoder) }
        case .closeOrder(let order):
            closeOrder(order, &encoder)
        case .createHold(let plant):
            createHold(plant: plant, &encoder)
            queue.push(.createHold(plant: plant), at: now + holdInterval())
        case .releaseHold(let hold):
            releaseHold(hold, &encoder)
        case .inventoryScrap(let plant):
            recordInventoryScrap(plant: plant, &encoder)
            queue.push(.inventoryScrap(plant: plant), at: now + inventoryScrapInterval())
        case .move(let index):
            let movement = movements[index]
            freeMovements.append(index)
            if movement.delivery {
                deliverLot(
                    plant: movement.plant, material: movement.material, batch: movement.batch, milli: movement.milli,
                    &encoder)
            } else {
                movePallet(
                    plant: movement.plant, material: movement.material, batch: movement.batch, milli: movement.milli,
                    &encoder)
            }
        }
        return true
    }

    /// Schedules a stock movement (actions stay plain values: no strings in the queue).
    mutating func schedule(_ movement: Movement, at time: Int64) {
        let index: Int
        if let free = freeMovements.popLast() {
            movements[free] = movement
            index = free
        } else {
            movements.append(movement)
            index = movements.count - 1
        }
        queue.push(.move(index), at: time)
    }

    /// Sets the machine's next step, cancelling the one it had.
    mutating func schedule(_ machine: Int, _ step: MachineStep, at time: Int64) {
        machines[machine].token &+= 1
        machines[machine].step = step
        queue.push(.machine(machine, token: machines[machine].token), at: max(time, now))
    }

    private mutating func holdInterval() -> Int64 {
        let mean = 86_400_000.0 / configuration.holdsPerPlantPerDay
        return max(60_000, Int64(random.exponential(mean: mean)))
    }

    private mutating func inventoryScrapInterval() -> Int64 {
        max(60_000, Int64(random.exponential(mean: 86_400_000.0 / 2)))
    }

    /// A random reason from `reasons`, or a generated one when the reference data has none.
    mutating func pick(_ reasons: [ScenarioReason], fallback code: String, plant: Int) -> ScenarioReason {
        if reasons.isEmpty {
            return ScenarioReason(code: code, codeSet: plantSpecs[plant].codeSet, text: nil, purpose: .scrap)
        }
        return reasons[random.index(reasons.count)]
    }

    /// The next break of the machine's line after `time`: the plant's break times (every 4 h into each
    /// shift of its calendar), staggered per line; a break lasts 30 minutes.
    func nextBreak(after time: Int64, machine: Int) -> Int64 {
        let plant = machines[machine].plant
        let zone = plantZone(plant)
        let midnight = zone.startOfLocalDay(zone.localDay(at: time))
        let offset = lines[machines[machine].line].breakOffsetMs
        for day in 0...1 {
            for breakTime in plantSpecs[plant].breakTimes {
                let candidate = midnight + Int64(day) * CivilTime.dayMs + breakTime + offset
                if candidate > time { return candidate }
            }
        }
        return time + Self.shiftMs
    }

    func plantZone(_ plant: Int) -> ZoneRules { zones[plant] }

    /// The next lot staged at line side: the ERP snapshot's batches of the material in turn (so holds and
    /// stock look-ups find them), or a new batch when the snapshot has none.
    mutating func nextSupplyLot(plant: Int, material: Int, defaultMilli: Int64) -> SupplyLot {
        let known = plants[plant].knownLots[material]
        if !known.isEmpty {
            let lot = plantSpecs[plant].lots[known[plants[plant].knownLotCursor[material] % known.count]]
            plants[plant].knownLotCursor[material] += 1
            return SupplyLot(batch: lot.batch, remainingMilli: lot.milli > 0 ? lot.milli : defaultMilli)
        }
        return SupplyLot(batch: newBatch(plant: plant, finished: false), remainingMilli: defaultMilli)
    }

    /// A new batch id of the plant: `F` (finished) or `R` (raw) and seven digits.
    mutating func newBatch(plant: Int, finished: Bool) -> String {
        plants[plant].lotCounter += 1
        let number = String(plants[plant].lotCounter + Int64(plant) * 1_000_000)
        return (finished ? "F" : "R") + String(repeating: "0", count: max(0, 7 - number.count)) + number
    }
}
