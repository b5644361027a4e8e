import DequeModule

/// `dedupe:` — drops repeats of a key seen within the TTL (event time); repeats are counted.
///
/// State: key → (first seen, expiry) per partition, changelogged; entries expire once the
/// partition's stream time passes their expiry.
final class DedupeStepPlan: StepPlan {
    let keyParts: KeyPlan
    let ttl: Int64
    let storeDestination: Destination

    init(keyParts: KeyPlan, ttl: Int64, storeDestination: Destination) {
        self.keyParts = keyParts
        self.ttl = ttl
        self.storeDestination = storeDestination
    }

    func makeNode(in context: StepContext) -> StepNode { DedupeNode(plan: self, context: context) }
}

/// A dedupe entry.
struct DedupeEntry: StateCodable {
    var firstSeen: Int64
    var expiresAt: Int64

    func encode(into writer: inout StateWriter) {
        writer.write(firstSeen)
        writer.write(expiresAt)
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> DedupeEntry {
        DedupeEntry(firstSeen: try reader.readInt64(), expiresAt: try reader.readInt64())
    }
}

final class DedupeNode: StepNode {
    var next: StepNode?
    private let plan: DedupeStepPlan
    private let context: StepContext
    private let counters: TaskCounters
    private let clock: TaskClock
    private let store: ChangelogStore
    private let entries: LoggedStore<DedupeEntry>
    @exclusivity(unchecked) private var expiries = Deque<(expiresAt: Int64, index: Int)>()
    @exclusivity(unchecked) private var key: [UInt8] = []

    init(plan: DedupeStepPlan, context: StepContext) {
        self.plan = plan
        self.context = context
        counters = context.counters
        clock = context.clock
        store = ChangelogStore(name: plan.storeDestination.name, destination: plan.storeDestination)
        entries = store.makeMap(tag: 1)
    }

    var stores: [StateStore] { [store] }

    func push(_ context: RecordContext) {
        key.removeAll(keepingCapacity: true)
        do {
            try plan.keyParts.append(context, separator: 0x1F, to: &key)
        } catch {
            self.context.deadLetter(context, error)
            return
        }
        let time = context.eventTime
        let expiresAt = time &+ plan.ttl
        if let index = key.withUnsafeBytes({ entries.index(of: $0) }) {
            let entry = entries[index]
            if time >= entry.firstSeen - plan.ttl && time < entry.expiresAt {
                counters.metrics.duplicates += 1
                return
            }
            entries.update(at: index) { $0 = DedupeEntry(firstSeen: time, expiresAt: expiresAt) }
            expiries.append((expiresAt, index))
        } else {
            let index = key.withUnsafeBytes {
                entries.insert($0, value: DedupeEntry(firstSeen: time, expiresAt: expiresAt))
            }
            expiries.append((expiresAt, index))
        }
        next?.push(context)
    }

    func streamTimeAdvanced() {
        let now = clock.streamTime
        while let first = expiries.first, first.expiresAt <= now {
            expiries.removeFirst()
            if entries.isLive(first.index), entries[first.index].expiresAt == first.expiresAt {
                entries.remove(at: first.index)
            }
        }
    }

    func stateRestored() {
        var restored: [(Int64, Int)] = entries.indexes.map { (entries[$0].expiresAt, $0) }
        restored.sort { $0.0 < $1.0 }
        expiries = Deque(restored.map { (expiresAt: $0.0, index: $0.1) })
        clock.recover(streamTime: entries.indexes.map { entries[$0].firstSeen }.max() ?? Int64.min)
    }
}
