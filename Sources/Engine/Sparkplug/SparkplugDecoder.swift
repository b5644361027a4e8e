import JSON
import Sparkplug
import Topology

/// What a ``SparkplugDecoder`` hands on while it decodes a record.
protocol SparkplugOutput: AnyObject {
    /// A `sparkplug.metric` record (valid during the call), to validate and deliver like a foreign record.
    func sparkplugMetric(_ record: JSONNode)
    /// The message being decoded becomes a dead letter.
    func sparkplugDeadLetter(_ failure: RecordFailure)
    /// Runs `body` with a stored message (parked DATA) as the record being processed.
    func sparkplugProcess(stored: StoredOrigin, _ body: () -> Void)
    /// A `sparkplug.exception` record for the source's exceptions output.
    func sparkplugException(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, timestamp: Int64)
}

/// Decodes the Sparkplug B messages of one partition, statefully (one per task; confined to its thread).
///
/// - BIRTH (NBIRTH, DBIRTH): its metric table — names, aliases, datatypes, properties — is kept per edge node or
///   device in a changelogged store, so it survives restarts and rebalances; its metrics are emitted; parked DATA
///   it defines is processed, in arrival order.
/// - DATA (NDATA, DDATA): aliases are resolved through the BIRTH; one record per metric. Without a live BIRTH the
///   message is parked (state) until one arrives; beyond `parkLimit` per node, or when the node dies, the oldest
///   parked message becomes a `SPARKPLUG_NO_BIRTH` dead letter.
/// - `seq` (per edge node, over the node's and its devices' messages, 0 … 255): a gap is a `SEQUENCE_GAP` exception
///   with the missing range, and the node needs a rebirth until its next NBIRTH.
/// - DEATH (NDEATH with the BIRTH's `bdSeq`, DDEATH): the node's (and its devices') or the device's metrics become
///   stale: optional `STALE` records per metric, a `NODE_DEATH` / `DEVICE_DEATH` exception; later DATA waits for
///   a new BIRTH. An NDEATH of an earlier session (another `bdSeq`) is ignored.
/// - Commands (NCMD, DCMD) and host `STATE` messages are skipped.
final class SparkplugDecoder {
    let plan: SparkplugPlan
    let store: ChangelogStore
    /// BIRTH tables by `<group>/<edge node>[/<device>]`.
    private let births: LoggedStore<SparkplugBirth>
    /// Sessions by `<group>/<edge node>`.
    private let sessions: LoggedStore<SparkplugSession>
    private let kafkaTopic: String
    private let partition: Int32
    private var records = SparkplugRecordWriter()
    /// `<kafka topic>|<partition>|`, and the name of the current metric's event id (reused).
    private let positionPrefix: [UInt8]
    private var eventIdName: [UInt8] = []
    private let reader = JSONReader()
    private let tape = JSONTape(capacity: 64)
    /// Sequence gaps found since the task started.
    private(set) var sequenceGaps = 0
    /// Messages skipped (commands, host state, deaths of earlier sessions).
    private(set) var skipped = 0
    unowned(unsafe) var output: (any SparkplugOutput)!

    init(plan: SparkplugPlan, topic: String, partition: Int32) {
        self.plan = plan
        kafkaTopic = topic
        self.partition = partition
        positionPrefix = Array("\(topic)|\(partition)|".utf8)
        store = ChangelogStore(name: plan.store.name, destination: plan.store)
        births = store.makeMap(tag: 1)
        sessions = store.makeMap(tag: 2)
    }

    /// Edge nodes whose sequence showed lost messages and that have not been reborn since.
    var nodesNeedingRebirth: Int { sessions.indexes.reduce(0) { $0 + (sessions[$1].rebirthNeeded ? 1 : 0) } }

    /// DATA messages parked until a BIRTH defines them.
    var parkedMessages: Int { sessions.indexes.reduce(0) { $0 + sessions[$1].parked.count } }

    /// Decodes one consumed record.
    func decode(_ input: InputRecord, value: UnsafeRawBufferPointer) {
        let topicBytes = plan.topicHeader.map { input.header(named: $0) } ?? input.key
        guard let topicBytes, let topicText = String(validating: topicBytes, as: UTF8.self) else {
            output.sparkplugDeadLetter(
                RecordFailure(
                    .sparkplugInvalidTopic, path: plan.options.topicHeader ?? "",
                    "the record has no MQTT topic in \(plan.topicLocation) (UTF-8 text)"))
            return
        }
        handle(
            topicText: topicText, value: value, offset: input.offset, kafkaTimestamp: input.timestamp,
            replaying: false, stored: { StoredOrigin(input) })
    }

    // MARK: Messages

    /// One message, read from a record or a parked copy.
    private struct Message {
        var topicText: String
        var topic: SparkplugTopic
        var payload: SparkplugPayload
        var offset: Int64
        var kafkaTimestamp: Int64
        var nodeKey: [UInt8]
        var targetKey: [UInt8]

        /// The message's timestamp, else the Kafka record's.
        var time: Int64 { payload.timestamp.map { Int64(clamping: $0) } ?? kafkaTimestamp }
    }

    private func handle(
        topicText: String, value: UnsafeRawBufferPointer, offset: Int64, kafkaTimestamp: Int64, replaying: Bool,
        stored: () -> StoredOrigin
    ) {
        let topic: SparkplugTopic
        do throws(SparkplugDecodingError) {
            guard let parsed = try SparkplugTopic(parsing: topicText) else {
                skipped += 1
                return
            }
            topic = parsed
        } catch {
            output.sparkplugDeadLetter(
                RecordFailure(.sparkplugInvalidTopic, path: plan.options.topicHeader ?? "", error.message))
            return
        }
        if topic.messageType == .nodeCommand || topic.messageType == .deviceCommand {
            skipped += 1
            return
        }
        let payload: SparkplugPayload
        do throws(SparkplugDecodingError) {
            payload = try SparkplugPayload(decoding: value)
        } catch {
            output.sparkplugDeadLetter(
                RecordFailure(.sparkplugMalformed, "\(topic.messageType.rawValue) payload: \(error.description)"))
            return
        }
        let nodeKey = Array("\(topic.group)/\(topic.edgeNode)".utf8)
        let message = Message(
            topicText: topicText, topic: topic, payload: payload, offset: offset, kafkaTimestamp: kafkaTimestamp,
            nodeKey: nodeKey, targetKey: topic.device.map { nodeKey + Array("/\($0)".utf8) } ?? nodeKey)
        switch topic.messageType {
        case .nodeBirth, .deviceBirth: birth(message)
        case .nodeData, .deviceData: data(message, replaying: replaying, stored: stored)
        case .nodeDeath: nodeDeath(message)
        case .deviceDeath: deviceDeath(message)
        case .nodeCommand, .deviceCommand: break
        }
    }

    private func birth(_ message: Message) {
        // A DBIRTH is in its node's sequence whether or not its metrics can be read (an NBIRTH starts one).
        if message.topic.messageType == .deviceBirth { checkSequence(message) }
        var metrics: [SparkplugBirthMetric] = []
        var values: [SparkplugValue] = []
        var bdSeq: Int64 = -1
        for (index, metric) in message.payload.metrics.enumerated() {
            guard let name = metric.name, !name.isEmpty else {
                return malformed(message, "metric \(index + 1) of the BIRTH has no name")
            }
            guard let raw = metric.datatype, let datatype = SparkplugDataType(rawValue: raw), datatype != .unknown
            else {
                return malformed(message, "metric '\(name)' of the BIRTH has no known datatype")
            }
            guard let value = typedValue(metric, datatype, message, name: name) else { return }
            if name == "bdSeq" {
                switch value {
                case .int(let number): bdSeq = number
                case .uint(let number): bdSeq = Int64(clamping: number)
                default: break
                }
            }
            var properties: [(key: String, json: [UInt8])] = []
            if let set = metric.properties {
                for (key, property) in zip(set.keys, set.values) where key != "Quality" {
                    properties.append((key, SparkplugRecordWriter.json(property.value)))
                }
            }
            metrics.append(
                SparkplugBirthMetric(name: name, alias: metric.alias, datatype: datatype, properties: properties))
            values.append(value)
        }
        if message.topic.messageType == .nodeBirth {
            updateSession(message.nodeKey) { session in
                session.lastSeq = message.payload.seq.map { Int64($0 % 256) } ?? -1
                session.rebirthNeeded = false
            }
        }
        let birth = SparkplugBirth(metrics: metrics, bdSeq: bdSeq)
        if let index = births.index(of: message.targetKey) {
            births.update(at: index) { $0 = birth }
        } else {
            births.insert(message.targetKey, value: birth)
        }
        for (index, metric) in message.payload.metrics.enumerated() {
            emit(message, index: index, metric: metric, definition: metrics[index], value: values[index], stale: false)
        }
        processParked(message.nodeKey)
    }

    private func data(_ message: Message, replaying: Bool, stored: () -> StoredOrigin) {
        // The sequence runs over every message of the node, parked ones included (checked once, on arrival).
        if !replaying { checkSequence(message) }
        guard let birthIndex = births.index(of: message.targetKey), !births[birthIndex].isDead else {
            return park(message, stored())
        }
        let birth = births[birthIndex]
        var resolved: [(definition: SparkplugBirthMetric, value: SparkplugValue)] = []
        for (index, metric) in message.payload.metrics.enumerated() {
            guard let definitionIndex = birth.index(of: metric) else {
                let what = metric.alias.map { "alias \($0)" } ?? metric.name.map { "'\($0)'" } ?? "no alias or name"
                output.sparkplugDeadLetter(
                    RecordFailure(
                        .sparkplugUnknownMetric,
                        "metric \(index + 1) (\(what)) of \(message.topicText) is not in the BIRTH of "
                            + "\(String(decoding: message.targetKey, as: UTF8.self))"))
                return
            }
            let definition = birth.metrics[definitionIndex]
            guard let value = typedValue(metric, definition.datatype, message, name: definition.name) else { return }
            resolved.append((definition, value))
        }
        for (index, metric) in message.payload.metrics.enumerated() {
            emit(
                message, index: index, metric: metric, definition: resolved[index].definition,
                value: resolved[index].value, stale: false)
        }
    }

    private func nodeDeath(_ message: Message) {
        let bdSeq = message.payload.metrics.first { $0.name == "bdSeq" }.flatMap { metric -> Int64? in
            switch try? metric.value?.value(as: .int64) {
            case .int(let number)?: number
            default: nil
            }
        }
        var staleMetrics = 0
        if let index = births.index(of: message.nodeKey) {
            let birth = births[index]
            if let bdSeq, birth.bdSeq >= 0, bdSeq != birth.bdSeq {
                skipped += 1
                return
            }
            staleMetrics += markDead(index, message, first: message.payload.metrics.count)
            let prefix = message.nodeKey + [0x2F]
            for device in births.indexes where births.key(at: device).starts(with: prefix) {
                staleMetrics += markDead(device, message, first: message.payload.metrics.count + staleMetrics)
            }
        }
        updateSession(message.nodeKey) { $0.lastSeq = -1 }
        let parked = dropParked(message.nodeKey)
        exception(
            "NODE_DEATH", message,
            "edge node \(message.topic.group)/\(message.topic.edgeNode) died; \(staleMetrics) metrics are stale"
                + (parked > 0 ? ", \(parked) parked messages dropped (SPARKPLUG_NO_BIRTH dead letters)" : ""),
            sequence: nil)
    }

    private func deviceDeath(_ message: Message) {
        checkSequence(message)
        var staleMetrics = 0
        if let index = births.index(of: message.targetKey) {
            staleMetrics = markDead(index, message, first: message.payload.metrics.count)
        }
        exception(
            "DEVICE_DEATH", message,
            "device \(String(decoding: message.targetKey, as: UTF8.self)) died; \(staleMetrics) metrics are stale",
            sequence: nil)
    }

    /// Marks a BIRTH dead and, with `staleEvents`, emits a STALE record per metric.
    ///
    /// - Returns: The number of metrics that became stale.
    private func markDead(_ index: Int, _ message: Message, first: Int) -> Int {
        guard !births[index].isDead else { return 0 }
        births.update(at: index) { $0.isDead = true }
        let birth = births[index]
        if plan.options.staleEvents {
            for (offset, definition) in birth.metrics.enumerated() {
                var stale = SparkplugMetric(name: definition.name, alias: definition.alias)
                stale.timestamp = message.payload.timestamp
                emit(message, index: first + offset, metric: stale, definition: definition, value: .null, stale: true)
            }
        }
        return birth.metrics.count
    }

    // MARK: Sequence numbers

    private func checkSequence(_ message: Message) {
        guard let seq = message.payload.seq.map({ Int64($0 % 256) }) else { return }
        var gap: (expected: Int64, received: Int64)?
        updateSession(message.nodeKey) { session in
            if session.lastSeq >= 0 {
                let expected = (session.lastSeq + 1) % 256
                if seq != expected {
                    gap = (expected, seq)
                    session.rebirthNeeded = true
                }
            }
            session.lastSeq = seq
        }
        guard let gap else { return }
        sequenceGaps += 1
        let count = (gap.received - gap.expected + 256) % 256
        exception(
            "SEQUENCE_GAP", message,
            "sequence \(gap.received) follows \((gap.expected + 255) % 256): \(gap.expected) to "
                + "\((gap.received + 255) % 256) (\(count) messages) missing; the node needs a rebirth",
            sequence: gap)
    }

    private func updateSession(_ nodeKey: [UInt8], _ body: (inout SparkplugSession) -> Void) {
        if let index = sessions.index(of: nodeKey) {
            sessions.update(at: index, body)
        } else {
            var session = SparkplugSession()
            body(&session)
            sessions.insert(nodeKey, value: session)
        }
    }

    // MARK: Parking

    private func park(_ message: Message, _ origin: StoredOrigin) {
        var evicted: StoredOrigin?
        updateSession(message.nodeKey) { session in
            session.parked.append(origin)
            if session.parked.count > plan.options.parkLimit { evicted = session.parked.removeFirst() }
        }
        guard let evicted else { return }
        output.sparkplugProcess(stored: evicted) {
            output.sparkplugDeadLetter(
                RecordFailure(
                    .sparkplugNoBirth,
                    "no BIRTH of \(String(decoding: message.nodeKey, as: UTF8.self)) (or its device) arrived while "
                        + "\(plan.options.parkLimit) later messages of the node waited (sparkplug.parkLimit)"))
        }
    }

    /// Processes the parked messages a BIRTH now defines, in arrival order.
    private func processParked(_ nodeKey: [UInt8]) {
        guard let index = sessions.index(of: nodeKey), !sessions[index].parked.isEmpty else { return }
        var ready: [StoredOrigin] = []
        sessions.update(at: index) { session in
            session.parked.removeAll { origin in
                guard let target = targetKey(of: origin), let birth = births.index(of: target), !births[birth].isDead
                else { return false }
                ready.append(origin)
                return true
            }
        }
        for origin in ready {
            guard let topic = topicText(of: origin), let value = origin.value else { continue }
            output.sparkplugProcess(stored: origin) {
                value.withUnsafeBytes { bytes in
                    handle(
                        topicText: topic, value: bytes, offset: origin.offset, kafkaTimestamp: origin.timestamp,
                        replaying: true, stored: { origin })
                }
            }
        }
    }

    /// Dead-letters every parked message of a node (it died before a BIRTH defined them).
    ///
    /// - Returns: How many there were.
    private func dropParked(_ nodeKey: [UInt8]) -> Int {
        guard let index = sessions.index(of: nodeKey), !sessions[index].parked.isEmpty else { return 0 }
        let parked = sessions[index].parked
        sessions.update(at: index) { $0.parked = [] }
        for origin in parked {
            output.sparkplugProcess(stored: origin) {
                output.sparkplugDeadLetter(
                    RecordFailure(
                        .sparkplugNoBirth,
                        "edge node \(String(decoding: nodeKey, as: UTF8.self)) died before a BIRTH defined this "
                            + "message's metrics"))
            }
        }
        return parked.count
    }

    private func topicText(of origin: StoredOrigin) -> String? {
        let bytes = plan.topicHeader.map { origin.header($0) } ?? origin.key
        return bytes.flatMap { String(validating: $0, as: UTF8.self) }
    }

    private func targetKey(of origin: StoredOrigin) -> [UInt8]? {
        guard let text = topicText(of: origin), let topic = try? SparkplugTopic(parsing: text) else { return nil }
        return Array("\(topic.group)/\(topic.edgeNode)".utf8) + (topic.device.map { Array("/\($0)".utf8) } ?? [])
    }

    // MARK: Records

    private func typedValue(_ metric: SparkplugMetric, _ datatype: SparkplugDataType, _ message: Message, name: String)
        -> SparkplugValue?
    {
        guard !metric.isNull, let wire = metric.value else { return .null }
        do throws(SparkplugDecodingError) {
            return try wire.value(as: datatype)
        } catch {
            malformed(message, "metric '\(name)': \(error.message)")
            return nil
        }
    }

    private func malformed(_ message: Message, _ text: String) {
        output.sparkplugDeadLetter(RecordFailure(.sparkplugMalformed, "\(message.topicText): \(text)"))
    }

    private func emit(
        _ message: Message, index: Int, metric: SparkplugMetric, definition: SparkplugBirthMetric,
        value: SparkplugValue, stale: Bool
    ) {
        var quality: (name: StaticString, code: Int64?) = ("GOOD", nil)
        if stale {
            quality = ("STALE", nil)
        } else if let property = metric.properties?["Quality"] {
            let code: Int64? =
                switch property.value {
                case .int(let number): number
                case .uint(let number): Int64(clamping: number)
                default: nil
                }
            let name: StaticString =
                switch code {
                case 192?: "GOOD"
                case 500?: "STALE"
                case 0?: "BAD"
                default: "UNCERTAIN"
                }
            quality = (name, code)
        }
        eventIdName.removeAll(keepingCapacity: true)
        eventIdName.append(contentsOf: positionPrefix)
        PartitionTask.appendDecimal(message.offset, to: &eventIdName)
        eventIdName.append(0x7C)
        PartitionTask.appendDecimal(Int64(index), to: &eventIdName)
        let origin = SparkplugRecordWriter.MetricOrigin(
            topicText: message.topicText, topic: message.topic, seq: stale ? nil : message.payload.seq,
            eventId: eventIdName)
        records.metric(
            origin, name: definition.name, alias: definition.alias, datatype: definition.datatype, value: value,
            timestamp: metric.timestamp.map { Int64(clamping: $0) } ?? message.time, quality: quality,
            historical: metric.isHistorical, transient: metric.isTransient, properties: metric.properties,
            birthProperties: definition.properties)
        let output = self.output!
        let tape = self.tape
        let reader = self.reader
        records.writer.withBytes { bytes in
            guard let document = try? reader.parse(bytes, into: tape) else { return }
            output.sparkplugMetric(document.root)
        }
    }

    private func exception(
        _ kind: StaticString, _ message: Message, _ text: String, sequence: (expected: Int64, received: Int64)?
    ) {
        guard plan.exceptions != nil else { return }
        let rebirthNeeded = sessions.index(of: message.nodeKey).map { sessions[$0].rebirthNeeded } ?? false
        records.exception(
            kind: kind, topicText: message.topicText, topic: message.topic, message: text, occurredAt: message.time,
            sequence: sequence, rebirthNeeded: rebirthNeeded,
            source: (kafkaTopic, partition, message.offset))
        let key = Array("\(message.topic.group)|\(message.topic.edgeNode)".utf8)
        let output = self.output!
        records.writer.withBytes { value in
            key.withUnsafeBytes { output.sparkplugException(key: $0, value: value, timestamp: message.time) }
        }
    }
}
