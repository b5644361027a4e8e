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

    func makeNode(in context: StepContext) -> StepNode { EnrichNode(plan: self, context: context) }
}

final class EnrichNode: StepNode {
    var next: StepNode?
    private let plan: EnrichStepPlan
    private let context: StepContext
    @exclusivity(unchecked) private var key: [UInt8] = []

    init(plan: EnrichStepPlan, context: StepContext) {
        self.plan = plan
        self.context = context
    }

    func push(_ context: RecordContext) {
        key.removeAll(keepingCapacity: true)
        do {
            try plan.keyParts.append(context, separator: 0x7C, to: &key)
        } catch {
            self.context.deadLetter(context, error)
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
            self.context.deadLetter(context, RecordFailure(.enrichmentMissing, message))
        case .exception:
            if context.parkReason == nil { context.parkReason = ("ENRICHMENT_MISS", message) }
            next?.push(context)
        case .skip:
            next?.push(context)
        }
    }
}
