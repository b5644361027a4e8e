import JSON
import Topology

/// Compiled key parts (Kafka keys, idempotency keys, group, dedupe, lookup and lot keys) with fast
/// paths: a path into the event is resolved directly and a literal is copied, without calling a
/// closure or boxing a ``Value``.
struct KeyPlan {
    enum Part {
        case eventPath([PathStep])
        case literal([UInt8])
        case expression(Evaluator)
    }

    let parts: [Part]

    var isEmpty: Bool { parts.isEmpty }
    var count: Int { parts.count }

    /// Appends the parts' text forms, separated by `separator`.
    @inline(__always)
    func append(_ context: RecordContext, separator: UInt8, to buffer: inout [UInt8]) throws(RecordFailure) {
        var first = true
        for part in parts {
            if !first { buffer.append(separator) }
            first = false
            switch part {
            case .eventPath(let steps):
                if case .node(let node) = ExpressionCompiler.resolveEvent(context, steps) {
                    Self.appendText(node, to: &buffer)
                }
            case .literal(let bytes):
                buffer.append(contentsOf: bytes)
            case .expression(let evaluator):
                try evaluator(context).appendText(to: &buffer)
            }
        }
    }

    /// The value of one part.
    @inline(__always)
    func value(_ index: Int, _ context: RecordContext) throws(RecordFailure) -> Value {
        switch parts[index] {
        case .eventPath(let steps):
            return ExpressionCompiler.resolveEvent(context, steps)
        case .literal(let bytes):
            return .text(bytes)
        case .expression(let evaluator):
            return try evaluator(context)
        }
    }

    /// A node's text form (as ``Value/appendText(to:)``), inlined for the common scalar kinds.
    @inline(__always)
    static func appendText(_ node: JSONNode, to buffer: inout [UInt8]) {
        switch node.kind {
        case .string:
            if !node.hasEscapes, let raw = node.rawStringBytes {
                buffer.append(contentsOf: raw)
            } else {
                node.appendUnescapedBytes(to: &buffer)
            }
        case .number: buffer.append(contentsOf: node.numberText!)
        default: Value.node(node).appendText(to: &buffer)
        }
    }
}

extension ExpressionCompiler {
    /// Compiles key parts, using the fast paths where the scope allows.
    func compileKey(_ expressions: [Expression], in scope: Scope) throws(EngineError) -> KeyPlan {
        var parts: [KeyPlan.Part] = []
        for expression in expressions {
            switch expression {
            case .literal(.string(let text), _):
                parts.append(.literal(Array(text.utf8)))
            case .path(let path, let location) where Self.isEventPath(path, in: scope):
                _ = try compilePath(path, in: scope, at: location)
                parts.append(.eventPath(PathStep.steps(path.segments[...])))
            default:
                parts.append(.expression(try compile(expression, in: scope)))
            }
        }
        return KeyPlan(parts: parts)
    }

    /// `true` when a path resolves against the current event (not an alias, window name or map field).
    static func isEventPath(_ path: FieldPath, in scope: Scope) -> Bool {
        guard case .event = scope.record, scope.aliases[path.root] == nil else { return false }
        if let mapFields = scope.mapFields {
            return mapFields[path.description] == nil
                && !mapFields.keys.contains { $0 == path.root || $0.hasPrefix(path.root + ".") }
        }
        return true
    }
}
