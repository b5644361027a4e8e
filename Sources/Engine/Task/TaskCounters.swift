/// The counters of one task, updated where each fact arises.
///
/// - Important: Confined to the task's thread; the stored properties skip the dynamic exclusivity check (see
///   ``TaskClock``).
final class TaskCounters {
    /// Scalar counters.
    @exclusivity(unchecked) var metrics = TaskMetrics()
    /// Dead letters per code (rare: a dictionary is fine).
    @exclusivity(unchecked) var deadLettersByCode: [String: Int] = [:]
    /// Exceptions per `exceptionKind`.
    @exclusivity(unchecked) var exceptionsByKind: [String: Int] = [:]
    /// ERP transactions written, per slot of ``transactionTypes`` (an array: counted once per output record).
    @exclusivity(unchecked) private(set) var transactionCounts: [Int] = []
    /// The `txnType` of each slot.
    private(set) var transactionTypes: [String] = []

    /// The slot counting transactions of `type` (made on first use; outputs look it up once, when built).
    func transactionSlot(for type: String) -> Int {
        if let slot = transactionTypes.firstIndex(of: type) { return slot }
        transactionTypes.append(type)
        transactionCounts.append(0)
        return transactionTypes.count - 1
    }

    /// Counts a transaction in `slot` (from ``transactionSlot(for:)``).
    @inline(__always)
    func countTransaction(slot: Int) {
        transactionCounts[slot] += 1
    }

    /// Transactions written per `txnType` (the types that counted at least one).
    var transactionsByType: [String: Int] {
        var byType: [String: Int] = [:]
        for (type, count) in zip(transactionTypes, transactionCounts) where count > 0 {
            byType[type, default: 0] += count
        }
        return byType
    }

    /// Counts a dead letter.
    func countDeadLetter(_ code: RecordFailure.Code) {
        metrics.deadLetters += 1
        deadLettersByCode[code.name, default: 0] += 1
    }

    /// Counts an exception record.
    func countException(_ kind: ExceptionKind) {
        metrics.exceptions += 1
        exceptionsByKind[kind.rawValue, default: 0] += 1
    }
}
