import JSON
import Timekeeping

/// Machines: setup, cycles, stops, breakdowns, breaks and idle time, with their state and downtime events.
extension SimulationState {
    /// Rates per 8 h shift of running time of minor stops, starvation, blocking, breakdowns and planned
    /// maintenance.
    var disturbanceRates: [Double] { [8, 2.5, 1.5, configuration.breakdownsPerShift, 0.1] }

    mutating func runMachineStep(_ machine: Int, _ encoder: inout EventEncoder) {
        switch machines[machine].step {
        case .waiting: break
        case .beginJob: beginJob(machine, &encoder)
        case .endSetup: endSetup(machine, &encoder)
        case .cycleEnd: endCycle(machine, &encoder)
        case .disturbanceStart: startDisturbance(machine, &encoder)
        case .disturbanceEnd: endDisturbance(machine, &encoder)
        case .breakEnd: endBreak(machine, &encoder)
        }
    }

    /// Takes the next queued operation: the operation starts with its setup.
    mutating func beginJob(_ machine: Int, _ encoder: inout EventEncoder) {
        guard let job = machines[machine].queue.first else {
            machines[machine].step = .waiting
            return
        }
        if job.earliestStart > now {
            schedule(machine, .beginJob, at: job.earliestStart)
            return
        }
        machines[machine].queue.removeFirst()
        if let since = machines[machine].idleSince, now - since >= 2 * CivilTime.minuteMs {
            startDowntime(machine, loss: .noOrder)
            machines[machine].downtimeStart = since
            emitDowntime(machine, loss: .noOrder, open: false, orderId: nil, &encoder)
        }
        machines[machine].idleSince = nil
        machines[machine].job = job
        let order = orders[job.order]
        let spec = plantSpecs[machines[machine].plant].machines[machines[machine].local]
        machines[machine].idealCycleMs = spec.idealCycleMs[order.product] ?? spec.defaultIdealCycleMs
        machines[machine].partsPerCycle = max(1, spec.partsPerCycle)
        emitOperationStarted(machine, phase: "SETUP", &encoder)
        startDowntime(machine, loss: .setupAdjustment)
        emitState(machine, "STOPPED", category: "PLANNED_STOP", reason: machines[machine].downtimeReason, &encoder)
        machines[machine].setupStart = now
        let setup = random.int64(in: 5...20) * CivilTime.minuteMs + random.int64(in: 0...59_999)
        schedule(machine, .endSetup, at: now + setup)
    }

    /// Ends the setup: processing starts.
    mutating func endSetup(_ machine: Int, _ encoder: inout EventEncoder) {
        let orderId = machines[machine].job.map { orders[$0.order].id }
        emitDowntime(machine, loss: .setupAdjustment, open: false, orderId: orderId, &encoder)
        machines[machine].setupMs = now - machines[machine].setupStart
        emitOperationStarted(machine, phase: "PROCESSING", &encoder)
        emitState(machine, "EXECUTE", category: "PRODUCING", reason: nil, &encoder)
        machines[machine].reportStart = machines[machine].setupStart
        machines[machine].nextReportAt = now + random.int64(in: 240_000...360_000)
        machines[machine].good = 0
        machines[machine].scrap = 0
        machines[machine].rework = 0
        machines[machine].runMs = 0
        if machines[machine].nextBreakAt <= now {
            machines[machine].nextBreakAt = nextBreak(after: now, machine: machine)
        }
        sampleDisturbance(machine)
        startCycle(machine)
    }

    mutating func sampleDisturbance(_ machine: Int) {
        let rates = disturbanceRates
        let total = rates.reduce(0, +)
        guard total > 0 else {
            machines[machine].nextDisturbanceAt = Int64.max
            return
        }
        let interval = random.exponential(mean: Double(Self.shiftMs) / total)
        machines[machine].nextDisturbanceAt = now + max(1000, Int64(interval))
        machines[machine].nextDisturbance = Disturbance(rawValue: random.weighted(rates)) ?? .minorStop
    }

    /// Starts a cycle: 2–10 % slower than ideal most of the time; a pending stop may interrupt it.
    mutating func startCycle(_ machine: Int) {
        let ideal = Double(machines[machine].idealCycleMs)
        let factor = 1 + abs(random.normal(mean: 0.04, deviation: 0.03))
        let duration = max(1000, Int64(ideal * factor))
        machines[machine].cycleStart = now
        machines[machine].cycleDuration = duration
        if machines[machine].nextDisturbanceAt < now + duration {
            schedule(machine, .disturbanceStart, at: machines[machine].nextDisturbanceAt)
        } else {
            schedule(machine, .cycleEnd, at: now + duration)
        }
    }

    /// A cycle ends: parts are counted; the operation reports, completes or goes on.
    mutating func endCycle(_ machine: Int, _ encoder: inout EventEncoder) {
        guard let job = machines[machine].job else { return }
        let duration = machines[machine].cycleDuration
        let parts = Int64(machines[machine].partsPerCycle)
        var scrap: Int64 = 0
        var rework: Int64 = 0
        for _ in 0..<parts {
            let draw = random.unit()
            if draw < 0.015 {
                scrap += 1
            } else if draw < 0.02 {
                rework += 1
            }
        }
        let good = parts - scrap - rework
        machines[machine].runMs += duration
        machines[machine].cycleCounter += 1
        machines[machine].good += good
        machines[machine].scrap += scrap
        machines[machine].rework += rework
        orders[job.order].operations[job.operation].good += good
        emitCycle(machine, job: job, total: parts, good: good, rework: rework, duration: duration, &encoder)

        if orders[job.order].operations[job.operation].good >= orders[job.order].plannedQty {
            completeOperation(machine, &encoder)
            return
        }
        if now >= machines[machine].nextReportAt { reportOperation(machine, final: false, &encoder) }
        if now >= machines[machine].nextBreakAt {
            startDowntime(machine, loss: .breakTime)
            emitState(machine, "STOPPED", category: "PLANNED_STOP", reason: machines[machine].downtimeReason, &encoder)
            schedule(machine, .breakEnd, at: now + 30 * CivilTime.minuteMs)
            return
        }
        startCycle(machine)
    }

    mutating func emitCycle(
        _ machine: Int,
        job: Job,
        total: Int64,
        good: Int64,
        rework: Int64,
        duration: Int64,
        _ encoder: inout EventEncoder
    ) {
        guard encoder.isEmitted(.machineCycle) else { return }
        let version = encoder.cycleVersion()
        let orderId = orders[job.order].id
        let programId = orders[job.order].programId
        let materialId = orders[job.order].materialId
        let operationId = orders[job.order].operations[job.operation].id
        let counter = machines[machine].cycleCounter
        let prefix = machines[machine].cycleIdPrefix
        if encoder.isSparkplug(.machineCycle) {
            let reject = UInt64(max(0, total - good - rework))
            encoder.emitSparkplug(
                machineHeader(.machineCycle, machine),
                .parts(good: UInt64(max(0, good)), reject: reject, rework: UInt64(max(0, rework))))
            return
        }
        var header = machineHeader(.machineCycle, machine)
        header.version = version
        header.keys.orderId = orderId
        header.keys.operationId = operationId
        header.keys.materialId = materialId
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("cycleId")
            writer.numberedString(prefix, counter, width: 6)
            writer.member("totalCount", int: total)
            writer.member("goodCount", int: good)
            if version >= 2 { writer.member("reworkCount", int: rework) }
            writer.member("cycleTimeMs", int: duration)
            writer.member("orderId", string: orderId)
            writer.member("operationId", string: operationId)
            writer.member("materialId", string: materialId)
            if version >= 2 { writer.member("programId", string: programId) }
            writer.endObject()
        }
    }

    /// A stop interrupts the running cycle (the partial cycle is not counted).
    mutating func startDisturbance(_ machine: Int, _ encoder: inout EventEncoder) {
        let kind = machines[machine].nextDisturbance
        machines[machine].disturbance = kind
        machines[machine].runMs += now - machines[machine].cycleStart
        let minute = Double(CivilTime.minuteMs)
        let duration: Int64
        switch kind {
        case .minorStop:
            duration = random.int64(in: 15_000...110_000)
            startDowntime(machine, loss: .minorStop)
            emitState(machine, "HELD", category: "UNPLANNED_STOP", reason: machines[machine].downtimeReason, &encoder)
        case .starved, .blocked:
            let minutes = min(30, max(2.5, random.logNormal(median: 4, sigma: 0.5)))
            duration = Int64(minutes * minute)
            startDowntime(machine, loss: kind == .starved ? .starved : .blocked)
            emitState(
                machine, "SUSPENDED", category: kind == .starved ? "STARVED" : "BLOCKED",
                reason: machines[machine].downtimeReason, &encoder)
        case .breakdown:
            let minutes = min(240, max(3, random.logNormal(median: 12, sigma: 0.7)))
            duration = Int64(minutes * minute)
            startDowntime(machine, loss: .equipmentFailure)
            emitState(
                machine, "ABORTED", category: "UNPLANNED_STOP", reason: machines[machine].downtimeReason, &encoder)
            let orderId = machines[machine].job.map { orders[$0.order].id }
            emitDowntime(machine, loss: .equipmentFailure, open: true, orderId: orderId, &encoder)
        case .plannedMaintenance:
            duration = random.int64(in: 20...45) * CivilTime.minuteMs
            startDowntime(machine, loss: .plannedMaintenance)
            emitState(machine, "STOPPED", category: "PLANNED_STOP", reason: machines[machine].downtimeReason, &encoder)
        }
        schedule(machine, .disturbanceEnd, at: now + duration)
    }

    mutating func endDisturbance(_ machine: Int, _ encoder: inout EventEncoder) {
        let orderId = machines[machine].job.map { orders[$0.order].id }
        switch machines[machine].disturbance {
        case .minorStop: break
        case .starved: emitDowntime(machine, loss: .starved, open: false, orderId: orderId, &encoder)
        case .blocked: emitDowntime(machine, loss: .blocked, open: false, orderId: orderId, &encoder)
        case .breakdown: emitDowntime(machine, loss: .equipmentFailure, open: false, orderId: orderId, &encoder)
        case .plannedMaintenance:
            emitDowntime(machine, loss: .plannedMaintenance, open: false, orderId: orderId, &encoder)
        }
        emitState(machine, "EXECUTE", category: "PRODUCING", reason: nil, &encoder)
        sampleDisturbance(machine)
        startCycle(machine)
    }

    mutating func endBreak(_ machine: Int, _ encoder: inout EventEncoder) {
        let orderId = machines[machine].job.map { orders[$0.order].id }
        emitDowntime(machine, loss: .breakTime, open: false, orderId: orderId, &encoder)
        machines[machine].nextBreakAt = nextBreak(after: now, machine: machine)
        emitState(machine, "EXECUTE", category: "PRODUCING", reason: nil, &encoder)
        sampleDisturbance(machine)
        startCycle(machine)
    }

    /// After an operation completes: the next queued operation, or idle.
    mutating func takeNextJob(_ machine: Int, _ encoder: inout EventEncoder) {
        machines[machine].job = nil
        if let next = machines[machine].queue.first, next.earliestStart <= now {
            machines[machine].idleSince = now
            schedule(machine, .beginJob, at: now)
            return
        }
        emitState(machine, "IDLE", category: "IDLE", reason: nil, &encoder)
        machines[machine].idleSince = now
        if let next = machines[machine].queue.first {
            schedule(machine, .beginJob, at: next.earliestStart)
        } else {
            machines[machine].token &+= 1
            machines[machine].step = .waiting
        }
    }

    // MARK: Downtime and state events

    /// Opens a downtime episode: a new id, its start and its reason.
    mutating func startDowntime(_ machine: Int, loss: Loss) {
        machines[machine].downtimeCounter += 1
        machines[machine].downtimeId =
            "DT-" + plantSpecs[machines[machine].plant].machines[machines[machine].local].equipmentId + "-"
            + String(machines[machine].downtimeCounter)
        machines[machine].downtimeStart = now
        machines[machine].downtimeLoss = loss
        let plant = machines[machine].plant
        machines[machine].downtimeReason = pick(
            plants[plant].downtimeReasons[loss.rawValue], fallback: loss.name.replacing("_", with: "-"),
            plant: plant)
    }

    /// Writes `downtime.recorded` for the machine's current episode (OPEN, or CLOSED ending now).
    mutating func emitDowntime(
        _ machine: Int,
        loss: Loss,
        open: Bool,
        orderId: String?,
        _ encoder: inout EventEncoder
    ) {
        let start = machines[machine].downtimeStart
        let end = now
        let zone = plantZone(machines[machine].plant)
        let downtimeId = machines[machine].downtimeId
        let reason = machines[machine].downtimeReason
        let category: String
        switch loss {
        case _ where reason.notScheduled: category = "NOT_SCHEDULED"
        case .equipmentFailure, .minorStop, .starved, .blocked: category = "UNPLANNED"
        case .setupAdjustment, .plannedMaintenance, .breakTime: category = "PLANNED"
        case .noOrder: category = "NOT_SCHEDULED"
        }
        var header = machineHeader(.downtimeRecorded, machine)
        header.source = plants[machines[machine].plant].sourceOEE
        header.keys.downtimeId = downtimeId
        header.keys.orderId = orderId
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("downtimeId")
            writer.string(downtimeId)
            writer.name("status")
            writer.string(open ? "OPEN" : "CLOSED")
            writer.name("interval")
            writer.beginObject()
            writer.name("start")
            writer.timestamp(start, offsetSeconds: zone.offsetSeconds(at: start))
            if !open {
                writer.name("end")
                writer.timestamp(end, offsetSeconds: zone.offsetSeconds(at: end))
            }
            writer.endObject()
            writer.name("category")
            writer.string(category)
            writer.name("lossType")
            writer.string(loss.name)
            writer.name("reason")
            writer.reason(reason)
            writer.name("breakdown")
            writer.bool(loss == .equipmentFailure)
            if let orderId {
                writer.name("orderId")
                writer.string(orderId)
            }
            writer.endObject()
        }
    }

    /// Writes `machine.state` and remembers the new state.
    mutating func emitState(
        _ machine: Int,
        _ state: String,
        category: String,
        reason: ScenarioReason?,
        _ encoder: inout EventEncoder
    ) {
        let previous = machines[machine].packMLState
        machines[machine].packMLState = state
        let since = now
        if encoder.isSparkplug(.machineState) {
            encoder.emitSparkplug(machineHeader(.machineState, machine), .state(Self.packMLCode(state)))
            return
        }
        let offset = plantZone(machines[machine].plant).offsetSeconds(at: since)
        encoder.emit(machineHeader(.machineState, machine)) { writer in
            writer.beginObject()
            writer.name("state")
            writer.string(state)
            writer.name("category")
            writer.string(category)
            writer.name("since")
            writer.timestamp(since, offsetSeconds: offset)
            if previous != state {
                writer.name("previousState")
                writer.string(previous)
            }
            if let reason {
                writer.name("reason")
                writer.reason(reason)
            }
            writer.endObject()
        }
    }

    /// The PackML state number (ISA-TR88.00.02, as PackTags `StateCurrent` carries it) of a state name.
    static func packMLCode(_ state: String) -> Int32 {
        switch state {
        case "CLEARING": 1
        case "STOPPED": 2
        case "STARTING": 3
        case "IDLE": 4
        case "SUSPENDED": 5
        case "EXECUTE": 6
        case "STOPPING": 7
        case "ABORTING": 8
        case "ABORTED": 9
        case "HOLDING": 10
        case "HELD": 11
        case "UNHOLDING": 12
        case "SUSPENDING": 13
        case "UNSUSPENDING": 14
        case "RESETTING": 15
        case "COMPLETING": 16
        case "COMPLETE": 17
        default: 0
        }
    }

    /// A header for an event of the machine's edge source at the current instant.
    func machineHeader(_ type: EventType, _ machine: Int) -> EventEncoder.Header {
        EventEncoder.Header(
            type: type, plant: machines[machine].plant, machine: machine, source: machines[machine].source,
            occurredAt: now)
    }
}
