import Timekeeping

/// Maps reference rows to ``ScenarioPlant`` values.
///
/// Column names follow domain.md §2.6 and the files in `reference/`. What the reference data does not
/// say (bills of materials, parts per cycle) is derived deterministically and listed in docs/simulator.md.
struct ScenarioBuilder {
    typealias Row = ReferenceTables.Row

    let tables: ReferenceTables
    var warnings: [String]

    /// Builds the plants (in equipment-master order) and the default start.
    mutating func build(plantIDs: [String]?, limit: Int?, start: Int64?) throws(SimulatorError) -> (
        plants: [ScenarioPlant], start: Int64
    ) {
        let equipment = tables.rows("equipment_master")
        var ids: [String] = []
        for row in equipment {
            guard let plant = row["plantId"] else {
                throw SimulatorError(.invalidReferenceData, "\(file("equipment_master")): a row has no plantId")
            }
            if !ids.contains(plant) { ids.append(plant) }
        }
        if let plantIDs {
            for id in plantIDs where !ids.contains(id) {
                warnings.append("plant \(id) has no equipment in the equipment master; it is not simulated")
            }
            ids = ids.filter { plantIDs.contains($0) }
        }
        if let limit { ids = Array(ids.prefix(max(0, limit))) }
        guard let first = ids.first else {
            throw SimulatorError(.nothingToGenerate, "no plant to simulate (check --region and --plants)")
        }
        let start = start ?? defaultStart(plant: first)
        let day = CivilTime.floorDiv(start, CivilTime.dayMs)
        var plants: [ScenarioPlant] = []
        for id in ids { plants.append(try plant(id, day: day)) }
        return (plants, start)
    }

    private func file(_ table: String) -> String { tables.files[table] ?? table }

    private func calendar(_ plant: String) -> Row? {
        tables.rows("posting_calendar").first { $0["plantId"] == plant }
    }

    private func openPeriods(_ plant: String) -> [(from: Int64, to: Int64)] {
        ReferenceTables.entries(calendar(plant)?["openPeriods"]).compactMap { entry in
            guard let from = entry["from"].flatMap(RFC3339.parseLenient),
                let to = entry["to"].flatMap(RFC3339.parseLenient)
            else { return nil }
            return (from / CivilTime.dayMs, to / CivilTime.dayMs)
        }
    }

    private func defaultStart(plant: String) -> Int64 {
        var day = CivilTime.days(year: 2025, month: 3, day: 17)
        let periods = openPeriods(plant)
        if !periods.isEmpty && !periods.contains(where: { $0.from <= day && day <= $0.to }) {
            day = periods[periods.count - 1].from
        }
        let localSix = day * CivilTime.dayMs + 6 * CivilTime.hourMs
        let zone = calendar(plant)?["timeZone"].flatMap { ZoneRules(identifier: $0) } ?? .utc
        return localSix - Int64(zone.offsetSeconds(at: localSix)) * CivilTime.secondMs
    }

    // MARK: One plant

    private mutating func plant(_ id: String, day: Int64) throws(SimulatorError) -> ScenarioPlant {
        let dayText = Self.dateText(day)
        // Equipment: the row valid at the start for each machine, in file order.
        var machineIds: [String] = []
        var effective: [String: Row] = [:]
        for row in tables.rows("equipment_master") where row["plantId"] == id {
            guard let equipmentId = row["equipmentId"] else {
                throw SimulatorError(
                    .invalidReferenceData, "\(file("equipment_master")): a \(id) row has no equipmentId")
            }
            if effective[equipmentId] == nil {
                machineIds.append(equipmentId)
                effective[equipmentId] = row
                continue
            }
            let validFrom = row["validFrom"] ?? ""
            let current = effective[equipmentId]?["validFrom"] ?? ""
            if validFrom <= dayText && validFrom > current { effective[equipmentId] = row }
        }
        var lines: [ScenarioPlant.Line] = []
        var machines: [ScenarioPlant.Machine] = []
        var enterpriseId = "enterprise"
        for equipmentId in machineIds {
            let row = effective[equipmentId]!
            if let enterprise = row["enterpriseId"] { enterpriseId = enterprise }
            let areaId = row["areaId"] ?? "A1"
            let lineId = row["lineId"] ?? "L1"
            let lineIndex: Int
            if let existing = lines.firstIndex(where: { $0.id == lineId && $0.areaId == areaId }) {
                lineIndex = existing
            } else {
                lines.append(ScenarioPlant.Line(id: lineId, areaId: areaId, machines: [], products: []))
                lineIndex = lines.count - 1
            }
            lines[lineIndex].machines.append(machines.count)
            let ideal = row["idealCycleTimeMs"].flatMap { Int64($0) } ?? 30_000
            machines.append(
                ScenarioPlant.Machine(
                    equipmentId: equipmentId, lineIndex: lineIndex, areaId: areaId, lineId: lineId,
                    workCellId: row["workCellId"], workCenterId: row["erpWorkCenter"] ?? equipmentId,
                    idealCycleMs: [:], defaultIdealCycleMs: max(1000, ideal), partsPerCycle: 1))
        }

        // Orders name the finished materials and the lines that make them.
        let orderRows = tables.rows("order_operations").filter {
            $0["plantId"] == id && ["RELEASED", "PARTIALLY_CONFIRMED", nil].contains($0["status"])
        }
        let producedIds = Set(orderRows.compactMap { $0["materialId"] })

        // Materials.
        var materials: [ScenarioMaterial] = []
        for row in tables.rows("material_master") where row["plantId"] == id {
            guard let materialId = row["materialId"], let baseUom = row["baseUom"] else {
                throw SimulatorError(
                    .invalidReferenceData, "\(file("material_master")): a \(id) row lacks materialId or baseUom")
            }
            let alternatives = tables.rows("material_uom").compactMap { unit -> ScenarioMaterial.AlternativeUnit? in
                guard unit["plantId"] == id, unit["materialId"] == materialId, let uom = unit["uom"], uom != baseUom,
                    let numerator = unit["numerator"].flatMap({ Int64($0) }),
                    let denominator = unit["denominator"].flatMap({ Int64($0) }), numerator > 0, denominator > 0
                else { return nil }
                return ScenarioMaterial.AlternativeUnit(uom: uom, numerator: numerator, denominator: denominator)
            }
            let finished =
                producedIds.isEmpty ? row["productionStorageLocation"] != nil : producedIds.contains(materialId)
            let shelfLife = row["shelfLifeDays"].flatMap { Int($0) } ?? 0
            materials.append(
                ScenarioMaterial(
                    id: materialId, kind: finished ? .finished : .component, baseUom: baseUom,
                    batchManaged: row["batchManaged"]?.lowercased() == "true",
                    shelfLifeDays: shelfLife > 0 ? shelfLife : nil,
                    decimals: min(3, max(0, row["decimals"].flatMap { Int($0) } ?? (baseUom == "H87" ? 0 : 3))),
                    productionStorageLocation: row["productionStorageLocation"],
                    issueStorageLocation: row["issueStorageLocation"], alternativeUnits: alternatives))
        }
        var products: [ScenarioPlant.Product] = []
        for (index, material) in materials.enumerated() where material.kind == .finished {
            products.append(ScenarioPlant.Product(material: index, components: []))
        }
        deriveBillsOfMaterials(&products, materials: materials)

        // Released orders of the order master.
        var orders: [ScenarioPlant.Order] = []
        var orderIds: [String] = []
        for row in orderRows where row["orderId"] != nil && !orderIds.contains(row["orderId"]!) {
            orderIds.append(row["orderId"]!)
        }
        for orderId in orderIds {
            let rows = orderRows.filter { $0["orderId"] == orderId }.sorted {
                ($0["operationId"] ?? "") < ($1["operationId"] ?? "")
            }
            guard let materialId = rows[0]["materialId"],
                let product = products.firstIndex(where: { materials[$0.material].id == materialId })
            else {
                warnings.append("order \(id)/\(orderId): material not in the material master; not simulated")
                continue
            }
            var operations: [ScenarioPlant.Order.Operation] = []
            for row in rows {
                guard let operationId = row["operationId"], let workCenter = row["workCenterId"],
                    let machine = machines.firstIndex(where: { $0.workCenterId == workCenter })
                else {
                    warnings.append("order \(id)/\(orderId): work center \(row["workCenterId"] ?? "?") has no machine")
                    operations = []
                    break
                }
                operations.append(
                    ScenarioPlant.Order.Operation(
                        id: operationId, sequenceId: row["sequenceId"] ?? "0", workCenterId: workCenter,
                        machine: machine, controlKey: row["controlKey"] ?? "PP01",
                        confirmationNumber: row["confirmationNumber"],
                        autoGoodsReceipt: row["autoGoodsReceipt"]?.lowercased() == "true"))
            }
            guard !operations.isEmpty else { continue }
            let planned = rows[0]["plannedQty"].flatMap(Self.milli).map { max(1, $0 / 1000) } ?? 100
            let line = machines[operations[0].machine].lineIndex
            orders.append(
                ScenarioPlant.Order(
                    id: orderId, product: product, line: line, plannedQty: planned,
                    orderType: rows[0]["orderType"] ?? "PP01", operations: operations))
            if !lines[line].products.contains(product) { lines[line].products.append(product) }
        }
        if !products.isEmpty {
            for index in lines.indices where lines[index].products.isEmpty {
                lines[index].products = [index % products.count]
            }
        }

        // Storage locations by kind.
        let locations = tables.rows("storage_locations").filter { $0["plantId"] == id }
        func location(_ kind: String) -> String? {
            locations.first { $0["kind"] == kind }?["storageLocationId"]
        }
        let finishedLocation = materials.first { $0.kind == .finished }?.productionStorageLocation
        let issueLocation = materials.first { $0.kind == .component && $0.issueStorageLocation != nil }?
            .issueStorageLocation
        let production = finishedLocation ?? location("FINISHED") ?? location("PRODUCTION") ?? "0001"
        let issue = location("PRODUCTION") ?? issueLocation ?? production
        let warehouse = location("RAW") ?? issue
        let finishedStore = location("FINISHED") ?? production

        // Work centers and their standard value keys in slot order.
        var workCenters: [ScenarioPlant.WorkCenter] = []
        for row in tables.rows("work_center_activities") where row["plantId"] == id {
            guard let workCenter = row["workCenterId"], !workCenters.contains(where: { $0.id == workCenter }) else {
                continue
            }
            let keys = tables.rows("work_center_activities")
                .filter { $0["plantId"] == id && $0["workCenterId"] == workCenter }
                .sorted { (Int($0["slot"] ?? "") ?? 9) < (Int($1["slot"] ?? "") ?? 9) }
                .compactMap { $0["activityKey"] }
            workCenters.append(ScenarioPlant.WorkCenter(id: workCenter, activityKeys: keys))
        }

        // Reason codes by purpose.
        var reasons: [ScenarioReason] = []
        for row in tables.rows("reason_code_map") where row["plantId"] == id {
            guard let code = row["code"], let codeSet = row["codeSet"] else { continue }
            let purpose: ScenarioReason.Purpose
            if let lossType = row["lossType"] {
                purpose = .downtime(lossType: lossType)
            } else if row["oeeCategory"] == "QUALITY_LOSS" {
                purpose = .scrap
            } else if row["movementReason"] != nil && !codeSet.hasPrefix("qms") {
                purpose = .inventoryScrap
            } else if codeSet.hasPrefix("qms") && row["movementReason"] == nil {
                purpose = .quality
            } else {
                continue
            }
            reasons.append(
                ScenarioReason(
                    code: code, codeSet: codeSet, text: row["text"].map { String($0.prefix(80)) }, purpose: purpose,
                    notScheduled: row["oeeCategory"] == "NOT_SCHEDULED"))
        }

        // Batches of the ERP stock snapshot.
        var lots: [ScenarioPlant.Lot] = []
        for row in tables.rows("batch_stock") where row["plantId"] == id {
            guard let materialId = row["materialId"], let batch = row["batchId"],
                let material = materials.firstIndex(where: { $0.id == materialId })
            else { continue }
            lots.append(
                ScenarioPlant.Lot(
                    material: material, batch: batch, storageLocationId: row["storageLocationId"] ?? warehouse,
                    stockType: row["stockType"] ?? "UNRESTRICTED", milli: row["qty"].flatMap(Self.milli) ?? 0))
        }

        let calendar = calendar(id)
        if calendar == nil { warnings.append("plant \(id) has no posting calendar row: UTC, no shifts") }
        return ScenarioPlant(
            id: id, enterpriseId: enterpriseId, timeZone: calendar?["timeZone"] ?? "UTC", codeSet: "mes-\(id)",
            lines: lines, machines: machines, workCenters: workCenters, materials: materials, products: products,
            orders: orders, lots: lots, productionStorageLocation: production, issueStorageLocation: issue,
            warehouseStorageLocation: warehouse, finishedStorageLocation: finishedStore,
            qualityStorageLocation: location("QUALITY"), reasons: reasons,
            openPeriods: openPeriods(id), breakTimes: breakTimes(calendar))
    }

    /// Bills of materials (the reference data has none): per product, a mass raw material weighed at the
    /// first operation, a batch-managed part scanned at the second, a plain part backflushed at the last.
    private func deriveBillsOfMaterials(_ products: inout [ScenarioPlant.Product], materials: [ScenarioMaterial]) {
        let components = materials.indices.filter { materials[$0].kind == .component }
        let raw = components.filter { !materials[$0].isDiscrete }
        let batchParts = components.filter { materials[$0].isDiscrete && materials[$0].batchManaged }
        let plainParts = components.filter { materials[$0].isDiscrete && !materials[$0].batchManaged }
        for index in products.indices {
            var parts: [ScenarioPlant.Product.Component] = []
            if !raw.isEmpty {
                parts.append(
                    .init(
                        material: raw[index % raw.count], milliPerUnit: 1250 + 600 * Int64(index), operationIndex: 0,
                        backflush: false))
            }
            if !batchParts.isEmpty {
                parts.append(
                    .init(
                        material: batchParts[index % batchParts.count], milliPerUnit: 1000, operationIndex: 1,
                        backflush: false))
            }
            if !plainParts.isEmpty {
                parts.append(
                    .init(
                        material: plainParts[index % plainParts.count], milliPerUnit: 2000 + 2000 * Int64(index),
                        operationIndex: 99, backflush: true))
            }
            products[index].components = parts
        }
    }

    /// Break starts (ms after local midnight): every 4 h into each shift; 02:00, 10:00, 18:00 without shifts.
    private func breakTimes(_ calendar: Row?) -> [Int64] {
        let shifts = ReferenceTables.entries(calendar?["shifts"])
        var times: [Int64] = []
        for shift in shifts {
            guard let start = shift["start"].flatMap(Self.timeOfDay), let end = shift["end"].flatMap(Self.timeOfDay)
            else { continue }
            var length = (end - start + CivilTime.dayMs) % CivilTime.dayMs
            if length == 0 { length = CivilTime.dayMs }
            var offset = 4 * CivilTime.hourMs
            while offset < length {
                times.append((start + offset) % CivilTime.dayMs)
                offset += 4 * CivilTime.hourMs
            }
        }
        if times.isEmpty { times = [2, 10, 18].map { $0 * CivilTime.hourMs } }
        return Array(Set(times)).sorted()
    }

    /// `hh:mm` → ms after midnight.
    static func timeOfDay(_ text: String) -> Int64? {
        let parts = text.split(separator: ":")
        guard parts.count >= 2, let hour = Int64(parts[0]), let minute = Int64(parts[1]), hour < 24, minute < 60 else {
            return nil
        }
        return hour * CivilTime.hourMs + minute * CivilTime.minuteMs
    }

    /// A decimal text → thousandths (`1250.5` → 1 250 500); `nil` when malformed.
    static func milli(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0].isEmpty ? "0" : parts[0]) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1].prefix(3)
            guard digits.allSatisfy(\.isNumber), let value = Int64(digits.isEmpty ? "0" : digits) else { return nil }
            fraction = value
            for _ in digits.count..<3 { fraction *= 10 }
        }
        return whole * 1000 + (whole < 0 ? -fraction : fraction)
    }

    /// `YYYY-MM-DD` of a day number.
    static func dateText(_ day: Int64) -> String {
        let date = CivilTime.date(days: day)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
    }
}
