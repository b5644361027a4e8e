extension Step {
    /// Every expression the step holds, in option order (for tools that walk a pipeline).
    public var expressions: [Expression] {
        switch kind {
        case .validate, .custom:
            return []
        case .dedupe(let step):
            return step.key
        case .filter(let step):
            return [step.when]
        case .changes(let step):
            return step.key + [step.value] + step.also + [step.absolute, step.percent].compactMap { $0 }
        case .explode(let step):
            return [.path(step.path, location)]
        case .window(let step):
            return step.groupBy.map(\.expression) + step.aggregates.compactMap(\.argument)
                + [step.emitEarly, step.closeWhen].compactMap { $0 }
        case .enrich(let step):
            return step.key
        case .hold(let step):
            return step.lot + [step.heldWhen, step.cancelWhen]
        case .map(let step):
            return step.fields.map(\.expression)
        case .normalize(let step):
            return step.fields.map(\.expression)
        case .emit(let step):
            return step.key + step.idempotencyKey
        }
    }
}

extension Expression {
    /// This expression and every sub-expression, depth first.
    public var allSubexpressions: [Expression] {
        switch self {
        case .literal, .path:
            return [self]
        case .call(_, let arguments, _):
            return [self] + arguments.flatMap(\.allSubexpressions)
        case .unary(_, let operand, _):
            return [self] + operand.allSubexpressions
        case .binary(_, let left, let right, _):
            return [self] + left.allSubexpressions + right.allSubexpressions
        }
    }
}
