import JSON
import Topology

/// A user-defined pipeline step, registered by name in a ``StepRegistry`` and used in
/// `topology.yaml` like a built-in step (`Step.Kind.custom(name, options)`).
///
/// The step sees each record (an event, or a window result after a `window` step) and decides
/// whether it continues, is dropped (counted as filtered) or becomes a dead letter.
///
/// - Important: Called on the task's thread; keep per-record work allocation-free where you can.
public protocol CustomStep: AnyObject {
    /// Decides what happens to one record.
    func process(_ record: CustomStepRecord) -> CustomStepDecision
}

/// What a ``CustomStep`` decided for a record.
public enum CustomStepDecision: Sendable, Hashable {
    /// Pass the record to the next step.
    case keep
    /// Drop the record (counted as filtered).
    case drop
    /// Write the record to the pipeline's dead-letter output with this reason.
    case deadLetter(code: String, message: String)
}

/// A field a custom step reads, resolved once when the step is built.
public struct CustomStepField {
    let evaluator: Evaluator
    /// The path as written.
    public let path: String
}

/// A value read from a record by a custom step.
public enum FieldValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(ExactDecimal)
    case string(String)
    /// An object or array, as JSON text.
    case json(String)
}

/// The record a custom step sees (valid only during `process`).
public struct CustomStepRecord {
    let context: RecordContext

    /// The record's event time (window results: window end − 1 ms), epoch milliseconds.
    public var eventTime: Int64 { context.eventTime }

    /// The input offset of the record (window results: the last contributing offset).
    public var offset: Int64 { context.offset }

    /// Reads a field.
    public func value(_ field: CustomStepField) -> FieldValue {
        let value: Value
        do { value = try field.evaluator(context) } catch { return .null }
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .decimal(let number): return .number(number)
        case .text(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
        case .node(let node):
            switch node.kind {
            case .null: return .null
            case .true: return .bool(true)
            case .false: return .bool(false)
            case .number:
                return node.decimal.map { .number($0) } ?? .json(String(decoding: node.rawBytes, as: UTF8.self))
            case .string: return .string(node.string ?? "")
            case .array, .object: return .json(String(decoding: node.rawBytes, as: UTF8.self))
            }
        }
    }

    /// Calls `body` with a string field's UTF-8 bytes without allocating; `nil` when not a string.
    public func withUTF8<R>(_ field: CustomStepField, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        guard let value = try? field.evaluator(context) else { return nil }
        return value.withString(body)
    }
}

/// What a custom step factory gets: its options and a way to resolve fields.
public struct CustomStepContext {
    /// The step name.
    public let name: String
    /// The step's options from `topology.yaml`.
    public let options: [String: String]
    /// The pipeline the step is in.
    public let pipeline: String
    let compiler: ExpressionCompiler
    let scope: Scope
    let location: SourceLocation

    /// Resolves a dotted path (`data.orderId`, `data.lines[0].qty`, an alias, a window result name).
    /// - Throws: ``EngineError/Code/invalidExpression`` when the path is malformed or unknown here.
    public func field(_ path: String) throws(EngineError) -> CustomStepField {
        guard let parsed = Self.parse(path) else {
            throw EngineError(.invalidExpression, "custom step \(name): malformed field path \(path)", at: location)
        }
        return CustomStepField(evaluator: try compiler.compilePath(parsed, in: scope, at: location), path: path)
    }

    static func parse(_ text: String) -> FieldPath? {
        var segments: [FieldPath.Segment] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(part)
            var indexes: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                guard let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]), index >= 0
                else { return nil }
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            guard !name.isEmpty else { return nil }
            segments.append(.member(String(name)))
            segments += indexes.map { .index($0) }
        }
        return segments.isEmpty ? nil : FieldPath(segments: segments)
    }
}

/// Factories of custom steps by name; pass it to ``Engine/init(topology:region:schemas:referenceData:clock:customSteps:logger:)``.
public final class StepRegistry {
    /// Builds a step from its options.
    public typealias Factory = @Sendable (CustomStepContext) throws -> any CustomStep

    private var factories: [String: Factory] = [:]

    /// Creates an empty registry.
    public init() {}

    /// Registers (or replaces) the factory for `name`.
    public func register(_ name: String, factory: @escaping Factory) {
        factories[name] = factory
    }

    /// The registered names.
    public var names: [String] { factories.keys.sorted() }

    func factory(_ name: String) -> Factory? { factories[name] }
}

/// Runs a custom step inside a task.
final class CustomStepPlan: StepPlan {
    let step: any CustomStep

    init(step: any CustomStep) {
        self.step = step
    }

    func makeNode(in context: StepContext) -> StepNode { CustomNode(step: step, context: context) }
}

final class CustomNode: StepNode {
    var next: StepNode?
    private let step: any CustomStep
    private let context: StepContext

    init(step: any CustomStep, context: StepContext) {
        self.step = step
        self.context = context
    }

    func push(_ context: RecordContext) {
        switch step.process(CustomStepRecord(context: context)) {
        case .keep: next?.push(context)
        case .drop: self.context.counters.metrics.filtered += 1
        case .deadLetter(let code, let message):
            self.context.deadLetter(context, RecordFailure(.init(custom: code), message))
        }
    }
}
