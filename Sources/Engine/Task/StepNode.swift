/// One step of one pipeline inside one ``PartitionTask``: pushes records to the next node.
///
/// Nodes are created per task from a compiled step plan; they hold the task's state for the step and reach
/// the rest of the task only through their ``StepContext``.
protocol StepNode: AnyObject {
    /// The next node (`nil` after the last step).
    var next: StepNode? { get set }
    /// Processes one record; calls `next?.push` for each record it passes on.
    func push(_ context: RecordContext)
    /// The partition's stream time advanced (windows close, dedupe entries expire).
    func streamTimeAdvanced()
    /// The wall clock advanced (idle windows close).
    func wallClockAdvanced(_ now: Int64)
    /// A global table row changed (holds release or cancel).
    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer)
    /// State was restored from a changelog: rebuild in-memory indexes.
    func stateRestored()
    /// The task is about to write changelog records: bring derived entries up to date.
    func prepareFlush()
    /// The node's state stores.
    var stores: [StateStore] { get }
}

extension StepNode {
    func streamTimeAdvanced() {}
    func wallClockAdvanced(_ now: Int64) {}
    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer) {}
    func stateRestored() {}
    func prepareFlush() {}
    var stores: [StateStore] { [] }
}

/// A compiled step, shared by every task of the engine.
protocol StepPlan: AnyObject {
    /// Creates the step's node for a task's pipeline.
    func makeNode(in context: StepContext) -> StepNode
}
