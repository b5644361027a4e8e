/// `filter:` — keeps records for which the condition is true; evaluation failures are dead letters.
final class FilterStepPlan: StepPlan {
    let condition: Evaluator

    init(condition: @escaping Evaluator) {
        self.condition = condition
    }

    func makeNode(in context: StepContext) -> StepNode { FilterNode(plan: self, context: context) }
}

final class FilterNode: StepNode {
    var next: StepNode?
    private let condition: Evaluator
    private let context: StepContext
    private let counters: TaskCounters

    init(plan: FilterStepPlan, context: StepContext) {
        condition = plan.condition
        self.context = context
        counters = context.counters
    }

    func push(_ context: RecordContext) {
        do {
            if try condition(context).isTrue {
                next?.push(context)
            } else {
                counters.metrics.filtered += 1
            }
        } catch {
            self.context.deadLetter(context, error)
        }
    }
}
