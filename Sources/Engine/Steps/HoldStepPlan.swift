import JSON

/// `hold:` — quality-hold gating (domain.md §2.5 rule 1).
///
/// A record whose lot is held (per the lot-status table) continues through the pipeline, but its
/// posting is parked by `emit` instead of written: it is kept in order per lot in the partition's
/// changelogged state, and a PARKED `erp.exception` (reason `QUALITY_HOLD`) is written. When the
/// lot's row changes so it is no longer held, the parked postings are written to their output in
/// their original order, followed by a RELEASED notice; when the change satisfies `cancelWhen`
/// (default `disposition == 'SCRAP'`) each is written as a CANCELLED exception instead.
final class HoldStepPlan: StepPlan {
    let table: GlobalTable
    let lotParts: KeyPlan
    let heldWhen: Evaluator
    let cancelWhen: Evaluator
    let storeDestination: Destination

    init(
        table: GlobalTable, lotParts: KeyPlan, heldWhen: @escaping Evaluator, cancelWhen: @escaping Evaluator,
        storeDestination: Destination
    ) {
        self.table = table
        self.lotParts = lotParts
        self.heldWhen = heldWhen
        self.cancelWhen = cancelWhen
        self.storeDestination = storeDestination
    }

    func makeNode(for task: PartitionTask) -> StepNode { HoldNode(plan: self, task: task) }
}

/// Parked postings of one lot: sequence numbers `firstSeq..<nextSeq` (some may be gone).
struct LotState: StateCodable {
    var firstSeq: Int64
    var nextSeq: Int64

    func encode(into writer: inout StateWriter) {
        writer.write(firstSeq)
        writer.write(nextSeq)
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> LotState {
        LotState(firstSeq: try reader.readInt64(), nextSeq: try reader.readInt64())
    }
}

/// A parked posting: the finished record and where it goes.
struct ParkedPosting: StateCodable {
    var destination: Int
    var key: [UInt8]?
    var value: [UInt8]
    var timestamp: Int64
    var holdId: [UInt8]
    var pipeline: String

    func encode(into writer: inout StateWriter) {
        writer.write(destination)
        writer.write(key != nil)
        if let key { writer.write(bytes: key) }
        writer.write(bytes: value)
        writer.write(timestamp)
        writer.write(bytes: holdId)
        writer.write(string: pipeline)
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> ParkedPosting {
        let destination = try reader.readInt()
        let key = try reader.readBool() ? try reader.readBytes() : nil
        return ParkedPosting(
            destination: destination, key: key, value: try reader.readBytes(), timestamp: try reader.readInt64(),
            holdId: try reader.readBytes(), pipeline: try reader.readString())
    }
}

final class HoldNode: StepNode {
    var next: StepNode?
    private let plan: HoldStepPlan
    // unowned(unsafe): the task owns this node (through its pipelines) and is the only caller of its methods,
    // so it outlives every call; an `unowned` reference would be checked and retained on every access.
    private unowned(unsafe) let task: PartitionTask
    private let store: ChangelogStore
    private let lots: LoggedStore<LotState>
    private let postings: LoggedStore<ParkedPosting>
    private let rowContext: RecordContext
    private var lotKey: [UInt8] = []

    init(plan: HoldStepPlan, task: PartitionTask) {
        self.plan = plan
        self.task = task
        store = ChangelogStore(name: plan.storeDestination.name, destination: plan.storeDestination)
        lots = store.makeMap(tag: 1)
        postings = store.makeMap(tag: 2)
        rowContext = RecordContext(topic: task.topic, partition: task.partition, aliasCount: 0)
    }

    var stores: [StateStore] { [store] }

    /// Number of parked postings.
    var parkedCount: Int { postings.count }

    func push(_ context: RecordContext) {
        lotKey.removeAll(keepingCapacity: true)
        do {
            try plan.lotParts.append(context, separator: 0x7C, to: &lotKey)
        } catch {
            task.deadLetter(context, error)
            return
        }
        if let row = currentRow(lotKey), isHeld(row) {
            context.hold = HoldMark(node: self, lotKey: lotKey, holdId: holdId(row, lotKey: lotKey))
        } else if lots.index(of: lotKey) != nil {
            let key = lotKey
            recheck(key)
        }
        next?.push(context)
    }

    private func currentRow(_ key: [UInt8]) -> OwnedDocument? {
        key.withUnsafeBytes { plan.table.lookup($0, at: Int64.max) }
    }

    private func isHeld(_ row: OwnedDocument) -> Bool {
        rowContext.event = row.root
        defer { rowContext.event = nil }
        return (try? plan.heldWhen(rowContext).isTrue) ?? false
    }

    private func isCancelled(_ row: OwnedDocument) -> Bool {
        rowContext.event = row.root
        defer { rowContext.event = nil }
        return (try? plan.cancelWhen(rowContext).isTrue) ?? false
    }

    /// The hold id: the row's `holdId`, else the first of `activeHoldIds`, else the lot key.
    private func holdId(_ row: OwnedDocument, lotKey: [UInt8]) -> [UInt8] {
        if let id = row.root["holdId"], id.kind == .string { return Value.node(id).textBytes }
        if let ids = row.root["activeHoldIds"], let first = ids[0], first.kind == .string {
            return Value.node(first).textBytes
        }
        return lotKey.map { $0 == 0x7C ? 0x3A : $0 }
    }

    private func postingKey(_ lot: [UInt8], _ sequence: Int64) -> [UInt8] {
        var writer = StateWriter()
        writer.bytes.append(contentsOf: lot)
        writer.write(byte: 0)
        writer.write(bigEndian: sequence)
        return writer.bytes
    }

    /// Parks a finished posting (called by `emit`) and writes the PARKED exception.
    func park(
        _ mark: HoldMark, pipeline: PipelinePlan, destination: Destination, key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer, txn: JSONNode, timestamp: Int64
    ) {
        let sequence: Int64
        if let index = lots.index(of: mark.lotKey) {
            sequence = lots.update(at: index) { state in
                defer { state.nextSeq += 1 }
                return state.nextSeq
            }
        } else {
            lots.insert(mark.lotKey, value: LotState(firstSeq: 0, nextSeq: 1))
            sequence = 0
        }
        postings.insert(
            postingKey(mark.lotKey, sequence),
            value: ParkedPosting(
                destination: destination.index, key: key.map { Array($0) }, value: Array(value), timestamp: timestamp,
                holdId: mark.holdId, pipeline: pipeline.name))
        task.writeException(
            pipeline: pipeline, kind: "PARKED", reason: "QUALITY_HOLD",
            message: "lot \(String(decoding: mark.lotKey, as: UTF8.self)) is on quality hold; posting parked",
            holdId: mark.holdId, txn: txn, embedTxn: true, kafkaKey: key, timestamp: timestamp)
    }

    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer) {
        guard table === plan.table, lots.index(of: key) != nil else { return }
        recheck(Array(key))
    }

    func stateRestored() {
        for index in lots.indexes { recheck(lots.key(at: index)) }
    }

    /// Releases or cancels the lot's parked postings unless it is still held.
    private func recheck(_ lot: [UInt8]) {
        guard let lotIndex = lots.index(of: lot) else { return }
        let row = currentRow(lot)
        if let row, isHeld(row) { return }
        let cancel = row.map(isCancelled) ?? false
        let state = lots[lotIndex]
        var releasedIds: [[UInt8]] = []
        var firstReleased: OwnedDocument?
        var holdId: [UInt8] = []
        var pipelineName = ""
        var noticeKey: [UInt8]?
        var noticeTimestamp: Int64 = 0
        for sequence in state.firstSeq..<state.nextSeq {
            let key = postingKey(lot, sequence)
            guard let index = postings.index(of: key) else { continue }
            let posting = postings[index]
            postings.remove(at: index)
            holdId = posting.holdId
            pipelineName = posting.pipeline
            guard let pipeline = task.plan.pipelines.first(where: { $0.name == posting.pipeline }),
                posting.destination < task.engine.destinations.count
            else { continue }
            if cancel {
                task.counters.pointee.cancelled += 1
                guard let document = try? OwnedDocument.parse(posting.value) else { continue }
                task.withOptionalBytes(posting.key) { kafkaKey in
                    task.writeException(
                        pipeline: pipeline, kind: "CANCELLED", reason: "HOLD_DISPOSITION_SCRAP",
                        message: "lot \(String(decoding: lot, as: UTF8.self)) was scrapped; posting cancelled",
                        holdId: posting.holdId, txn: document.root, embedTxn: true, kafkaKey: kafkaKey,
                        timestamp: posting.timestamp)
                }
            } else {
                task.counters.pointee.released += 1
                let destination = task.engine.destinations[posting.destination]
                task.withOptionalBytes(posting.key) { kafkaKey in
                    posting.value.withUnsafeBytes { value in
                        task.send(destination, key: kafkaKey, value: value, timestamp: posting.timestamp)
                    }
                }
                task.counters.pointee.outputs += 1
                if let document = try? OwnedDocument.parse(posting.value) {
                    if firstReleased == nil {
                        firstReleased = document
                        noticeKey = posting.key
                        noticeTimestamp = posting.timestamp
                    }
                    if let id = document.root.member("txnId") ?? document.root.member("recordId") {
                        releasedIds.append(Value.node(id).textBytes)
                    }
                }
            }
        }
        lots.remove(at: lotIndex)
        if let firstReleased, let pipeline = task.plan.pipelines.first(where: { $0.name == pipelineName }) {
            task.withOptionalBytes(noticeKey) { kafkaKey in
                task.writeException(
                    pipeline: pipeline, kind: "RELEASED", reason: "HOLD_RELEASED",
                    message: "lot \(String(decoding: lot, as: UTF8.self)) released; \(releasedIds.count) parked "
                        + "posting(s) written",
                    holdId: holdId, txn: firstReleased.root, embedTxn: false, releasedTxnIds: releasedIds,
                    kafkaKey: kafkaKey, timestamp: noticeTimestamp)
            }
        }
    }
}
