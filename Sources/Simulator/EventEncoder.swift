import JSON
import Timekeeping
import Topology

/// Turns simulated events into Kafka records: envelope (plain or CloudEvents), key, topic, and the
/// injected faults. Records wait in a queue of reused buffers until the consumer takes them.
///
/// Its random streams (event ids, latency, envelope choice; faults) are separate from the plant's, so
/// the plant behaves identically whatever the envelope and fault settings are.
struct EventEncoder: Sendable {
    /// The envelope fields and key values of one event.
    struct Header {
        var type: EventType
        var version: Int = 1
        var plant: Int
        /// Global machine index, or -1 when the event concerns no machine.
        var machine: Int = -1
        /// Index into the encoder's sources.
        var source: Int
        var occurredAt: Int64
        var subject: String? = nil
        var correlationId: String? = nil
        var causationId: EventID? = nil
        var keys = Keys()
    }

    /// Values of `data` fields a source key may name.
    struct Keys {
        var orderId: String? = nil
        var operationId: String? = nil
        var materialId: String? = nil
        var holdId: String? = nil
        /// `data.lot.batchId`
        var lotBatchId: String? = nil
        /// `data.lots[0].batchId`
        var lotsBatchId: String? = nil
        /// `data.lines[0].lot.batchId`
        var linesBatchId: String? = nil
        var storageLocationId: String? = nil
        var downtimeId: String? = nil
        var signalId: String? = nil
        var inspectionId: String? = nil
    }

    /// A key field compiled from a source's key path.
    enum KeyField: Sendable {
        case plantId, equipmentId, lineId, areaId, siteId, enterpriseId, type, eventId, source, subject
        case correlationId
        case orderId, operationId, materialId, holdId, lotBatchId, lotsBatchId, linesBatchId, storageLocationId
        case downtimeId, signalId, inspectionId
        /// Any other `data.*` path: read from the written body.
        case data([FieldPath.Segment])
        /// A path the simulator never writes: an empty key part.
        case absent

        init(_ path: FieldPath) {
            switch path.description {
            case "plantId", "equipment.siteId": self = path.description == "plantId" ? .plantId : .siteId
            case "equipment.equipmentId": self = .equipmentId
            case "equipment.lineId": self = .lineId
            case "equipment.areaId": self = .areaId
            case "equipment.enterpriseId": self = .enterpriseId
            case "type": self = .type
            case "eventId": self = .eventId
            case "source": self = .source
            case "subject": self = .subject
            case "correlationId": self = .correlationId
            case "data.orderId": self = .orderId
            case "data.operationId": self = .operationId
            case "data.materialId": self = .materialId
            case "data.holdId": self = .holdId
            case "data.lot.batchId": self = .lotBatchId
            case "data.lots[0].batchId": self = .lotsBatchId
            case "data.lines[0].lot.batchId": self = .linesBatchId
            case "data.storageLocationId": self = .storageLocationId
            case "data.downtimeId": self = .downtimeId
            case "data.signalId": self = .signalId
            case "data.inspectionId": self = .inspectionId
            default:
                if path.root == "data" && path.segments.count > 1 {
                    self = .data(Array(path.segments.dropFirst()))
                } else {
                    self = .absent
                }
            }
        }
    }

    struct Route: Sendable {
        var topic: Int
        var key: [KeyField]
        var envelope: EnvelopeFormat
        /// Machine events of line controllers that speak Sparkplug B (`--sparkplug`): to the Sparkplug source.
        var isSparkplug = false
        /// Whether the type would be sent as JSON without `--sparkplug` (its random draws are mirrored).
        var hasJSONRoute = true
    }

    /// Where Sparkplug B messages go: the key's parts and the header that carries the MQTT topic.
    struct SparkplugTarget: Sendable {
        enum KeyPart: Sendable {
            case topic, group, edgeNode, device, messageType, absent
        }

        var key: [KeyPart]
        var topicHeader: String?
    }

    struct Plant: Sendable {
        var id: String
        var zone: ZoneRules
    }

    struct Machine: Sendable {
        var plant: Int
        var equipmentId: String
        var lineId: String
        var areaId: String
        var siteId: String
        var enterpriseId: String
        var workCellId: String?
        /// The `EquipmentRef` object as compact JSON.
        var equipmentJSON: [UInt8]
    }

    struct Source: Sendable {
        var uri: String
        var sequence: Int64 = 0
    }

    /// A queued record; its buffers are reused.
    struct Slot: Sendable {
        /// A slot without buffers, swapped in while a queued slot is written (no allocation).
        static let empty = Slot(capacity: 0)

        var body: JSONWriter
        var key: [UInt8] = []
        var headers: [SimulatedHeader] = []
        var topic = 0
        var type = EventType.machineCycle
        var timestampMs: Int64 = 0
        var eventID = EventID(high: 0, low: 0)
        var envelope = SimulatedEnvelope.plain
        var fault: SimulatedFault?
        /// Byte range of the `type` string value (with quotes) in a plain body.
        var typeRange = 0..<0

        init(capacity: Int = 1024) {
            body = JSONWriter(capacity: capacity)
        }
    }

    let configuration: SimulatorConfiguration
    let routes: [Route?]
    let sparkplugTarget: SparkplugTarget?
    var sparkplugEdge: SparkplugEdge?
    let topics: [String]
    let plants: [Plant]
    let machines: [Machine]
    var sources: [Source]
    /// `https://schemas.plantstream.dev/<type>/v<N>.json` per type and version - 1.
    let schemaURIs: [[String]]

    private var slots: [Slot] = []
    private var slotCount = 0
    private var readIndex = 0
    private var delayed = TimedQueue<SimulatedRecord>()
    private var envelopeRandom: RandomSource
    /// Ids and latencies of Sparkplug messages of types that have no JSON route (so the JSON twin never draws them).
    private var sparkplugRandom: RandomSource
    private var faultRandom: RandomSource
    var statistics = SimulatorStatistics()

    init(
        configuration: SimulatorConfiguration,
        routing: EventRouting,
        plants: [Plant],
        machines: [Machine],
        sources: [Source]
    ) {
        self.configuration = configuration
        self.plants = plants
        self.machines = machines
        self.sources = sources
        let enabled = EventType.allCases.filter { configuration.eventTypes?.contains($0) ?? true }
        let sparkplug = configuration.sparkplug.flatMap { _ in routing.sparkplug }
        func topic(of type: EventType) -> String? {
            if let sparkplug, type.isMachineSignal { return sparkplug.topic }
            return routing.routes[type]?.topic
        }
        let topics = Array(Set(enabled.compactMap(topic(of:)))).sorted()
        self.topics = topics
        routes = EventType.allCases.map { type -> Route? in
            guard enabled.contains(type), let name = topic(of: type) else { return nil }
            let route = routing.routes[type]
            return Route(
                topic: topics.firstIndex(of: name)!, key: route?.key.map(KeyField.init) ?? [],
                envelope: route?.envelope ?? .sparkplugB, isSparkplug: sparkplug != nil && type.isMachineSignal,
                hasJSONRoute: route != nil)
        }
        sparkplugTarget = sparkplug.map { route in
            SparkplugTarget(
                key: route.key.map { path in
                    switch path.description {
                    case "topic": .topic
                    case "group": .group
                    case "edgeNode": .edgeNode
                    case "device": .device
                    case "messageType": .messageType
                    default: .absent
                    }
                }, topicHeader: route.topicHeader)
        }
        sparkplugEdge = configuration.sparkplug.map { SparkplugEdge(configuration: $0, seed: configuration.seed) }
        schemaURIs = EventType.allCases.map { type in
            (1...max(type.newestVersion, 1)).map { "https://schemas.plantstream.dev/\(type.name)/v\($0).json" }
        }
        envelopeRandom = RandomSource(seed: configuration.seed, stream: 2)
        sparkplugRandom = RandomSource(seed: configuration.seed, stream: 5)
        faultRandom = RandomSource(seed: configuration.seed, stream: 3)
        statistics.topics = topics
        statistics.recordsPerTopic = Array(repeating: 0, count: topics.count)
    }

    /// Whether events of `type` are emitted.
    @inline(__always)
    func isEmitted(_ type: EventType) -> Bool { routes[type.rawValue] != nil }

    /// Whether events of `type` would be sent as JSON without `--sparkplug`.
    func hasJSONRoute(_ type: EventType) -> Bool { routes[type.rawValue]?.hasJSONRoute ?? false }

    /// Whether events of `type` are sent as Sparkplug B (``emitSparkplug(_:_:)``).
    func isSparkplug(_ type: EventType) -> Bool { routes[type.rawValue]?.isSparkplug ?? false }

    /// Records waiting to be taken.
    var readyCount: Int { slotCount - readIndex }

    /// The earliest release time of a held-back record.
    var nextDelayedTime: Int64? { delayed.firstTime }

    /// Held-back records.
    var delayedCount: Int { delayed.count }

    /// The version a `machine.cycle` is written with (v1 for the configured share).
    mutating func cycleVersion() -> Int {
        envelopeRandom.chance(configuration.cycleV1Share) ? 1 : 2
    }

    // MARK: Emitting

    /// Writes one event as a record (plus any fault records) unless its type is not emitted.
    ///
    /// - Returns: The event id, or `nil` when the type is not emitted.
    @discardableResult
    mutating func emit(_ header: Header, data: (inout JSONWriter) -> Void) -> EventID? {
        guard let route = routes[header.type.rawValue] else { return nil }
        let id = EventID(milliseconds: header.occurredAt, random: &envelopeRandom)
        let latency = envelopeRandom.int64(in: 20...900)
        let envelope: SimulatedEnvelope
        switch route.envelope {
        // Routes never lead to a source of foreign records (`EventRouting`).
        case .plain, .none, .sparkplugB: envelope = .plain
        case .cloudEventsBinary: envelope = .cloudEventsBinary
        case .cloudEventsStructured: envelope = .cloudEventsStructured
        case .auto:
            let draw = envelopeRandom.unit()
            if draw < configuration.cloudEventsBinaryShare {
                envelope = .cloudEventsBinary
            } else if draw < configuration.cloudEventsBinaryShare + configuration.cloudEventsStructuredShare {
                envelope = .cloudEventsStructured
            } else {
                envelope = .plain
            }
        }
        var fault: SimulatedFault?
        var delay: Int64 = 0
        var invalid: SimulatedFault?
        let faults = configuration.faults
        if faults.isEnabled {
            let draw = faultRandom.unit()
            let outOfOrder = faults.effectiveOutOfOrderShare
            if draw < faults.duplicateShare {
                fault = .duplicate
            } else if draw < faults.duplicateShare + outOfOrder {
                fault = .outOfOrder
                delay = faultRandom.int64(in: 1...max(1, faults.outOfOrderMaxDelayMs))
            } else if draw < faults.duplicateShare + outOfOrder + faults.lateShare {
                fault = .late
                delay = faultRandom.int64(in: faults.lateMinDelayMs...max(faults.lateMinDelayMs, faults.lateMaxDelayMs))
            }
            if faultRandom.chance(faults.invalidShare) {
                invalid = SimulatedFault.invalidKinds[faultRandom.index(SimulatedFault.invalidKinds.count)]
            }
        }
        let ingestedAt = header.occurredAt + latency + delay
        sources[header.source].sequence += 1
        let sequence = sources[header.source].sequence

        let index = allocateSlot()
        var slot = Slot.empty
        swap(&slot, &slots[index])
        slot.topic = route.topic
        slot.type = header.type
        slot.timestampMs = ingestedAt
        slot.eventID = id
        slot.envelope = envelope
        slot.fault = fault == .duplicate ? nil : fault
        slot.body.reset()
        slot.headers.removeAll(keepingCapacity: true)
        slot.typeRange = 0..<0
        switch envelope {
        case .plain, .sparkplugB:  // `emitSparkplug` writes Sparkplug records.
            writePlain(&slot, header, id: id, ingestedAt: ingestedAt, sequence: sequence, data: data)
        case .cloudEventsStructured:
            writeStructured(&slot, header, id: id, ingestedAt: ingestedAt, sequence: sequence, data: data)
        case .cloudEventsBinary:
            writeBinary(&slot, header, id: id, ingestedAt: ingestedAt, sequence: sequence, data: data)
        }
        writeKey(&slot, route: route, header: header, id: id)

        swap(&slot, &slots[index])
        // The invalid copy is made before the event may leave the queue; it is sent right away.
        let invalidRecord = invalid.map {
            Self.corrupt(slots[index], as: $0, topic: topics[route.topic], random: &faultRandom)
        }
        switch fault {
        case .outOfOrder?, .late?:
            delayed.push(takeLastSlot(), at: ingestedAt)
        case .duplicate?:
            var copy = owned(slots[index])
            copy.fault = .duplicate
            copy.timestampMs = ingestedAt + faultRandom.int64(in: 1...max(1, faults.duplicateMaxDelayMs))
            delayed.push(copy, at: copy.timestampMs)
        default:
            break
        }
        if let invalidRecord { fillSlot(with: invalidRecord) }
        if header.type == .machineCycle && header.version == 1 { statistics.cycleV1 += 1 }
        return id
    }

    /// Sends a machine event as its line controller would over Sparkplug B: the BIRTHs it needs, the DDATA
    /// (unless the link loses it), an NDEATH on a reconnect. Every message is a record keyed and routed as the
    /// Sparkplug source declares, stamped with when the event would have been ingested.
    ///
    /// The encoder's random draws are those of the event's JSON record, so every other record of the plant is
    /// the same as in its JSON twin (with `--faults`, the faults of the JSON records fall differently).
    mutating func emitSparkplug(_ header: Header, _ update: SparkplugEdge.Update) {
        guard let route = routes[header.type.rawValue], let target = sparkplugTarget, header.machine >= 0 else {
            return
        }
        var id = EventID(milliseconds: header.occurredAt, random: &sparkplugRandom)
        var latency = sparkplugRandom.int64(in: 20...900)
        if route.hasJSONRoute {
            id = EventID(milliseconds: header.occurredAt, random: &envelopeRandom)
            latency = envelopeRandom.int64(in: 20...900)
            if route.envelope == .auto { _ = envelopeRandom.unit() }
            sources[header.source].sequence += 1
        }
        let machine = machines[header.machine]
        let group = plants[machine.plant].id
        guard
            let messages = sparkplugEdge?.messages(
                machine: header.machine, group: group, node: machine.lineId, device: machine.equipmentId,
                at: header.occurredAt, update)
        else { return }
        statistics.sparkplugLost = sparkplugEdge?.lostMessages ?? 0
        statistics.sparkplugReconnects = sparkplugEdge?.reconnects ?? 0
        for message in messages {
            let index = allocateSlot()
            slots[index].body.reset()
            message.payload.withUnsafeBytes { slots[index].body.raw($0) }
            let topicText = message.topic.description
            let parts = target.key.map { part -> String in
                switch part {
                case .topic: topicText
                case .group: message.topic.group
                case .edgeNode: message.topic.edgeNode
                case .device: message.topic.device ?? ""
                case .messageType: message.topic.messageType.rawValue
                case .absent: ""
                }
            }
            slots[index].key = Array(parts.joined(separator: "|").utf8)
            slots[index].headers.removeAll(keepingCapacity: true)
            if let name = target.topicHeader {
                slots[index].headers.append(SimulatedHeader(name: name, text: topicText))
            }
            slots[index].topic = route.topic
            slots[index].type = header.type
            slots[index].timestampMs = header.occurredAt + latency
            slots[index].eventID = id
            slots[index].envelope = .sparkplugB
            slots[index].fault = nil
            slots[index].typeRange = 0..<0
        }
    }

    /// Moves held-back records whose release time is at or before `time` into the ready queue.
    mutating func releaseDelayed(upTo time: Int64) {
        while let first = delayed.firstTime, first <= time, let entry = delayed.pop() {
            fillSlot(with: entry.payload)
        }
    }

    /// Moves every held-back record into the ready queue (end of a finite stream).
    mutating func releaseAllDelayed() {
        while let entry = delayed.pop() { fillSlot(with: entry.payload) }
    }

    // MARK: Taking records

    /// Hands the next ready record to `body`.
    ///
    /// - Important: Call only when ``readyCount`` > 0.
    mutating func takeNext<R, E: Error>(_ body: (SimulatedRecordView) throws(E) -> R) throws(E) -> R {
        let index = readIndex
        readIndex += 1
        countTaken(index)
        let topic = topics[slots[index].topic]
        let headers = slots[index].headers
        let timestamp = slots[index].timestampMs
        let type = slots[index].type
        let eventID = slots[index].eventID
        let envelope = slots[index].envelope
        let fault = slots[index].fault
        let result: Result<R, E> = slots[index].body.withBytes { value in
            slots[index].key.withUnsafeBytes { key in
                let view = SimulatedRecordView(
                    topic: topic, key: key, value: value, headers: headers, timestampMs: timestamp, eventType: type,
                    eventID: eventID, envelope: envelope, fault: fault)
                do throws(E) {
                    return .success(try body(view))
                } catch {
                    return .failure(error)
                }
            }
        }
        if readIndex == slotCount {
            readIndex = 0
            slotCount = 0
        }
        return try result.get()
    }

    /// Takes the next ready record as an owned copy.
    ///
    /// - Important: Call only when ``readyCount`` > 0.
    mutating func takeNextOwned() -> SimulatedRecord {
        let index = readIndex
        readIndex += 1
        countTaken(index)
        let record = owned(slots[index])
        if readIndex == slotCount {
            readIndex = 0
            slotCount = 0
        }
        return record
    }

    private mutating func countTaken(_ index: Int) {
        statistics.count(
            record: slots[index].type, topic: slots[index].topic, fault: slots[index].fault,
            envelope: slots[index].envelope, bytes: slots[index].body.bytes.count)
        statistics.pending = delayed.count
    }

    // MARK: Slots

    private mutating func allocateSlot() -> Int {
        if slotCount == slots.count { slots.append(Slot()) }
        slotCount += 1
        return slotCount - 1
    }

    /// Removes the most recently allocated slot and returns it as an owned record.
    private mutating func takeLastSlot() -> SimulatedRecord {
        slotCount -= 1
        return owned(slots[slotCount])
    }

    private func owned(_ slot: Slot) -> SimulatedRecord {
        SimulatedRecord(
            topic: topics[slot.topic], key: slot.key, value: slot.body.bytes, headers: slot.headers,
            timestampMs: slot.timestampMs, eventType: slot.type, eventID: slot.eventID, envelope: slot.envelope,
            fault: slot.fault)
    }

    private mutating func fillSlot(with record: SimulatedRecord) {
        let index = allocateSlot()
        slots[index].body.reset()
        record.value.withUnsafeBytes { slots[index].body.raw($0) }
        slots[index].key = record.key
        slots[index].headers = record.headers
        slots[index].topic = topics.firstIndex(of: record.topic) ?? 0
        slots[index].type = record.eventType
        slots[index].timestampMs = record.timestampMs
        slots[index].eventID = record.eventID
        slots[index].envelope = record.envelope
        slots[index].fault = record.fault
        slots[index].typeRange = 0..<0
    }
}
