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
    // unowned(unsafe): the task owns this node (through its pipelines) and is the only caller of its methods,
    // so it outlives every call; an `unowned` reference would be checked and retained on every access.
    private unowned(unsafe) let task: PartitionTask
    /// Values being computed (a map may read the output of the map before it, so it cannot write in place).
    private var buffer: [Value]

    init(plan: MapStepPlan, task: PartitionTask) {
        fields = plan.fields
        self.task = task
        buffer = Array(repeating: .null, count: plan.fields.count)
    }

    func push(_ context: RecordContext) {
        do {
            for (index, field) in fields.enumerated() { buffer[index] = try field(context) }
        } catch {
            task.deadLetter(context, error)
            return
        }
        let wasMapped = context.mapped
        swap(&buffer, &context.mapValues)
        context.mapped = true
        next?.push(context)
        swap(&buffer, &context.mapValues)
        context.mapped = wasMapped
    }
}
