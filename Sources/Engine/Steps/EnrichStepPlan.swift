import Topology

/// `enrich:` — joins a global table by key; the row (valid at the record's event time) is bound to an alias.
///
/// A missing key: `dead_letter` writes a dead letter (`ENRICHMENT_MISSING`); `exception` continues
/// without the row and `emit` writes the posting as a PARKED exception (`ENRICHMENT_MISS`); `skip`
/// continues without the row (the alias is `null`).
final class EnrichStepPlan: StepPlan {
    let table: GlobalTable
    let keyParts: KeyPlan
    let slot: Int
    let onMissing: EnrichStep.MissingPolicy

    init(table: GlobalTable, keyParts: KeyPlan, slot: Int, onMissing: EnrichStep.MissingPolicy) {
        self.table = table
        self.keyParts = keyParts
        self.slot = slot
        self.onMissing = onMissing
    }

    func makeNode(for task: PartitionTask) -> StepNode { EnrichNode(plan: self, task: task) }
}

final class EnrichNode: StepNode {
    var next: StepNode?
    private let plan: EnrichStepPlan
    private unowned let task: PartitionTask
    private var key: [UInt8] = []

    init(plan: EnrichStepPlan, task: PartitionTask) {
        self.plan = plan
        self.task = task
    }

    func push(_ context: RecordContext) {
        key.removeAll(keepingCapacity: true)
        do {
            try plan.keyParts.append(context, separator: 0x7C, to: &key)
        } catch {
            task.deadLetter(context, error)
            return
        }
        let table = plan.table
        if let row = key.withUnsafeBytes({ table.lookup($0, at: context.eventTime) }) {
            context.aliases[plan.slot] = row.root
            context.aliasDocuments[plan.slot] = row
            next?.push(context)
            return
        }
        let message = "no row in table \(table.name) for key \(String(decoding: key, as: UTF8.self))"
        switch plan.onMissing {
        case .deadLetter:
            task.deadLetter(context, RecordFailure("ENRICHMENT_MISSING", message))
        case .exception:
            if context.parkReason == nil { context.parkReason = ("ENRICHMENT_MISS", message) }
            next?.push(context)
        case .skip:
            next?.push(context)
        }
    }
}
