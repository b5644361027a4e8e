/// `explode:` — one record per element of an array, the element reachable by its alias.
///
/// A missing or empty array passes nothing on (counted as filtered). The element index is appended
/// to 1:1 idempotency keys so each element's posting has its own key.
final class ExplodeStepPlan: StepPlan {
    let array: Evaluator
    let slot: Int

    init(array: @escaping Evaluator, slot: Int) {
        self.array = array
        self.slot = slot
    }

    func makeNode(in context: StepContext) -> StepNode { ExplodeNode(plan: self, context: context) }
}

final class ExplodeNode: StepNode {
    var next: StepNode?
    private let array: Evaluator
    private let slot: Int
    private let context: StepContext
    private let counters: TaskCounters

    init(plan: ExplodeStepPlan, context: StepContext) {
        array = plan.array
        slot = plan.slot
        self.context = context
        counters = context.counters
    }

    func push(_ context: RecordContext) {
        let value: Value
        do { value = try array(context) } catch {
            self.context.deadLetter(context, error)
            return
        }
        guard case .node(let node) = value, node.kind == .array, node.count > 0 else {
            counters.metrics.filtered += 1
            return
        }
        let hold = context.hold
        let parkReason = context.parkReason
        for (index, element) in node.elements.enumerated() {
            context.hold = hold
            context.parkReason = parkReason
            context.aliases[slot] = element
            context.explodeIndex = index
            next?.push(context)
        }
        context.aliases[slot] = nil
        context.explodeIndex = -1
    }
}
