import Engine

extension TaskMetrics {
    /// Adds another task's counters (the gauges — `parked`, `sparkplugRebirthsNeeded`, `sparkplugParked` — included).
    mutating func add(_ other: TaskMetrics) {
        recordsIn += other.recordsIn
        valid += other.valid
        deadLetters += other.deadLetters
        skippedTypes += other.skippedTypes
        skippedPlants += other.skippedPlants
        duplicates += other.duplicates
        filtered += other.filtered
        lateDropped += other.lateDropped
        lateDeltas += other.lateDeltas
        windowEmissions += other.windowEmissions
        outputs += other.outputs
        exceptions += other.exceptions
        parked += other.parked
        released += other.released
        cancelled += other.cancelled
        changelogRecords += other.changelogRecords
        upcast += other.upcast
        sparkplugSequenceGaps += other.sparkplugSequenceGaps
        sparkplugRebirthsNeeded += other.sparkplugRebirthsNeeded
        sparkplugParked += other.sparkplugParked
        transactionsByType.merge(other.transactionsByType, uniquingKeysWith: +)
        deadLettersByCode.merge(other.deadLettersByCode, uniquingKeysWith: +)
        exceptionsByKind.merge(other.exceptionsByKind, uniquingKeysWith: +)
    }
}
