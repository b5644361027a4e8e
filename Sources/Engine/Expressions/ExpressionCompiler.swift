import JSON
import Timekeeping
import Topology

/// A compiled expression: evaluates against the current record without parsing or name lookups.
typealias Evaluator = (RecordContext) throws(RecordFailure) -> Value

/// Compiles ``Topology/Expression`` trees into closures once, at engine construction.
///
/// Paths are resolved against a ``Scope`` (event fields, aliases, window result names, map fields),
/// literals are parsed once, and functions bind their tables and plant calendar up front.
/// - Important: Compiled closures share scratch buffers: use them from the engine's thread only.
struct ExpressionCompiler {
    let services: EngineServices
    /// Identifies `convert()` call sites for residue keys.
    let callSites = CallSiteCounter()

    init(services: EngineServices) {
        self.services = services
    }

    /// Compiles one expression.
    /// - Throws: ``EngineError/Code/invalidExpression`` with the expression's location.
    func compile(_ expression: Expression, in scope: Scope) throws(EngineError) -> Evaluator {
        switch expression {
        case .literal(let literal, let location):
            return try compileLiteral(literal, at: location)
        case .path(let path, let location):
            return try compilePath(path, in: scope, at: location)
        case .unary(let op, let operand, _):
            let inner = try compile(operand, in: scope)
            switch op {
            case .not:
                return { (context) throws(RecordFailure) -> Value in .bool(!(try inner(context)).isTrue) }
            case .negate:
                return { (context) throws(RecordFailure) -> Value in
                    let value = try inner(context)
                    if value.isNull { return .null }
                    guard let number = value.decimal else {
                        throw RecordFailure(.expressionType, "cannot negate a non-number")
                    }
                    do throws(JSONError) { return .decimal(try number.negated()) } catch {
                        throw RecordFailure(.decimalOverflow, error.message)
                    }
                }
            }
        case .binary(let op, let left, let right, _):
            switch op {
            case .add, .subtract, .multiply, .divide:
                return try compileArithmetic(
                    op, try compileOperand(left, in: scope), try compileOperand(right, in: scope))
            default:
                return try compileBinary(op, try compile(left, in: scope), try compile(right, in: scope))
            }
        case .call(let name, let arguments, let location):
            return try compileCall(name, arguments, in: scope, at: location)
        }
    }

    /// Compiles a condition (`true` only for boolean true).
    func compileCondition(_ expression: Expression, in scope: Scope) throws(EngineError) -> (RecordContext)
        throws(RecordFailure) -> Bool
    {
        let evaluator = try compile(expression, in: scope)
        return { (context) throws(RecordFailure) -> Bool in try evaluator(context).isTrue }
    }

    // MARK: Literals

    private func compileLiteral(_ literal: Expression.Literal, at location: SourceLocation) throws(EngineError)
        -> Evaluator
    {
        switch literal {
        case .null: return { _ in .null }
        case .bool(let flag): return { _ in .bool(flag) }
        case .string(let text):
            let bytes = Array(text.utf8)
            return { _ in .text(bytes) }
        case .number(let text):
            guard let number = try? ExactDecimal(parsing: text) else {
                throw EngineError(.invalidExpression, "number \(text) is out of range", at: location)
            }
            return { _ in .decimal(number) }
        }
    }

    // MARK: Paths

    /// Compiles a path into a resolver.
    func compilePath(_ path: FieldPath, in scope: Scope, at location: SourceLocation) throws(EngineError)
        -> Evaluator
    {
        let root = path.root
        let rest = PathStep.steps(path.segments.dropFirst())
        if let mapFields = scope.mapFields {
            if let index = mapFields[path.description] {
                return { context in context.mapped ? context.mapValues[index] : .null }
            }
            if mapFields.keys.contains(where: { $0.hasPrefix(path.description + ".") }) {
                throw EngineError(
                    .invalidExpression,
                    "\(path) is an object built by map; refer to its fields by their full dotted name",
                    at: location)
            }
        }
        if let slot = scope.aliases[root] {
            return { context in
                guard let node = context.aliases[slot] else { return .null }
                return Self.resolve(node, rest)
            }
        }
        switch scope.record {
        case .event, .row:
            let steps = PathStep.steps(path.segments[...])
            return { context in Self.resolveEvent(context, steps) }
        case .window(let groupNames, let aggregateNames):
            if let index = groupNames.firstIndex(of: root) {
                return { context in
                    guard let window = context.window else { return .null }
                    let value = window.groupValues[index].value
                    if rest.isEmpty { return value }
                    guard case .node(let node) = value else { return .null }
                    return Self.resolve(node, rest)
                }
            }
            if let index = aggregateNames.firstIndex(of: root), rest.isEmpty {
                return { context in context.window?.aggregates[index].value ?? .null }
            }
            if root == "window", rest.count == 1, let field = rest[0].name {
                return try compileWindowField(field, at: location)
            }
            throw EngineError(
                .invalidExpression,
                "unknown name \(path) after window; available: \(scope.knownRoots.joined(separator: ", "))",
                at: location)
        }
    }

    private func compileWindowField(_ field: String, at location: SourceLocation) throws(EngineError) -> Evaluator {
        switch field {
        case "start":
            return { context in
                guard let window = context.window else { return .null }
                var text: [UInt8] = []
                RFC3339.appendTimestamp(window.bounds.start, to: &text)
                return .text(text)
            }
        case "end":
            return { context in
                guard let window = context.window else { return .null }
                var text: [UInt8] = []
                RFC3339.appendTimestamp(window.bounds.end, to: &text)
                return .text(text)
            }
        case "sizeSec":
            return { context in context.window.map { .decimal(ExactDecimal($0.sizeSeconds)) } ?? .null }
        case "revision":
            return { context in context.window.map { .decimal(ExactDecimal(Int64($0.revision))) } ?? .null }
        case "closedBy":
            return { context in context.window.map { .text(Array($0.closedBy.name.utf8)) } ?? .null }
        default:
            throw EngineError(
                .invalidExpression,
                "unknown window field window.\(field); expected start, end, sizeSec, revision or closedBy",
                at: location)
        }
    }

    /// Walks `steps` from the context's event, using the context's cache of top-level members.
    @inline(__always)
    static func resolveEvent(_ context: RecordContext, _ steps: [PathStep]) -> Value {
        steps.withUnsafeBufferPointer { resolveEvent(context, $0) }
    }

    /// As the array form, over steps kept in plan-owned memory (no reference counting per call).
    @inline(__always)
    static func resolveEvent(_ context: RecordContext, _ steps: UnsafeBufferPointer<PathStep>) -> Value {
        guard let event = context.event else { return .null }
        guard let first = steps.first, let key = first.key, let name = key.baseAddress else {
            return resolve(event, steps)
        }
        let cache = context.rootMembers
        let current: JSONNode
        let cached = cache.index(of: name)
        if cached >= 0 {
            current = event.document.node(at: cached)
        } else {
            guard let found = event.member(utf8: key) else { return .null }
            cache.remember(name, at: found.index)
            current = found
        }
        return resolve(current, UnsafeBufferPointer(rebasing: steps[1...]))
    }

    /// Walks `steps` from `node`; a missing member or element is `null`.
    @inline(__always)
    static func resolve(_ node: JSONNode, _ steps: [PathStep]) -> Value {
        steps.withUnsafeBufferPointer { resolve(node, $0) }
    }

    /// As the array form, over steps kept in plan-owned memory.
    @inline(__always)
    static func resolve(_ node: JSONNode, _ steps: UnsafeBufferPointer<PathStep>) -> Value {
        var current = node
        for step in steps {
            if let key = step.key {
                guard let next = current.member(utf8: key) else { return .null }
                current = next
            } else {
                guard let next = current[step.index] else { return .null }
                current = next
            }
        }
        return .node(current)
    }

    // MARK: Operators

    private func compileBinary(
        _ op: Expression.BinaryOperator, _ left: @escaping Evaluator, _ right: @escaping Evaluator
    )
        throws(EngineError) -> Evaluator
    {
        switch op {
        case .and:
            return { (context) throws(RecordFailure) -> Value in
                guard try left(context).isTrue else { return .bool(false) }
                return .bool(try right(context).isTrue)
            }
        case .or:
            return { (context) throws(RecordFailure) -> Value in
                if try left(context).isTrue { return .bool(true) }
                return .bool(try right(context).isTrue)
            }
        case .coalesce:
            return { (context) throws(RecordFailure) -> Value in
                let value = try left(context)
                return value.isNull ? try right(context) : value
            }
        case .equal:
            return { (context) throws(RecordFailure) -> Value in
                .bool(Value.equal(try left(context), try right(context)))
            }
        case .notEqual:
            return { (context) throws(RecordFailure) -> Value in
                .bool(!Value.equal(try left(context), try right(context)))
            }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let accept: (Int) -> Bool =
                switch op {
                case .less: { $0 < 0 }
                case .lessOrEqual: { $0 <= 0 }
                case .greater: { $0 > 0 }
                default: { $0 >= 0 }
                }
            return { (context) throws(RecordFailure) -> Value in
                guard let order = Value.compare(try left(context), try right(context)) else { return .bool(false) }
                return .bool(accept(order))
            }
        case .add, .subtract, .multiply, .divide:
            return try compileArithmetic(op, .evaluator(left), .evaluator(right))
        }
    }

    /// Digits kept by `/` (rounded half-up); use `round()` for another scale.
    static let divisionScale = 6

    /// An operand of an arithmetic operator: a path into the event is resolved in place (as its compiled
    /// path would), anything else by its evaluator. Saves a closure call and its context's reference count per
    /// operand in expressions such as `data.totalCount - data.goodCount`.
    enum Operand {
        case eventPath([PathStep])
        case evaluator(Evaluator)

        @inline(__always)
        func value(_ context: RecordContext) throws(RecordFailure) -> Value {
            switch self {
            case .eventPath(let steps): ExpressionCompiler.resolveEvent(context, steps)
            case .evaluator(let evaluator): try evaluator(context)
            }
        }
    }

    private func compileOperand(_ expression: Expression, in scope: Scope) throws(EngineError) -> Operand {
        if case .path(let path, let location) = expression, Self.isEventPath(path, in: scope) {
            _ = try compilePath(path, in: scope, at: location)  // the same checks as the general form
            return .eventPath(PathStep.steps(path.segments[...]))
        }
        return .evaluator(try compile(expression, in: scope))
    }

    /// `+ - * /` (as ``compileBinary(_:_:_:)`` would compile them, over operands).
    private func compileArithmetic(_ op: Expression.BinaryOperator, _ left: Operand, _ right: Operand)
        throws(EngineError) -> Evaluator
    {
        { (context) throws(RecordFailure) -> Value in
            let lhs = try left.value(context)
            let rhs = try right.value(context)
            if lhs.isNull || rhs.isNull { return .null }
            guard let a = lhs.decimal, let b = rhs.decimal else {
                throw RecordFailure(.expressionType, "operator \(op.rawValue) needs numbers")
            }
            do throws(JSONError) {
                switch op {
                case .add: return .decimal(try a.adding(b))
                case .subtract: return .decimal(try a.subtracting(b))
                case .multiply: return .decimal(try a.multiplied(by: b))
                default: return .decimal(try a.divided(by: b, scale: Self.divisionScale).normalized())
                }
            } catch {
                throw RecordFailure(
                    error.code == .divisionByZero ? RecordFailure.Code.divisionByZero : .decimalOverflow, error.message)
            }
        }
    }
}

/// Hands out call-site numbers (shared by copies of a compiler).
final class CallSiteCounter {
    private(set) var next = 0

    func take() -> Int {
        defer { next += 1 }
        return next
    }
}
