import JSON
import Timekeeping

/// Logistics and telemetry: kanban replenishment signals, deliveries of component lots to line side,
/// put-away of finished-goods pallets, and machine telemetry samples.
extension SimulationState {
    /// Writes `replenishment.requested` and schedules the delivery of a new lot.
    mutating func requestReplenishment(plant: Int, material index: Int, _ encoder: inout EventEncoder) {
        let spec = plantSpecs[plant]
        let material = spec.materials[index]
        let milli = plants[plant].kanbanMilli[index]
        plants[plant].signalCounter += 1
        let signalId = "KB-\(spec.id)-" + Self.padded(plants[plant].signalCounter, 6)
        let storage = material.issueStorageLocation ?? spec.issueStorageLocation
        let requiredBy = now + 2 * CivilTime.hourMs
        let zone = plantZone(plant)
        let trigger = random.chance(0.8) ? "KANBAN_EMPTY" : "MIN_LEVEL"
        var header = EventEncoder.Header(
            type: .replenishmentRequested, plant: plant, source: plants[plant].sourceMES, occurredAt: now)
        header.keys.signalId = signalId
        header.keys.materialId = material.id
        header.keys.storageLocationId = storage
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("signalId")
            writer.string(signalId)
            writer.name("materialId")
            writer.string(material.id)
            writer.name("qty")
            writer.quantity(milli: milli, decimals: Self.decimals(milli, material), uom: material.baseUom)
            writer.name("storageLocationId")
            writer.string(storage)
            writer.name("requiredBy")
            writer.timestamp(requiredBy, offsetSeconds: zone.offsetSeconds(at: requiredBy))
            writer.name("trigger")
            writer.string(trigger)
            writer.endObject()
        }
        let batch: String? =
            material.batchManaged ? nextSupplyLot(plant: plant, material: index, defaultMilli: milli).batch : nil
        schedule(
            Movement(delivery: true, plant: plant, material: index, batch: batch, milli: milli),
            at: now + random.int64(in: 30...90) * CivilTime.minuteMs)
    }

    /// A replenishment arrives at line side: `material.moved` from the warehouse; the lot is staged.
    mutating func deliverLot(
        plant: Int, material index: Int, batch: String?, milli: Int64, _ encoder: inout EventEncoder
    ) {
        let spec = plantSpecs[plant]
        let material = spec.materials[index]
        let to = material.issueStorageLocation ?? spec.issueStorageLocation
        if let batch { plants[plant].supply[index].append(SupplyLot(batch: batch, remainingMilli: milli)) }
        guard to != spec.warehouseStorageLocation else { return }
        emitMoved(
            plant: plant, material: material, batch: batch, milli: milli, from: spec.warehouseStorageLocation, to: to,
            stockType: "UNRESTRICTED", &encoder)
    }

    /// A finished-goods pallet is put away: `material.moved` to the warehouse in its current stock type.
    mutating func movePallet(
        plant: Int, material index: Int, batch: String?, milli: Int64, _ encoder: inout EventEncoder
    ) {
        let spec = plantSpecs[plant]
        let material = spec.materials[index]
        let from = material.productionStorageLocation ?? spec.productionStorageLocation
        let stockType: String
        switch activeHold(plant: plant, material: index, batch: batch) {
        case "BLOCKED": stockType = "BLOCKED"
        case "QUALITY_INSPECTION": stockType = "QUALITY_INSPECTION"
        default: stockType = "UNRESTRICTED"
        }
        emitMoved(
            plant: plant, material: material, batch: batch, milli: milli, from: from,
            to: spec.finishedStorageLocation, stockType: stockType, &encoder)
    }

    mutating func emitMoved(
        plant: Int,
        material: ScenarioMaterial,
        batch: String?,
        milli: Int64,
        from: String,
        to: String,
        stockType: String,
        _ encoder: inout EventEncoder
    ) {
        var header = EventEncoder.Header(
            type: .materialMoved, plant: plant, source: plants[plant].sourceWMS, occurredAt: now)
        header.keys.materialId = material.id
        header.keys.lotBatchId = batch
        encoder.emit(header) { writer in
            writer.beginObject()
            writer.name("materialId")
            writer.string(material.id)
            if let batch {
                writer.name("lot")
                writer.lot(batch)
            }
            writer.name("qty")
            writer.quantity(milli: milli, decimals: Self.decimals(milli, material), uom: material.baseUom)
            writer.name("fromStorageLocationId")
            writer.string(from)
            writer.name("toStorageLocationId")
            writer.string(to)
            writer.name("stockType")
            writer.string(stockType)
            writer.endObject()
        }
    }

    /// Writes `machine.telemetry` with four metrics.
    mutating func emitTelemetry(_ machine: Int, _ encoder: inout EventEncoder) {
        guard encoder.isEmitted(.machineTelemetry) else { return }
        let ownStream = !encoder.hasJSONRoute(.machineTelemetry)
        var draws = ownStream ? sampleRandom : random
        let running = machines[machine].packMLState == "EXECUTE"
        let temperature = Int64(draws.normal(mean: running ? 520 : 300, deviation: 25))
        let power = running ? draws.int64(in: 5000...15_000) : draws.int64(in: 400...1500)
        let vibration = running ? draws.int64(in: 600...4000) : draws.int64(in: 20...300)
        let good = !draws.chance(0.02)
        let sampledAt = now - draws.int64(in: 0...500)
        if ownStream { sampleRandom = draws } else { random = draws }
        let offset = plantZone(machines[machine].plant).offsetSeconds(at: sampledAt)
        let state = machines[machine].packMLState
        if encoder.isSparkplug(.machineTelemetry) {
            encoder.emitSparkplug(
                machineHeader(.machineTelemetry, machine),
                .samples(
                    temperature: Double(temperature) / 10, power: Double(power) / 1000,
                    vibration: Double(vibration) / 1000, quality: good ? 192 : 64, sampledAt: sampledAt))
            return
        }
        encoder.emit(machineHeader(.machineTelemetry, machine)) { writer in
            writer.beginObject()
            writer.name("metrics")
            writer.beginArray()
            for metric in 0..<4 {
                writer.beginObject()
                writer.name("name")
                switch metric {
                case 0:
                    writer.literal("spindleTemperature")
                    writer.name("value")
                    writer.decimalNumber(temperature, scale: 1)
                case 1:
                    writer.literal("power")
                    writer.name("value")
                    writer.decimalNumber(power, scale: 3)
                case 2:
                    writer.literal("vibration")
                    writer.name("value")
                    writer.decimalNumber(vibration, scale: 3)
                default:
                    writer.literal("packmlState")
                    writer.name("value")
                    writer.string(state)
                }
                writer.name("quality")
                writer.string(good || metric == 3 ? "GOOD" : "UNCERTAIN")
                writer.name("sampledAt")
                writer.timestamp(sampledAt, offsetSeconds: offset)
                switch metric {
                case 0:
                    writer.name("uom")
                    writer.literal("CEL")
                case 1:
                    writer.name("uom")
                    writer.literal("KWT")
                case 2:
                    writer.name("uom")
                    writer.literal("C16")
                default: break
                }
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
    }
}
