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

    func makeNode(for task: PartitionTask) -> StepNode { DedupeNode(plan: self, task: task) }
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
    private unowned let task: PartitionTask
    private let store: ChangelogStore
    private let entries: LoggedStore<DedupeEntry>
    private var expiries = Deque<(expiresAt: Int64, index: Int)>()
    private var key: [UInt8] = []

    init(plan: DedupeStepPlan, task: PartitionTask) {
        self.plan = plan
        self.task = task
        store = ChangelogStore(name: plan.storeDestination.name, destination: plan.storeDestination)
        entries = store.makeMap(tag: 1)
    }

    var stores: [StateStore] { [store] }

    func push(_ context: RecordContext) {
        key.removeAll(keepingCapacity: true)
        do {
            try plan.keyParts.append(context, separator: 0x1F, to: &key)
        } catch {
            task.deadLetter(context, error)
            return
        }
        let time = context.eventTime
        let expiresAt = time &+ plan.ttl
        if let index = key.withUnsafeBytes({ entries.index(of: $0) }) {
            let entry = entries[index]
            if time >= entry.firstSeen - plan.ttl && time < entry.expiresAt {
                task.counters.pointee.duplicates += 1
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
        let now = task.streamTime
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
        let latest = entries.indexes.map { entries[$0].firstSeen }.max() ?? Int64.min
        if latest > task.streamTime { task.streamTime = latest }
    }
}
