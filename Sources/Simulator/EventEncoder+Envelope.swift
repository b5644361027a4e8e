import JSON
import Timekeeping
import Topology

/// Envelope writing: plain canonical JSON, CloudEvents binary mode and structured mode.
///
/// CloudEvents mapping (docs/simulator.md): `id` = eventId, `source`, `type`, `time` = occurredAt,
/// `dataschema` = the schema's `$id`, `subject`; the other envelope fields are extension attributes with
/// lower-case names: `plantid`, `ingestedat`, `sourceseq`, `correlationid`, `causationid`, and the
/// equipment path flattened as `enterpriseid`, `siteid`, `areaid`, `lineid`, `workcellid`, `equipmentid`.
extension EventEncoder {
    func writePlain(
        _ slot: inout Slot,
        _ header: Header,
        id: EventID,
        ingestedAt: Int64,
        sequence: Int64,
        data: (inout JSONWriter) -> Void
    ) {
        let zone = plants[header.plant].zone
        slot.body.beginObject()
        slot.body.member("specVersion", literal: "mfg/1.0")
        slot.body.name("eventId")
        slot.body.eventID(id)
        let typeStart = slot.body.bytes.count + 1
        slot.body.member("type", string: header.type.name)
        slot.typeRange = (typeStart + 7)..<slot.body.bytes.count
        slot.body.member("schemaVersion", int: Int64(header.version))
        slot.body.member("source", string: sources[header.source].uri)
        slot.body.member("sourceSeq", int: sequence)
        slot.body.member(
            "occurredAt", timestamp: header.occurredAt, offsetSeconds: zone.offsetSeconds(at: header.occurredAt))
        slot.body.member("ingestedAt", timestamp: ingestedAt, offsetSeconds: zone.offsetSeconds(at: ingestedAt))
        slot.body.member("plantId", string: plants[header.plant].id)
        if header.machine >= 0 {
            slot.body.name("equipment")
            machines[header.machine].equipmentJSON.withUnsafeBytes { slot.body.raw($0) }
        }
        if let subject = header.subject {
            slot.body.name("subject")
            slot.body.string(subject)
        }
        if let correlationId = header.correlationId {
            slot.body.name("correlationId")
            slot.body.string(correlationId)
        }
        if let causationId = header.causationId {
            slot.body.name("causationId")
            slot.body.eventID(causationId)
        }
        slot.body.name("data")
        data(&slot.body)
        slot.body.endObject()
    }

    func writeStructured(
        _ slot: inout Slot,
        _ header: Header,
        id: EventID,
        ingestedAt: Int64,
        sequence: Int64,
        data: (inout JSONWriter) -> Void
    ) {
        let plant = plants[header.plant]
        slot.headers.append(SimulatedHeader(name: "content-type", text: "application/cloudevents+json"))
        slot.body.beginObject()
        slot.body.name("specversion")
        slot.body.literal("1.0")
        slot.body.name("id")
        slot.body.eventID(id)
        slot.body.name("source")
        slot.body.string(sources[header.source].uri)
        slot.body.name("type")
        let typeStart = slot.body.bytes.count
        slot.body.string(header.type.name)
        slot.typeRange = typeStart..<slot.body.bytes.count
        slot.body.name("time")
        slot.body.timestamp(header.occurredAt, offsetSeconds: plant.zone.offsetSeconds(at: header.occurredAt))
        slot.body.name("datacontenttype")
        slot.body.literal("application/json")
        slot.body.name("dataschema")
        slot.body.string(schemaURIs[header.type.rawValue][header.version - 1])
        if let subject = header.subject {
            slot.body.name("subject")
            slot.body.string(subject)
        }
        slot.body.name("plantid")
        slot.body.string(plant.id)
        slot.body.name("ingestedat")
        slot.body.timestamp(ingestedAt, offsetSeconds: plant.zone.offsetSeconds(at: ingestedAt))
        slot.body.name("sourceseq")
        slot.body.int(sequence)
        if header.machine >= 0 {
            let machine = machines[header.machine]
            slot.body.name("enterpriseid")
            slot.body.string(machine.enterpriseId)
            slot.body.name("siteid")
            slot.body.string(machine.siteId)
            slot.body.name("areaid")
            slot.body.string(machine.areaId)
            slot.body.name("lineid")
            slot.body.string(machine.lineId)
            if let workCellId = machine.workCellId {
                slot.body.name("workcellid")
                slot.body.string(workCellId)
            }
            slot.body.name("equipmentid")
            slot.body.string(machine.equipmentId)
        }
        if let correlationId = header.correlationId {
            slot.body.name("correlationid")
            slot.body.string(correlationId)
        }
        if let causationId = header.causationId {
            slot.body.name("causationid")
            slot.body.eventID(causationId)
        }
        slot.body.name("data")
        data(&slot.body)
        slot.body.endObject()
    }

    func writeBinary(
        _ slot: inout Slot,
        _ header: Header,
        id: EventID,
        ingestedAt: Int64,
        sequence: Int64,
        data: (inout JSONWriter) -> Void
    ) {
        let plant = plants[header.plant]
        func add(_ name: String, _ text: String) {
            slot.headers.append(SimulatedHeader(name: name, text: text))
        }
        add("ce_specversion", "1.0")
        add("ce_id", id.description)
        add("ce_source", sources[header.source].uri)
        add("ce_type", header.type.name)
        add(
            "ce_time",
            RFC3339.string(header.occurredAt, offsetSeconds: plant.zone.offsetSeconds(at: header.occurredAt)))
        add("ce_dataschema", schemaURIs[header.type.rawValue][header.version - 1])
        add("content-type", "application/json")
        if let subject = header.subject { add("ce_subject", subject) }
        add("ce_plantid", plant.id)
        add("ce_ingestedat", RFC3339.string(ingestedAt, offsetSeconds: plant.zone.offsetSeconds(at: ingestedAt)))
        add("ce_sourceseq", String(sequence))
        if header.machine >= 0 {
            let machine = machines[header.machine]
            add("ce_enterpriseid", machine.enterpriseId)
            add("ce_siteid", machine.siteId)
            add("ce_areaid", machine.areaId)
            add("ce_lineid", machine.lineId)
            if let workCellId = machine.workCellId { add("ce_workcellid", workCellId) }
            add("ce_equipmentid", machine.equipmentId)
        }
        if let correlationId = header.correlationId { add("ce_correlationid", correlationId) }
        if let causationId = header.causationId { add("ce_causationid", causationId.description) }
        data(&slot.body)
    }

    /// Joins the route's key fields with `|` into the slot's key.
    func writeKey(_ slot: inout Slot, route: Route, header: Header, id: EventID) {
        slot.key.removeAll(keepingCapacity: true)
        for (position, field) in route.key.enumerated() {
            if position > 0 { slot.key.append(UInt8(ascii: "|")) }
            switch field {
            case .plantId, .siteId: slot.key.append(contentsOf: plants[header.plant].id.utf8)
            case .equipmentId:
                if header.machine >= 0 { slot.key.append(contentsOf: machines[header.machine].equipmentId.utf8) }
            case .lineId: if header.machine >= 0 { slot.key.append(contentsOf: machines[header.machine].lineId.utf8) }
            case .areaId: if header.machine >= 0 { slot.key.append(contentsOf: machines[header.machine].areaId.utf8) }
            case .enterpriseId:
                if header.machine >= 0 { slot.key.append(contentsOf: machines[header.machine].enterpriseId.utf8) }
            case .type: slot.key.append(contentsOf: header.type.name.utf8)
            case .eventId: slot.key.append(contentsOf: id.description.utf8)
            case .source: slot.key.append(contentsOf: sources[header.source].uri.utf8)
            case .subject: append(header.subject, to: &slot.key)
            case .correlationId: append(header.correlationId, to: &slot.key)
            case .orderId: append(header.keys.orderId, to: &slot.key)
            case .operationId: append(header.keys.operationId, to: &slot.key)
            case .materialId: append(header.keys.materialId, to: &slot.key)
            case .holdId: append(header.keys.holdId, to: &slot.key)
            case .lotBatchId: append(header.keys.lotBatchId, to: &slot.key)
            case .lotsBatchId: append(header.keys.lotsBatchId, to: &slot.key)
            case .linesBatchId: append(header.keys.linesBatchId, to: &slot.key)
            case .storageLocationId: append(header.keys.storageLocationId, to: &slot.key)
            case .downtimeId: append(header.keys.downtimeId, to: &slot.key)
            case .signalId: append(header.keys.signalId, to: &slot.key)
            case .inspectionId: append(header.keys.inspectionId, to: &slot.key)
            case .data(let path): appendDataField(path, slot: &slot)
            case .absent: break
            }
        }
    }

    @inline(__always)
    private func append(_ value: String?, to key: inout [UInt8]) {
        if let value { key.append(contentsOf: value.utf8) }
    }

    /// Reads a `data.*` path out of the written body (only for key paths the simulator has no field for).
    private func appendDataField(_ path: [FieldPath.Segment], slot: inout Slot) {
        let tape = JSONTape()
        slot.body.withBytes { bytes in
            guard let document = try? JSONReader().parse(bytes, into: tape) else { return }
            var node: JSONNode? = slot.envelope == .cloudEventsBinary ? document.root : document.root["data"]
            for segment in path {
                switch segment {
                case .member(let name): node = node?[name]
                case .index(let index): node = node?[index]
                }
            }
            guard let node else { return }
            if node.kind == .string {
                _ = node.appendUnescapedBytes(to: &slot.key)
            } else if node.kind == .number || node.kind == .true || node.kind == .false {
                slot.key.append(contentsOf: node.rawBytes)
            }
        }
    }
}
