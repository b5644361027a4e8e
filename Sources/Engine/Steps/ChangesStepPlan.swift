import JSON

/// `changes:` — passes a record only when its value changed beyond the deadbands since the last record of its
/// key that passed, when one of `also` changed, or when that record is at least the heartbeat older.
///
/// State: key → the last values passed on and their event time, per partition, changelogged. With a
/// `previous` alias, the record passed on carries the key's last record passed as `{"value", "at"}`.
final class ChangesStepPlan: StepPlan {
    let keyParts: KeyPlan
    let value: Evaluator
    let also: [Evaluator]
    let absolute: Evaluator?
    let percent: Evaluator?
    /// In milliseconds; `nil`: no heartbeat.
    let heartbeat: Int64?
    /// The alias slot of `previous`, if any.
    let previousSlot: Int?
    let storeDestination: Destination

    init(
        keyParts: KeyPlan, value: @escaping Evaluator, also: [Evaluator], absolute: Evaluator?, percent: Evaluator?,
        heartbeat: Int64?, previousSlot: Int?, storeDestination: Destination
    ) {
        self.keyParts = keyParts
        self.value = value
        self.also = also
        self.absolute = absolute
        self.percent = percent
        self.heartbeat = heartbeat
        self.previousSlot = previousSlot
        self.storeDestination = storeDestination
    }

    func makeNode(in context: StepContext) -> StepNode { ChangesNode(plan: self, context: context) }
}

/// The last values of a key that passed, and when.
struct ChangesEntry: StateCodable {
    var value: StoredValue
    var also: [StoredValue]
    var passedAt: Int64

    func encode(into writer: inout StateWriter) {
        writer.write(passedAt)
        value.encode(into: &writer)
        writer.write(also.count)
        for value in also { value.encode(into: &writer) }
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> ChangesEntry {
        let passedAt = try reader.readInt64()
        let value = try StoredValue.decode(from: &reader)
        let count = try reader.readInt()
        guard count >= 0 else { throw StateReader.corrupt() }
        var also: [StoredValue] = []
        for _ in 0..<count { also.append(try StoredValue.decode(from: &reader)) }
        return ChangesEntry(value: value, also: also, passedAt: passedAt)
    }
}

final class ChangesNode: StepNode {
    var next: StepNode?
    private let plan: ChangesStepPlan
    private let context: StepContext
    private let counters: TaskCounters
    private let store: ChangelogStore
    private let entries: LoggedStore<ChangesEntry>
    @exclusivity(unchecked) private var key: [UInt8] = []

    init(plan: ChangesStepPlan, context: StepContext) {
        self.plan = plan
        self.context = context
        counters = context.counters
        store = ChangelogStore(name: plan.storeDestination.name, destination: plan.storeDestination)
        entries = store.makeMap(tag: 1)
    }

    var stores: [StateStore] { [store] }

    func push(_ record: RecordContext) {
        do throws(RecordFailure) {
            key.removeAll(keepingCapacity: true)
            try plan.keyParts.append(record, separator: 0x1F, to: &key)
            let value = try plan.value(record)
            var also: [Value] = []
            for evaluator in plan.also { also.append(try evaluator(record)) }
            let time = record.eventTime
            guard let index = key.withUnsafeBytes({ entries.index(of: $0) }) else {
                let entry = ChangesEntry(value: value.stored(), also: also.map { $0.stored() }, passedAt: time)
                _ = key.withUnsafeBytes { entries.insert($0, value: entry) }
                if let slot = plan.previousSlot {
                    record.aliases[slot] = nil
                    record.aliasDocuments[slot] = nil
                }
                next?.push(record)
                return
            }
            let last = entries[index]
            var passes = try changed(from: last.value.value, to: value, record)
            passes =
                passes || zip(last.also, also).contains { !Value.equal($0.value, $1) } || last.also.count != also.count
            if !passes, let heartbeat = plan.heartbeat, time &- last.passedAt >= heartbeat { passes = true }
            guard passes else {
                counters.metrics.filtered += 1
                return
            }
            if let slot = plan.previousSlot {
                let document = Self.previous(last)
                record.aliases[slot] = document?.root
                record.aliasDocuments[slot] = document
            }
            entries.update(at: index) {
                $0 = ChangesEntry(value: value.stored(), also: also.map { $0.stored() }, passedAt: time)
            }
            next?.push(record)
        } catch {
            context.deadLetter(record, error)
        }
    }

    /// `{"value": <last value>, "at": <its event time>}`.
    private static func previous(_ last: ChangesEntry) -> OwnedDocument? {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        writer.key("value")
        last.value.value.write(to: &writer)
        writer.key("at")
        writer.int(last.passedAt)
        writer.endObject()
        return try? OwnedDocument.parse(writer.bytes)
    }

    /// Whether `value` differs from `last`: numbers by more than the deadbands, anything else by equality.
    private func changed(from last: Value, to value: Value, _ record: RecordContext) throws(RecordFailure) -> Bool {
        guard last.isNumber, value.isNumber, let old = last.decimal, let new = value.decimal else {
            return !Value.equal(last, value)
        }
        guard let difference = try? new.subtracting(old) else { return true }
        let change = difference.compare(.zero) < 0 ? (try? difference.negated()) ?? difference : difference
        guard change.compare(.zero) > 0 else { return false }
        if let absolute = plan.absolute, let band = try absolute(record).decimal, change.compare(band) <= 0 {
            return false
        }
        if let percent = plan.percent, let share = try percent(record).decimal {
            let magnitude = old.compare(.zero) < 0 ? (try? old.negated()) ?? old : old
            if let scaled = try? magnitude.multiplied(by: share),
                let band = try? scaled.divided(by: ExactDecimal(100), scale: 12),
                change.compare(band) <= 0
            {
                return false
            }
        }
        return true
    }
}
