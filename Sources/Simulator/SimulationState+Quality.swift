import JSON
import Timekeeping

/// Quality: inspection results, holds on finished-goods and component lots and their release (some as
/// scrap), yield-loss and inventory scrap.
extension SimulationState {
    /// What a hold covers.
    struct HoldTarget {
        var material: Int
        var batch: String
        var orderId: String?
        var producedMilli: Int64?
    }

    /// Whether an active hold covers the lot; returns its target stock type.
    func activeHold(plant: Int, material: Int, batch: String?) -> String? {
        guard let batch else { return nil }
        return holds.last { $0.active && $0.plant == plant && $0.material == material && $0.batch == batch }?
            .targetStockType
    }

    /// Creates a hold on a recently received finished-goods lot or a component lot in use (or `target`).
    mutating func createHold(
        plant: Int, target: HoldTarget? = nil, causation: EventID? = nil, _ encoder: inout EventEncoder
    ) {
        var chosen = target
        var holdType = "LOT"
        let snapshot = plantSpecs[plant].lots
        if chosen == nil && !snapshot.isEmpty {
            // The ERP stock snapshot knows these batches: prefer the one being consumed at line side.
            let inUse = plants[plant].supply.indices.compactMap { material -> HoldTarget? in
                guard let batch = plants[plant].supply[material].first?.batch,
                    snapshot.contains(where: { $0.material == material && $0.batch == batch })
                else { return nil }
                return HoldTarget(material: material, batch: batch)
            }
            let holdable = snapshot.filter { $0.stockType != "BLOCKED" }
            if !inUse.isEmpty && (holdable.isEmpty || random.chance(0.6)) {
                chosen = inUse[random.index(inUse.count)]
            } else if !holdable.isEmpty {
                let lot = holdable[random.index(holdable.count)]
                chosen = HoldTarget(material: lot.material, batch: lot.batch)
            }
        }
        if chosen == nil {
            let output = plants[plant].recentOutput
            let components = plants[plant].supply.indices.filter { !plants[plant].supply[$0].isEmpty }
            if !output.isEmpty && (components.isEmpty || random.chance(0.5)) {
                let lot = output[random.index(output.count)]
                chosen = HoldTarget(
                    material: lot.material, batch: lot.batch, orderId: lot.orderId, producedMilli: lot.milli)
                if random.chance(0.4) { holdType = "ORDER_OUTPUT" }
            } else if !components.isEmpty {
                let material = components[random.index(components.count)]
                chosen = HoldTarget(material: material, batch: plants[plant].supply[material][0].batch)
            }
        }
        guard let chosen, activeHold(plant: plant, material: chosen.material, batch: chosen.batch) == nil else {
            return
        }
        let spec = plantSpecs[plant]
        let material = spec.materials[chosen.material]
        plants[plant].holdCounter += 1
        let holdId = "QH-\(spec.id)-" + Self.padded(plants[plant].holdCounter, 6)
        let targetStockType = ["BLOCKED", "QUALITY_INSPECTION", "RESTRICTED_BATCH"][random.weighted([0.65, 0.25, 0.1])]
        let reason = pick(plants[plant].qualityReasons, fallback: "QDEFECT", plant: plant)
        let requestedBy = "QM\(plant + 1)0\(random.int(in: 1...5))"
        let orderId = holdType == "ORDER_OUTPUT" ? chosen.orderId : nil
        holds.append(
            HoldRuntime(
                id: holdId, plant: plant, material: chosen.material, batch: chosen.batch, orderId: orderId,
                targetStockType: targetStockType, producedMilli: chosen.producedMilli))
        var header = EventEncoder.Header(
            type: .qualityHoldCreated, plant: plant, source: plants[plant].sourceQMS, occurredAt: now)
        header.subject = "hold/" + holdId
        header.correlationId = chosen.orderId
        header.causationId = causation
        header.keys.holdId = holdId
        header.keys.materialId = material.id
        header.keys.lotsBatchId = chosen.batch
        header.keys.orderId = orderId
        let batch = chosen.batch
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("holdId")
            writer.string(holdId)
            writer.name("holdType")
            writer.string(holdType)
            writer.name("materialId")
            writer.string(material.id)
            writer.name("lots")
            writer.beginArray()
            writer.lot(batch)
            writer.endArray()
            if let orderId {
                writer.name("orderId")
                writer.string(orderId)
            }
            writer.name("targetStockType")
            writer.string(targetStockType)
            writer.name("reason")
            writer.reason(reason)
            writer.name("requestedBy")
            writer.string(requestedBy)
            writer.endObject()
        }
        let delay = random.int64(in: 60...480) * CivilTime.minuteMs + random.int64(in: 0...59_999)
        queue.push(.releaseHold(holds.count - 1), at: now + delay)
    }

    /// Decides a hold: released, or (for the configured share) scrapped.
    mutating func releaseHold(_ index: Int, _ encoder: inout EventEncoder) {
        guard holds[index].active else { return }
        holds[index].active = false
        let hold = holds[index]
        let material = plantSpecs[hold.plant].materials[hold.material]
        let scrap = random.chance(configuration.holdScrapShare)
        let decidedBy = "QM\(hold.plant + 1)0\(random.int(in: 1...5))"
        var header = EventEncoder.Header(
            type: .qualityHoldReleased, plant: hold.plant, source: plants[hold.plant].sourceQMS, occurredAt: now)
        header.subject = "hold/" + hold.id
        header.correlationId = hold.orderId
        header.keys.holdId = hold.id
        header.keys.linesBatchId = hold.batch
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("holdId")
            writer.string(hold.id)
            writer.name("decidedBy")
            writer.string(decidedBy)
            writer.name("lines")
            writer.beginArray()
            writer.beginObject()
            writer.name("lot")
            writer.lot(hold.batch)
            if let milli = hold.producedMilli {
                writer.name("qty")
                writer.quantity(milli: milli, decimals: Self.decimals(milli, material), uom: material.baseUom)
            }
            writer.name("disposition")
            writer.string(scrap ? "SCRAP" : "RELEASE")
            writer.endObject()
            writer.endArray()
            writer.name("udCode")
            writer.string(scrap ? "R9" : "A1")
            writer.endObject()
        }
    }

    /// Writes `inspection.result` for a received lot; a rejection puts the lot on hold when the plant has no
    /// ERP stock snapshot (with one, holds name only its batches, which the hold pipelines look up).
    mutating func inspect(order index: Int, batch: String?, operationId: String, _ encoder: inout EventEncoder) {
        let order = orders[index]
        let plant = order.plant
        let material = plantSpecs[plant].materials[order.material]
        plants[plant].inspectionCounter += 1
        let inspectionId = "IL-\(plantSpecs[plant].id)-" + Self.padded(plants[plant].inspectionCounter, 6)
        let measured = random.chance(0.7)
        // Diameter in µm around 10 mm with limits ±50 µm; 3 % of attribute checks fail.
        let microns = Int64(random.normal(mean: 10_000, deviation: 20).rounded())
        let accepted = measured ? (9950...10_050).contains(microns) : !random.chance(0.03)
        var header = EventEncoder.Header(
            type: .inspectionResult, plant: plant, source: plants[plant].sourceQMS, occurredAt: now)
        header.correlationId = order.id
        header.keys.inspectionId = inspectionId
        header.keys.materialId = material.id
        header.keys.lotBatchId = batch
        header.keys.orderId = order.id
        header.keys.operationId = operationId
        let id = encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("inspectionId")
            writer.string(inspectionId)
            writer.name("materialId")
            writer.string(material.id)
            if let batch {
                writer.name("lot")
                writer.lot(batch)
            }
            writer.name("orderId")
            writer.string(order.id)
            writer.name("operationId")
            writer.string(operationId)
            writer.name("characteristicId")
            writer.string(measured ? "DIAM" : "VISUAL")
            writer.name("result")
            writer.beginObject()
            if measured {
                writer.name("measured")
                writer.decimalString(microns, scale: 3)
                writer.name("uom")
                writer.literal("MMT")
            } else {
                writer.name("attribute")
                writer.string(accepted ? "PASS" : "FAIL")
            }
            writer.endObject()
            if measured {
                writer.name("limits")
                writer.beginObject()
                writer.name("lower")
                writer.literal("9.950")
                writer.name("upper")
                writer.literal("10.050")
                writer.name("target")
                writer.literal("10.000")
                writer.endObject()
            }
            writer.name("valuation")
            writer.string(accepted ? "ACCEPT" : "REJECT")
            writer.name("sampleSize")
            writer.int(measured ? 5 : 20)
            writer.endObject()
        }
        if !accepted, let batch, plantSpecs[plant].lots.isEmpty {
            let produced = plants[plant].recentOutput.first { $0.batch == batch }?.milli
            createHold(
                plant: plant,
                target: HoldTarget(material: order.material, batch: batch, orderId: order.id, producedMilli: produced),
                causation: id, &encoder)
        }
    }

    /// Writes `scrap.recorded` (OPERATION_YIELD_LOSS): parts found bad after they were reported.
    mutating func recordYieldLoss(order index: Int, operation: Int, machine: Int, _ encoder: inout EventEncoder) {
        let order = orders[index]
        let plant = order.plant
        let material = plantSpecs[plant].materials[order.material]
        let milli = random.int64(in: 1...3) * 1000
        let reason = pick(plants[plant].scrapReasons, fallback: "SCRAP", plant: plant)
        let operationId = order.operations[operation].id
        var header = EventEncoder.Header(
            type: .scrapRecorded, plant: plant, machine: machine, source: plants[plant].sourceMES, occurredAt: now)
        header.correlationId = order.id
        header.keys.orderId = order.id
        header.keys.operationId = operationId
        header.keys.materialId = material.id
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("scope")
            writer.literal("OPERATION_YIELD_LOSS")
            writer.name("materialId")
            writer.string(material.id)
            writer.name("qty")
            writer.quantity(milli: milli, decimals: material.decimals, uom: material.baseUom)
            writer.name("reason")
            writer.reason(reason)
            writer.name("orderId")
            writer.string(order.id)
            writer.name("operationId")
            writer.string(operationId)
            writer.endObject()
        }
    }

    /// Writes `scrap.recorded` (INVENTORY): damaged or expired component stock in the warehouse.
    mutating func recordInventoryScrap(plant: Int, _ encoder: inout EventEncoder) {
        let spec = plantSpecs[plant]
        let components = spec.materials.indices.filter { spec.materials[$0].kind == .component }
        guard !components.isEmpty else { return }
        let index = components[random.index(components.count)]
        let material = spec.materials[index]
        let units = random.int64(in: 1...20)
        let milli = material.isDiscrete ? units * 1000 : units * 250
        let batch: String? =
            material.batchManaged
            ? (plants[plant].supply[index].first?.batch ?? newBatch(plant: plant, finished: false)) : nil
        let reasons =
            plants[plant].inventoryReasons.isEmpty ? plants[plant].scrapReasons : plants[plant].inventoryReasons
        let reason = pick(reasons, fallback: "SCRAP", plant: plant)
        let storage = spec.warehouseStorageLocation
        var header = EventEncoder.Header(
            type: .scrapRecorded, plant: plant, source: plants[plant].sourceWMS, occurredAt: now)
        header.keys.materialId = material.id
        header.keys.lotBatchId = batch
        header.keys.storageLocationId = storage
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("scope")
            writer.literal("INVENTORY")
            writer.name("materialId")
            writer.string(material.id)
            writer.name("qty")
            writer.quantity(milli: milli, decimals: Self.decimals(milli, material), uom: material.baseUom)
            writer.name("reason")
            writer.reason(reason)
            writer.name("storageLocationId")
            writer.string(storage)
            writer.name("fromStockType")
            writer.literal("UNRESTRICTED")
            if let batch {
                writer.name("lot")
                writer.lot(batch)
            }
            writer.endObject()
        }
    }

    /// `value` left-padded with zeros to `width` digits.
    static func padded(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
