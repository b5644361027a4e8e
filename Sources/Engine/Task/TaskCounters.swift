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
