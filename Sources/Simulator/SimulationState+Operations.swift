import JSON
import Timekeeping

/// Operations: start, partial reports every 4–6 minutes, completion; the material they consume and the
/// finished goods the last operation of an order receives.
extension SimulationState {
    /// The standard value keys of a work center (its slots), or SETUP, MACHINE, LABOR.
    func activityKeys(plant: Int, workCenter: String) -> [String] {
        let keys = plantSpecs[plant].workCenter(workCenter)?.activityKeys ?? []
        return keys.isEmpty ? ["SETUP", "MACHINE", "LABOR"] : keys
    }

    /// A header for an MES event about the machine's current operation.
    func operationHeader(_ type: EventType, _ machine: Int, job: Job) -> EventEncoder.Header {
        let order = orders[job.order]
        let operationId = order.operations[job.operation].id
        var header = EventEncoder.Header(
            type: type, plant: order.plant, machine: machine, source: plants[order.plant].sourceMES,
            occurredAt: now)
        header.subject = "order/\(order.id)/op/\(operationId)"
        header.correlationId = order.id
        header.keys.orderId = order.id
        header.keys.operationId = operationId
        return header
    }

    mutating func emitOperationStarted(_ machine: Int, phase: String, _ encoder: inout EventEncoder) {
        guard let job = machines[machine].job, encoder.isEmitted(.operationStarted) else { return }
        let order = orders[job.order]
        let operation = order.operations[job.operation]
        let startedAt = now
        let offset = plantZone(order.plant).offsetSeconds(at: startedAt)
        encoder.emit(operationHeader(.operationStarted, machine, job: job)) { writer in
            writer.beginObject()
            Self.writeOperationReference(order, operation, to: &writer)
            writer.name("startedAt")
            writer.timestamp(startedAt, offsetSeconds: offset)
            writer.name("phase")
            writer.string(phase)
            writer.endObject()
        }
    }

    /// The operation's good quantity reached the planned quantity: final report, then the next job.
    mutating func completeOperation(_ machine: Int, _ encoder: inout EventEncoder) {
        guard let job = machines[machine].job else { return }
        reportOperation(machine, final: true, &encoder)
        orders[job.order].operations[job.operation].done = true
        orders[job.order].operationsLeft -= 1
        if orders[job.order].operationsLeft == 0 { finishOrder(job.order) }
        takeNextJob(machine, &encoder)
    }

    /// Writes `operation.reported` (or `operation.completed` when `final`) for the quantities since the
    /// last report, with the material consumed and, for the last operation, received.
    mutating func reportOperation(_ machine: Int, final: Bool, _ encoder: inout EventEncoder) {
        guard let job = machines[machine].job else { return }
        let order = orders[job.order]
        let plant = order.plant
        let operation = order.operations[job.operation]
        let material = plantSpecs[plant].materials[order.material]
        let state = machines[machine]
        let start = state.reportStart
        let end = now
        let zone = plantZone(plant)
        let isLast = job.operation == order.operations.count - 1
        let scrapReason: ScenarioReason? =
            state.scrap > 0 ? pick(plants[plant].scrapReasons, fallback: "SCRAP", plant: plant) : nil
        let keys = machines[operation.machine].activityKeys
        let crew = plants[plant].personnel
        let firstPerson = random.index(crew.count)
        let secondPerson = random.chance(0.3) ? (firstPerson + 1) % crew.count : nil
        let type: EventType = final ? .operationCompleted : .operationReported
        encoder.emit(operationHeader(type, machine, job: job)) { writer in
            writer.beginObject()
            Self.writeOperationReference(order, operation, to: &writer)
            writer.name("interval")
            writer.beginObject()
            writer.name("start")
            writer.timestamp(start, offsetSeconds: zone.offsetSeconds(at: start))
            writer.name("end")
            writer.timestamp(end, offsetSeconds: zone.offsetSeconds(at: end))
            writer.endObject()
            writer.name("yield")
            writer.quantity(milli: state.good * 1000, decimals: material.decimals, uom: material.baseUom)
            writer.name("scrap")
            writer.quantity(milli: state.scrap * 1000, decimals: material.decimals, uom: material.baseUom)
            writer.name("rework")
            writer.quantity(milli: state.rework * 1000, decimals: material.decimals, uom: material.baseUom)
            if let scrapReason {
                writer.name("scrapReason")
                writer.reason(scrapReason)
            }
            writer.name("activities")
            writer.beginArray()
            for key in keys {
                let duration: Int64
                switch key {
                case "SETUP": duration = state.setupMs
                case "MACHINE", "LABOR": duration = state.runMs
                default: continue
                }
                if key == "SETUP" && duration == 0 { continue }
                writer.beginObject()
                writer.name("activityKey")
                writer.string(key)
                writer.name("duration")
                writer.minutes(ms: duration)
                writer.endObject()
            }
            writer.endArray()
            writer.name("personnelIds")
            writer.beginArray()
            writer.string(crew[firstPerson])
            if let secondPerson { writer.string(crew[secondPerson]) }
            writer.endArray()
            if final {
                writer.name("completedAt")
                writer.timestamp(end, offsetSeconds: zone.offsetSeconds(at: end))
                writer.name("clearOpenReservations")
                writer.bool(isLast)
            }
            writer.endObject()
        }
        let processed = state.good + state.scrap
        consume(order: job.order, operation: job.operation, units: processed, machine: machine, &encoder)
        if isLast {
            orders[job.order].palletGood += state.good
            if orders[job.order].palletGood >= order.palletQty || (final && orders[job.order].palletGood > 0) {
                receive(order: job.order, machine: machine, &encoder)
            }
        }
        if !final && random.chance(0.04) {
            recordYieldLoss(order: job.order, operation: job.operation, machine: machine, &encoder)
        }
        machines[machine].reportStart = now
        machines[machine].nextReportAt = now + random.int64(in: 240_000...360_000)
        machines[machine].good = 0
        machines[machine].scrap = 0
        machines[machine].rework = 0
        machines[machine].runMs = 0
        machines[machine].setupMs = 0
    }

    /// Writes `material.consumed` for the components the operation uses, drawing batch-managed
    /// components from the lots staged at line side; signals replenishment when a kanban empties.
    mutating func consume(order index: Int, operation: Int, units: Int64, machine: Int, _ encoder: inout EventEncoder) {
        guard units > 0 else { return }
        let order = orders[index]
        let plant = order.plant
        for component in order.components where component.operation == operation {
            var milli = units * component.milliPerUnit
            guard milli > 0 else { continue }
            let material = plantSpecs[plant].materials[component.material]
            plants[plant].consumedSinceSignal[component.material] += milli
            if material.batchManaged {
                while milli > 0 {
                    if plants[plant].supply[component.material].isEmpty {
                        let size = component.milliPerUnit * random.int64(in: 150...500)
                        let lot = nextSupplyLot(plant: plant, material: component.material, defaultMilli: size)
                        plants[plant].supply[component.material].append(lot)
                    }
                    let lot = plants[plant].supply[component.material][0]
                    let take = min(milli, lot.remainingMilli)
                    emitConsumed(
                        order: index, component: component, milli: take, batch: lot.batch, machine: machine, &encoder)
                    plants[plant].supply[component.material][0].remainingMilli -= take
                    if plants[plant].supply[component.material][0].remainingMilli <= 0 {
                        plants[plant].supply[component.material].removeFirst()
                    }
                    milli -= take
                }
            } else {
                emitConsumed(order: index, component: component, milli: milli, batch: nil, machine: machine, &encoder)
            }
            if plants[plant].consumedSinceSignal[component.material] >= plants[plant].kanbanMilli[component.material] {
                plants[plant].consumedSinceSignal[component.material] = 0
                requestReplenishment(plant: plant, material: component.material, &encoder)
            }
        }
    }

    mutating func emitConsumed(
        order index: Int,
        component: ComponentRuntime,
        milli: Int64,
        batch: String?,
        machine: Int,
        _ encoder: inout EventEncoder
    ) {
        guard encoder.isEmitted(.materialConsumed) else { return }
        let order = orders[index]
        let material = plantSpecs[order.plant].materials[component.material]
        let operationId = order.operations[component.operation].id
        let mode: String
        if component.backflush {
            mode = "BACKFLUSHED"
        } else if ["KGM", "GRM", "TNE", "LBR"].contains(material.baseUom) {
            mode = "WEIGHED"
        } else {
            mode = "SCANNED"
        }
        var alternative: (uom: String, milli: Int64)?
        if let unit = component.unit {
            let (scaled, overflow) = milli.multipliedReportingOverflow(by: unit.denominator)
            if !overflow, scaled % unit.numerator == 0 { alternative = (unit.uom, scaled / unit.numerator) }
        }
        var header = EventEncoder.Header(
            type: .materialConsumed, plant: order.plant, machine: machine, source: plants[order.plant].sourceMES,
            occurredAt: now)
        header.correlationId = order.id
        header.keys.orderId = order.id
        header.keys.operationId = operationId
        header.keys.materialId = material.id
        header.keys.lotBatchId = batch
        header.keys.storageLocationId = component.storageLocationId
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("orderId")
            writer.string(order.id)
            writer.name("operationId")
            writer.string(operationId)
            writer.name("reservation")
            writer.beginObject()
            writer.name("id")
            writer.string(order.reservation)
            writer.name("item")
            writer.string(component.item)
            writer.endObject()
            writer.name("materialId")
            writer.string(material.id)
            if let batch {
                writer.name("lot")
                writer.lot(batch)
            }
            writer.name("qty")
            if let alternative {
                writer.quantity(milli: alternative.milli, decimals: 3, uom: alternative.uom)
            } else {
                writer.quantity(milli: milli, decimals: Self.decimals(milli, material), uom: material.baseUom)
            }
            writer.name("storageLocationId")
            writer.string(component.storageLocationId)
            writer.name("mode")
            writer.string(mode)
            writer.endObject()
        }
    }

    /// The fraction digits to write `milli` thousandths of the material's base unit exactly.
    static func decimals(_ milli: Int64, _ material: ScenarioMaterial) -> Int {
        var decimals = min(3, max(0, material.decimals))
        while decimals < 3 {
            var divisor: Int64 = 1
            for _ in decimals..<3 { divisor *= 10 }
            if milli % divisor == 0 { break }
            decimals += 1
        }
        return decimals
    }

    /// Writes `material.produced` for the pallet of the order's last operation.
    mutating func receive(order index: Int, machine: Int, _ encoder: inout EventEncoder) {
        let order = orders[index]
        let plant = order.plant
        let quantity = order.palletGood
        orders[index].palletGood = 0
        let material = plantSpecs[plant].materials[order.material]
        let storage = material.productionStorageLocation ?? plantSpecs[plant].productionStorageLocation
        let zone = plantZone(plant)
        let day = CivilTime.floorDiv(now + Int64(zone.offsetSeconds(at: now)) * 1000, CivilTime.dayMs)
        let batch = order.outputBatch
        let milli = quantity * 1000
        var header = EventEncoder.Header(
            type: .materialProduced, plant: plant, machine: machine, source: plants[plant].sourceMES, occurredAt: now)
        header.correlationId = order.id
        header.keys.orderId = order.id
        header.keys.materialId = material.id
        header.keys.lotBatchId = batch
        header.keys.storageLocationId = storage
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("orderId")
            writer.string(order.id)
            writer.name("materialId")
            writer.string(material.id)
            if let batch {
                writer.name("lot")
                writer.lot(batch)
            }
            writer.name("qty")
            writer.quantity(milli: milli, decimals: material.decimals, uom: material.baseUom)
            writer.name("storageLocationId")
            writer.string(storage)
            writer.name("productionType")
            writer.literal("MAIN")
            writer.name("manufactureDate")
            writer.date(days: day)
            if let shelfLife = material.shelfLifeDays {
                writer.name("shelfLifeExpirationDate")
                writer.date(days: day + Int64(shelfLife))
            }
            writer.endObject()
        }
        let lastOperation = order.operations[order.operations.count - 1].id
        if let batch {
            if let existing = plants[plant].recentOutput.firstIndex(where: { $0.batch == batch }) {
                plants[plant].recentOutput[existing].milli += milli
            } else {
                plants[plant].recentOutput.append(
                    OutputLot(
                        material: order.material, batch: batch, orderId: order.id, operationId: lastOperation,
                        milli: milli))
                if plants[plant].recentOutput.count > 16 { plants[plant].recentOutput.removeFirst() }
            }
        }
        if random.chance(0.25) {
            inspect(order: index, batch: batch, operationId: lastOperation, &encoder)
        }
        if random.chance(0.3), storage != plantSpecs[plant].finishedStorageLocation {
            schedule(
                Movement(delivery: false, plant: plant, material: order.material, batch: batch, milli: milli),
                at: now + random.int64(in: 10...40) * CivilTime.minuteMs)
        }
    }

    /// `orderId`, `operationId`, `sequenceId` and `workCenterId`: the members every operation event starts with.
    static func writeOperationReference(
        _ order: OrderRuntime, _ operation: OperationRuntime, to writer: inout JSONWriter
    ) {
        writer.name("orderId")
        writer.string(order.id)
        writeOperationIdentity(operation, to: &writer)
    }

    /// `operationId`, `sequenceId` and `workCenterId` of an operation.
    static func writeOperationIdentity(_ operation: OperationRuntime, to writer: inout JSONWriter) {
        writer.name("operationId")
        writer.string(operation.id)
        writer.name("sequenceId")
        writer.string(operation.sequenceId)
        writer.name("workCenterId")
        writer.string(operation.workCenterId)
    }
}
