/// `filter:` — keeps records for which the condition is true; evaluation failures are dead letters.
final class FilterStepPlan: StepPlan {
    let condition: Evaluator

    init(condition: @escaping Evaluator) {
        self.condition = condition
    }

    func makeNode(for task: PartitionTask) -> StepNode { FilterNode(plan: self, task: task) }
}

final class FilterNode: StepNode {
    var next: StepNode?
    private let condition: Evaluator
    private unowned let task: PartitionTask

    init(plan: FilterStepPlan, task: PartitionTask) {
        condition = plan.condition
        self.task = task
    }

    func push(_ context: RecordContext) {
        do {
            if try condition(context).isTrue {
                next?.push(context)
            } else {
                task.counters.pointee.filtered += 1
            }
        } catch {
            task.deadLetter(context, error)
        }
    }
}
