import JSON
import Timekeeping

/// Production orders: release to the shop floor (routing across the line's machines, components from the
/// bill of materials) and technical completion after the last operation.
extension SimulationState {
    /// Releases the line's next order and queues its operations on the line's machines: the next order of
    /// the order master that is not in progress (run again once all have run, unless new orders are
    /// configured), or a new order for one of the line's products.
    ///
    /// - Parameter initial: Orders released at the start begin within minutes; later ones 30–90 min ahead.
    mutating func releaseOrder(line: Int, initial: Bool, _ encoder: inout EventEncoder) {
        let lineState = lines[line]
        let plant = lineState.plant
        let spec = plantSpecs[plant]
        let lineSpec = spec.lines[lineState.local]
        guard !lineSpec.products.isEmpty, !lineState.machines.isEmpty else { return }
        let lead = (initial ? random.int64(in: 1...10) : random.int64(in: 30...90)) * CivilTime.minuteMs
        let start = now + lead
        var reference: Int?
        let references = lineState.referenceOrders
        if !references.isEmpty {
            for step in 0..<references.count {
                let position = (lineState.nextReference + step) % references.count
                let exhausted = configuration.releasesNewOrders && lineState.referenceRuns[position] > 0
                if !lineState.referenceOpen[position] && !exhausted {
                    reference = position
                    break
                }
            }
            if reference == nil && !configuration.releasesNewOrders { return }
        }
        var operations: [OperationRuntime] = []
        var earliest = start
        let product: Int
        let orderId: String
        let plannedQty: Int64
        let orderType: String
        var version = 1
        if let reference {
            let master = spec.orders[references[reference]]
            product = master.product
            orderId = master.id
            plannedQty = master.plannedQty
            orderType = master.orderType
            version = lineState.referenceRuns[reference] + 1
            lines[line].referenceRuns[reference] += 1
            lines[line].referenceOpen[reference] = true
            lines[line].nextReference = reference + 1
            let machineBase = machines.firstIndex { $0.plant == plant } ?? 0
            for operation in master.operations {
                operations.append(
                    OperationRuntime(
                        id: operation.id, sequenceId: operation.sequenceId, machine: machineBase + operation.machine,
                        workCenterId: operation.workCenterId, controlKey: operation.controlKey,
                        confirmationNumber: operation.confirmationNumber, autoGoodsReceipt: operation.autoGoodsReceipt,
                        earliestStart: earliest))
                earliest += random.int64(in: 5...15) * CivilTime.minuteMs
            }
        } else {
            product = lineSpec.products[random.index(lineSpec.products.count)]
            let operationCount = random.int(in: 3...6)
            let rotation = lines[line].rotation
            lines[line].rotation += 1
            let operationMachines = (0..<operationCount).map {
                lineState.machines[(rotation + $0) % lineState.machines.count]
            }
            let firstSpec = spec.machines[machines[operationMachines[0]].local]
            let ideal = max(1000, firstSpec.idealCycleMs[product] ?? firstSpec.defaultIdealCycleMs)
            let parts = Int64(max(1, firstSpec.partsPerCycle))
            let minutes = random.int64(in: 60...150)
            plannedQty = max(20, (minutes * CivilTime.minuteMs / ideal * parts) / 10 * 10)
            orderId = String(plants[plant].nextOrderNumber)
            plants[plant].nextOrderNumber += 1
            orderType = "PP01"
            for (position, machine) in operationMachines.enumerated() {
                let machineSpec = spec.machines[machines[machine].local]
                operations.append(
                    OperationRuntime(
                        id: Self.operationIds[position], sequenceId: "0", machine: machine,
                        workCenterId: machineSpec.workCenterId, controlKey: "PP01",
                        confirmationNumber: String(plants[plant].nextConfirmation + Int64(position)),
                        autoGoodsReceipt: position == operationCount - 1, earliestStart: earliest))
                earliest += random.int64(in: 5...15) * CivilTime.minuteMs
            }
            plants[plant].nextConfirmation += 10
        }
        let productSpec = spec.products[product]
        let material = spec.materials[productSpec.material]
        var components: [ComponentRuntime] = []
        for (position, component) in productSpec.components.enumerated() {
            let componentMaterial = spec.materials[component.material]
            let item = String((position + 1) * 10)
            let exact = componentMaterial.alternativeUnits.filter { $0.numerator == 1 }
            let unit =
                !component.backflush && !exact.isEmpty && random.chance(configuration.alternativeUnitShare)
                ? exact[random.index(exact.count)] : nil
            components.append(
                ComponentRuntime(
                    material: component.material, milliPerUnit: component.milliPerUnit,
                    operation: min(component.operationIndex, operations.count - 1), backflush: component.backflush,
                    item: String(repeating: "0", count: max(0, 4 - item.count)) + item,
                    storageLocationId: componentMaterial.issueStorageLocation ?? spec.issueStorageLocation, unit: unit))
        }
        reservationCounter += 1
        let minutes =
            plannedQty * spec.machines[machines[operations[0].machine].local].defaultIdealCycleMs
            / CivilTime.minuteMs
        let order = OrderRuntime(
            id: orderId, plant: plant, line: line, orderType: orderType, product: product,
            material: productSpec.material,
            materialId: material.id,
            plannedQty: plannedQty, scheduledStart: start,
            scheduledEnd: start + (minutes + Int64(operations.count) * 10) * CivilTime.minuteMs,
            operations: operations, components: components, reservation: String(reservationCounter),
            outputBatch: material.batchManaged ? newBatch(plant: plant, finished: true) : nil,
            programId: "NC-" + String(material.id.prefix(40)),
            palletQty: max(10, plannedQty / random.int64(in: 3...6)), operationsLeft: operations.count,
            version: version, reference: reference)
        orders.append(order)
        let index = orders.count - 1
        lines[line].openOrders += 1
        emitOrder(index, type: version == 1 ? .orderReleased : .orderChanged, status: "RELEASED", &encoder)
        for (position, operation) in operations.enumerated() {
            let machine = operation.machine
            machines[machine].queue.append(
                Job(order: index, operation: position, earliestStart: operation.earliestStart))
            if machines[machine].job == nil && machines[machine].step == .waiting {
                schedule(machine, .beginJob, at: machines[machine].queue[0].earliestStart)
            }
        }
    }

    /// The last operation of the order completed: the line releases its next order; an order of its own
    /// (not of the order master) becomes technically complete an hour or two later.
    mutating func finishOrder(_ index: Int) {
        let line = orders[index].line
        lines[line].openOrders -= 1
        if let reference = orders[index].reference { lines[line].referenceOpen[reference] = false }
        queue.push(.releaseOrder(line: line), at: now + random.int64(in: 1...10) * CivilTime.minuteMs)
        if orders[index].reference == nil {
            queue.push(.closeOrder(index), at: now + random.int64(in: 60...120) * CivilTime.minuteMs)
        } else {
            orders[index].operations = []
            orders[index].components = []
        }
    }

    /// The order is technically complete: `order.changed` with the full snapshot.
    mutating func closeOrder(_ index: Int, _ encoder: inout EventEncoder) {
        guard !orders[index].closed else { return }
        orders[index].version += 1
        emitOrder(index, type: .orderChanged, status: "TECHNICALLY_COMPLETE", &encoder)
        orders[index].closed = true
        orders[index].operations = []
        orders[index].components = []
    }

    /// Writes `order.released` or `order.changed` (with `status`) at the order's version.
    mutating func emitOrder(_ index: Int, type: EventType, status: String, _ encoder: inout EventEncoder) {
        guard encoder.isEmitted(type) else { return }
        let order = orders[index]
        let plant = order.plant
        let spec = plantSpecs[plant]
        let material = spec.materials[order.material]
        let zone = plantZone(plant)
        let version = Int64(order.version)
        var setupMilliMinutes: [Int64] = []
        var machineMilliMinutes: [Int64] = []
        var activityKeys: [[String]] = []
        for operation in order.operations {
            let machineSpec = spec.machines[machines[operation.machine].local]
            let ideal = machineSpec.idealCycleMs[order.product] ?? machineSpec.defaultIdealCycleMs
            let parts = Int64(max(1, machineSpec.partsPerCycle))
            setupMilliMinutes.append(15_000)
            // Minutes per unit (the base quantity) in thousandths: ideal ms / parts / 60 000 × 1000.
            machineMilliMinutes.append(max(1, ideal / parts / 60))
            activityKeys.append(self.activityKeys(plant: plant, workCenter: operation.workCenterId))
        }
        var header = EventEncoder.Header(
            type: type, plant: plant, source: plants[plant].sourceERP, occurredAt: now)
        header.subject = "order/\(order.id)"
        header.correlationId = order.id
        header.keys.orderId = order.id
        header.keys.materialId = material.id
        let materials = spec.materials
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("orderId")
            writer.string(order.id)
            if type == .orderChanged {
                writer.name("version")
                writer.int(version)
                writer.name("status")
                writer.string(status)
                writer.name("snapshot")
                writer.beginObject()
                writer.name("orderId")
                writer.string(order.id)
            }
            writer.name("orderType")
            writer.string(order.orderType)
            writer.name("materialId")
            writer.string(material.id)
            writer.name("plannedQty")
            writer.quantity(milli: order.plannedQty * 1000, decimals: material.decimals, uom: material.baseUom)
            writer.name("scheduled")
            writer.beginObject()
            writer.name("start")
            writer.timestamp(order.scheduledStart, offsetSeconds: zone.offsetSeconds(at: order.scheduledStart))
            writer.name("end")
            writer.timestamp(order.scheduledEnd, offsetSeconds: zone.offsetSeconds(at: order.scheduledEnd))
            writer.endObject()
            writer.name("version")
            writer.int(version)
            writer.name("operations")
            writer.beginArray()
            for (position, operation) in order.operations.enumerated() {
                writer.beginObject()
                Self.writeOperationIdentity(operation, to: &writer)
                writer.name("controlKey")
                writer.string(operation.controlKey)
                writer.name("baseQty")
                writer.quantity(milli: 1000, decimals: material.decimals, uom: material.baseUom)
                writer.name("standardValues")
                writer.beginArray()
                for key in activityKeys[position].prefix(6) {
                    let milliMinutes: Int64
                    switch key {
                    case "SETUP": milliMinutes = setupMilliMinutes[position]
                    case "MACHINE", "LABOR": milliMinutes = machineMilliMinutes[position]
                    default: continue
                    }
                    writer.beginObject()
                    writer.name("activityKey")
                    writer.string(key)
                    writer.name("qty")
                    writer.quantity(milli: milliMinutes, decimals: 3, uom: "MIN")
                    writer.endObject()
                }
                writer.endArray()
                if let confirmationNumber = operation.confirmationNumber {
                    writer.name("confirmationNumber")
                    writer.string(confirmationNumber)
                }
                writer.name("autoGoodsReceipt")
                writer.bool(operation.autoGoodsReceipt)
                writer.endObject()
            }
            writer.endArray()
            writer.name("components")
            writer.beginArray()
            for component in order.components {
                let componentMaterial = materials[component.material]
                let required = order.plannedQty * component.milliPerUnit
                writer.beginObject()
                writer.name("reservation")
                writer.beginObject()
                writer.name("id")
                writer.string(order.reservation)
                writer.name("item")
                writer.string(component.item)
                writer.endObject()
                writer.name("materialId")
                writer.string(componentMaterial.id)
                writer.name("requiredQty")
                writer.quantity(
                    milli: required, decimals: Self.decimals(required, componentMaterial),
                    uom: componentMaterial.baseUom)
                writer.name("storageLocationId")
                writer.string(component.storageLocationId)
                writer.name("operationId")
                writer.string(order.operations[component.operation].id)
                writer.name("backflush")
                writer.bool(component.backflush)
                writer.endObject()
            }
            writer.endArray()
            if type == .orderChanged { writer.endObject() }
            writer.endObject()
        }
    }
}
