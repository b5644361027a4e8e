import JSON
import Topology

/// Compiled key parts (Kafka keys, idempotency keys, group, dedupe, lookup and lot keys) with fast
/// paths: a path into the event is resolved directly and a literal is copied, without calling a
/// closure or boxing a ``Value``.
///
/// The parts are also laid out flat in memory the plan owns (``view``): the per-record loop reads
/// plain pointers, so it retains and releases nothing (an enum payload copied out of `parts` would).
struct KeyPlan {
    enum Part {
        case eventPath([PathStep])
        case literal([UInt8])
        /// A field of the preceding `map` (what its compiled path reads: the value once mapped, else `null`).
        case mapField(Int)
        case expression(Evaluator)
    }

    /// One part as the hot path reads it (trivial: pointers into the plan's storage).
    struct FlatPart {
        enum Kind: UInt8 {
            case eventPath, literal, mapField, expression
        }

        var kind: Kind
        /// The field index of a `mapField` part.
        var field: Int = 0
        /// The path of an `eventPath` part.
        var steps: UnsafeBufferPointer<PathStep>
        /// The bytes of a `literal` part.
        var bytes: UnsafeRawBufferPointer
    }

    /// Owns the flat copies of the parts (freed with the plan).
    final class Storage {
        let source: [Part]
        let parts: UnsafeMutableBufferPointer<FlatPart>
        let steps: UnsafeMutableBufferPointer<PathStep>
        let bytes: UnsafeMutableRawBufferPointer

        init(_ parts: [Part]) {
            source = parts
            var stepCount = 0
            var byteCount = 0
            for part in parts {
                switch part {
                case .eventPath(let steps): stepCount += steps.count
                case .literal(let bytes): byteCount += bytes.count
                case .mapField, .expression: break
                }
            }
            self.parts = .allocate(capacity: parts.count)
            steps = .allocate(capacity: max(stepCount, 1))
            bytes = .allocate(byteCount: max(byteCount, 1), alignment: 1)
            var stepOffset = 0
            var byteOffset = 0
            for (index, part) in parts.enumerated() {
                var flat = FlatPart(
                    kind: .expression, steps: UnsafeBufferPointer(start: nil, count: 0),
                    bytes: UnsafeRawBufferPointer(start: nil, count: 0))
                switch part {
                case .eventPath(let path):
                    for (offset, step) in path.enumerated() {
                        (steps.baseAddress! + stepOffset + offset).initialize(to: step)
                    }
                    flat.kind = .eventPath
                    flat.steps = UnsafeBufferPointer(start: steps.baseAddress! + stepOffset, count: path.count)
                    stepOffset += path.count
                case .literal(let literal):
                    literal.withUnsafeBytes { source in
                        if !source.isEmpty {
                            UnsafeMutableRawBufferPointer(rebasing: bytes[byteOffset..<byteOffset + source.count])
                                .copyMemory(from: source)
                        }
                    }
                    flat.kind = .literal
                    flat.bytes = UnsafeRawBufferPointer(start: bytes.baseAddress! + byteOffset, count: literal.count)
                    byteOffset += literal.count
                case .mapField(let field):
                    flat.kind = .mapField
                    flat.field = field
                case .expression:
                    break
                }
                (self.parts.baseAddress! + index).initialize(to: flat)
            }
        }

        deinit {
            parts.deallocate()
            steps.deallocate()
            bytes.deallocate()
        }
    }

    /// The parts as written.
    var parts: [Part] { storage.source }
    /// The parts as the hot path reads them (a trivial value: copy it into a node once, no reference counting
    /// per record). Valid while this plan lives.
    let view: View
    private let storage: Storage

    init(parts: [Part]) {
        storage = Storage(parts)
        view = View(parts: UnsafeBufferPointer(storage.parts), storage: Unmanaged.passUnretained(storage))
    }

    var isEmpty: Bool { view.parts.isEmpty }
    var count: Int { view.parts.count }

    /// Appends the parts' text forms, separated by `separator`.
    @inline(__always)
    func append(_ context: RecordContext, separator: UInt8, to buffer: inout [UInt8]) throws(RecordFailure) {
        try view.append(context, separator: separator, to: &buffer)
    }

    /// The value of one part.
    @inline(__always)
    func value(_ index: Int, _ context: RecordContext) throws(RecordFailure) -> Value {
        try view.value(index, context)
    }

    /// A borrowed view of a ``KeyPlan``: pointers into its storage.
    struct View {
        let parts: UnsafeBufferPointer<FlatPart>
        /// Unretained: the ``KeyPlan`` the view came from keeps the storage alive.
        let storage: Unmanaged<Storage>

        var isEmpty: Bool { parts.isEmpty }

        /// Appends the parts' text forms, separated by `separator`.
        @inline(__always)
        func append(_ context: RecordContext, separator: UInt8, to buffer: inout [UInt8]) throws(RecordFailure) {
            for index in 0..<parts.count {
                if index > 0 { buffer.append(separator) }
                let part = parts[index]
                switch part.kind {
                case .eventPath:
                    if case .node(let node) = ExpressionCompiler.resolveEvent(context, part.steps) {
                        KeyPlan.appendText(node, to: &buffer)
                    }
                case .literal:
                    buffer.append(contentsOf: part.bytes)
                case .mapField:
                    if context.mapped { context.mapValues[part.field].appendText(to: &buffer) }
                case .expression:
                    try appendExpression(index, context, to: &buffer)
                }
            }
        }

        @inline(never)
        private func appendExpression(_ index: Int, _ context: RecordContext, to buffer: inout [UInt8])
            throws(RecordFailure)
        {
            guard case .expression(let evaluator) = storage.takeUnretainedValue().source[index] else { return }
            try evaluator(context).appendText(to: &buffer)
        }

        /// The value of one part.
        @inline(__always)
        func value(_ index: Int, _ context: RecordContext) throws(RecordFailure) -> Value {
            let part = parts[index]
            switch part.kind {
            case .eventPath:
                return ExpressionCompiler.resolveEvent(context, part.steps)
            case .mapField:
                return context.mapped ? context.mapValues[part.field] : .null
            case .literal, .expression:
                return try partValue(index, context)
            }
        }

        @inline(never)
        private func partValue(_ index: Int, _ context: RecordContext) throws(RecordFailure) -> Value {
            switch storage.takeUnretainedValue().source[index] {
            case .eventPath(let steps): return ExpressionCompiler.resolveEvent(context, steps)
            case .literal(let bytes): return .text(bytes)
            case .mapField(let field): return context.mapped ? context.mapValues[field] : .null
            case .expression(let evaluator): return try evaluator(context)
            }
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
            case .path(let path, let location) where scope.mapFields?[path.description] != nil:
                _ = try compilePath(path, in: scope, at: location)
                parts.append(.mapField(scope.mapFields![path.description]!))
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
