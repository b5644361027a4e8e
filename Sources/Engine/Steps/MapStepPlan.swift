/// `map:` — evaluates the output fields in order; the record's map output is then what `emit` writes.
final class MapStepPlan: StepPlan {
    /// Field names (dotted names build nested objects) and their expressions.
    let names: [String]
    let fields: [Evaluator]

    init(names: [String], fields: [Evaluator]) {
        self.names = names
        self.fields = fields
    }

    func makeNode(for task: PartitionTask) -> StepNode { MapNode(plan: self, task: task) }
}

final class MapNode: StepNode {
    var next: StepNode?
    private let fields: [Evaluator]
    private unowned let task: PartitionTask

    init(plan: MapStepPlan, task: PartitionTask) {
        fields = plan.fields
        self.task = task
    }

    func push(_ context: RecordContext) {
        if context.mapValues.count != fields.count {
            context.mapValues = Array(repeating: .null, count: fields.count)
        }
        do {
            for (index, field) in fields.enumerated() { context.mapValues[index] = try field(context) }
        } catch {
            task.deadLetter(context, error)
            return
        }
        context.mapped = true
        next?.push(context)
        context.mapped = false
    }
}
