import JSON

/// Parked postings of one lot: sequence numbers `firstSeq..<nextSeq` (some may be gone).
struct ParkedLot: StateCodable {
    var firstSeq: Int64
    var nextSeq: Int64

    func encode(into writer: inout StateWriter) {
        writer.write(firstSeq)
        writer.write(nextSeq)
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> ParkedLot {
        ParkedLot(firstSeq: try reader.readInt64(), nextSeq: try reader.readInt64())
    }
}

/// A parked posting: the finished record, where it goes (by name: indexes change with the topology) and why.
struct ParkedPosting: StateCodable {
    /// The encoding's version (1: destination by name).
    static let version: UInt8 = 1

    var destination: String
    var key: [UInt8]?
    var value: [UInt8]
    var timestamp: Int64
    var holdId: [UInt8]
    var pipeline: String

    func encode(into writer: inout StateWriter) {
        writer.write(byte: Self.version)
        writer.write(string: destination)
        writer.write(key != nil)
        if let key { writer.write(bytes: key) }
        writer.write(bytes: value)
        writer.write(timestamp)
        writer.write(bytes: holdId)
        writer.write(string: pipeline)
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> ParkedPosting {
        let version = try reader.readByte()
        guard version == Self.version else {
            throw EngineError(
                .corruptState, "parked posting of encoding \(version); this build reads encoding \(Self.version)")
        }
        let destination = try reader.readString()
        let key = try reader.readBool() ? try reader.readBytes() : nil
        return ParkedPosting(
            destination: destination, key: key, value: try reader.readBytes(), timestamp: try reader.readInt64(),
            holdId: try reader.readBytes(), pipeline: try reader.readString())
    }
}

/// The gate after an `emit` that a `hold:` step precedes: parks postings of held lots, and releases or cancels
/// them when the lot's row changes (see ``HoldStepPlan``).
final class HoldGate: PostingStage {
    private let plan: HoldStepPlan
    private let context: StepContext
    private let counters: TaskCounters
    /// The next stage for new postings.
    private let next: PostingStage
    /// Where released postings go (the output sink: a released posting is not gated again).
    private let release: PostingStage
    private let store: ChangelogStore
    private let lots: LoggedStore<ParkedLot>
    private let postings: LoggedStore<ParkedPosting>
    private let rowContext: RecordContext
    private let releaseContext: RecordContext

    init(plan: HoldStepPlan, context: StepContext, next: PostingStage, release: PostingStage) {
        self.plan = plan
        self.context = context
        counters = context.counters
        self.next = next
        self.release = release
        store = ChangelogStore(name: plan.storeDestination.name, destination: plan.storeDestination)
        lots = store.makeMap(tag: 1)
        postings = store.makeMap(tag: 2)
        rowContext = context.makeRecordContext()
        releaseContext = context.makeRecordContext()
    }

    var stores: [StateStore] { [store] }

    /// Number of parked postings.
    var parkedCount: Int { postings.count }

    func accept(_ posting: Posting, of record: RecordContext) {
        guard let mark = record.hold else { return next.accept(posting, of: record) }
        if mark.park {
            park(posting, mark: mark)
            return
        }
        // The lot is free: postings parked while it was held go first, in order.
        if lots.index(of: mark.lotKey) != nil { recheck(mark.lotKey) }
        next.accept(posting, of: record)
    }

    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer) {
        guard table === plan.table, lots.index(of: key) != nil else { return }
        recheck(Array(key))
    }

    func stateRestored() {
        for index in lots.indexes { recheck(lots.key(at: index)) }
    }

    private func postingKey(_ lot: [UInt8], _ sequence: Int64) -> [UInt8] {
        var writer = StateWriter()
        writer.bytes.append(contentsOf: lot)
        writer.write(byte: 0)
        writer.write(bigEndian: sequence)
        return writer.bytes
    }

    /// Parks a finished posting and writes the PARKED exception.
    private func park(_ posting: Posting, mark: HoldMark) {
        let sequence: Int64
        if let index = lots.index(of: mark.lotKey) {
            sequence = lots.update(at: index) { state in
                defer { state.nextSeq += 1 }
                return state.nextSeq
            }
        } else {
            lots.insert(mark.lotKey, value: ParkedLot(firstSeq: 0, nextSeq: 1))
            sequence = 0
        }
        postings.insert(
            postingKey(mark.lotKey, sequence),
            value: ParkedPosting(
                destination: posting.destination.name, key: posting.key.map { Array($0) }, value: Array(posting.value),
                timestamp: posting.timestamp, holdId: mark.holdId, pipeline: context.pipeline.name))
        let lot = String(decoding: mark.lotKey, as: UTF8.self)
        posting.withDocument(tape: context.outputTape) { document in
            guard let document else { return }
            context.exception(
                PostingException(
                    reason: mark.failure == nil ? .qualityHold : .holdCheckFailed,
                    message: mark.failure.map { "lot \(lot): \($0); posting parked until the check succeeds" }
                        ?? "lot \(lot) is on quality hold; posting parked",
                    holdId: mark.holdId, txn: document, embedTxn: true, kafkaKey: posting.key,
                    timestamp: posting.timestamp))
        }
    }

    /// Releases or cancels the lot's parked postings unless it is still held (or cannot be decided). A posting
    /// whose pipeline or output is no longer in the topology stays parked and is reported.
    private func recheck(_ lot: [UInt8]) {
        guard let lotIndex = lots.index(of: lot) else { return }
        let (state, row) = plan.state(of: lot, rowContext: rowContext)
        let lotText = String(decoding: lot, as: UTF8.self)
        switch state {
        case .held:
            return
        case .undecidable(let failure):
            context.logger.warning("lot \(lotText): \(failure); its parked postings stay parked")
            return
        case .free:
            break
        }
        var cancel = false
        if let row {
            rowContext.event = row.root
            defer { rowContext.event = nil }
            do {
                cancel = try plan.cancelWhen(rowContext).isTrue
            } catch {
                context.logger.warning("lot \(lotText): cancelWhen failed (\(error)); its parked postings stay parked")
                return
            }
        }
        let range = lots[lotIndex]
        var releasedIds: [[UInt8]] = []
        var firstReleased: (document: OwnedDocument, key: [UInt8]?, timestamp: Int64)?
        var holdId: [UInt8] = []
        var kept = false
        for sequence in range.firstSeq..<range.nextSeq {
            let key = postingKey(lot, sequence)
            guard let index = postings.index(of: key) else { continue }
            let posting = postings[index]
            guard posting.pipeline == context.pipeline.name,
                let destination = context.destination(named: posting.destination)
            else {
                kept = true
                reportUnknownOutput(posting, lot: lotText)
                continue
            }
            postings.remove(at: index)
            holdId = posting.holdId
            let document = try? OwnedDocument.parse(posting.value)
            if cancel {
                counters.metrics.cancelled += 1
                guard let document else { continue }
                TaskOutput.withOptionalBytes(posting.key) { kafkaKey in
                    context.exception(
                        PostingException(
                            reason: .holdDispositionScrap, message: "lot \(lotText) was scrapped; posting cancelled",
                            holdId: posting.holdId, txn: document.root, embedTxn: true, kafkaKey: kafkaKey,
                            timestamp: posting.timestamp))
                }
            } else {
                counters.metrics.released += 1
                write(posting, to: destination)
                if let document {
                    if firstReleased == nil { firstReleased = (document, posting.key, posting.timestamp) }
                    if let id = document.root.member("txnId") ?? document.root.member("recordId") {
                        releasedIds.append(Value.node(id).textBytes)
                    }
                }
            }
        }
        if !kept { lots.remove(at: lotIndex) }
        if let firstReleased {
            TaskOutput.withOptionalBytes(firstReleased.key) { kafkaKey in
                context.exception(
                    PostingException(
                        reason: .holdReleased,
                        message: "lot \(lotText) released; \(releasedIds.count) parked posting(s) written",
                        holdId: holdId, txn: firstReleased.document.root, embedTxn: false,
                        releasedTxnIds: releasedIds, kafkaKey: kafkaKey, timestamp: firstReleased.timestamp))
            }
        }
    }

    /// Writes a released posting through the output sink.
    private func write(_ parked: ParkedPosting, to destination: Destination) {
        releaseContext.reset()
        releaseContext.offset = -1
        TaskOutput.withOptionalBytes(parked.key) { key in
            parked.value.withUnsafeBytes { value in
                release.accept(
                    Posting(
                        destination: destination, key: key, value: value, document: nil, timestamp: parked.timestamp,
                        plant: .null, postingDay: 0),
                    of: releaseContext)
            }
        }
    }

    /// A parked posting for an output or pipeline the topology no longer has: it stays parked; an exception and
    /// a log line say so.
    private func reportUnknownOutput(_ posting: ParkedPosting, lot: String) {
        let message =
            "lot \(lot) is free, but its parked posting for output '\(posting.destination)' of pipeline "
            + "'\(posting.pipeline)' cannot be written: the topology no longer has it; it stays parked"
        context.logger.warning("\(message)")
        guard let document = try? OwnedDocument.parse(posting.value) else { return }
        TaskOutput.withOptionalBytes(posting.key) { kafkaKey in
            context.exception(
                PostingException(
                    reason: .outputUnknown, message: message, holdId: posting.holdId, txn: document.root,
                    embedTxn: true, kafkaKey: kafkaKey, timestamp: posting.timestamp))
        }
    }
}
