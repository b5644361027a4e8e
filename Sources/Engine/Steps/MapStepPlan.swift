/// `map:` — evaluates the output fields in order; the record's map output is then what `emit` writes.
final class MapStepPlan: StepPlan {
    /// Field names (dotted names build nested objects) and their expressions.
    let names: [String]
    let fields: [Evaluator]

    init(names: [String], fields: [Evaluator]) {
        self.names = names
        self.fields = fields
    }

    func makeNode(in context: StepContext) -> StepNode { MapNode(plan: self, context: context) }
}

final class MapNode: StepNode {
    var next: StepNode?
    private let fields: [Evaluator]
    private let context: StepContext
    /// Values being computed (a map may read the output of the map before it, so it cannot write in place).
    @exclusivity(unchecked) private var buffer: [Value]

    init(plan: MapStepPlan, context: StepContext) {
        fields = plan.fields
        self.context = context
        buffer = Array(repeating: .null, count: plan.fields.count)
    }

    func push(_ context: RecordContext) {
        do {
            for (index, field) in fields.enumerated() { buffer[index] = try field(context) }
        } catch {
            self.context.deadLetter(context, error)
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
