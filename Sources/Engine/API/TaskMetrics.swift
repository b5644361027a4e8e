/// Counters of one ``PartitionTask`` (read by the runtime per batch for metrics and the status page).
public struct TaskMetrics: Sendable, Hashable {
    /// Records handed to `process`.
    public var recordsIn = 0
    /// Records that passed validation.
    public var valid = 0
    /// Dead letters written.
    public var deadLetters = 0
    /// Records whose type no pipeline of the source takes (counted and skipped).
    public var skippedTypes = 0
    /// Records of plants outside the region (counted and skipped).
    public var skippedPlants = 0
    /// Repeats dropped by `dedupe`.
    public var duplicates = 0
    /// Records dropped by `filter`.
    public var filtered = 0
    /// Late events dropped (`late: drop`).
    public var lateDropped = 0
    /// Late events posted as deltas (`late: post_delta`).
    public var lateDeltas = 0
    /// Window emissions.
    public var windowEmissions = 0
    /// Records written to `records` outputs (ERP transactions, analytics, table rows).
    public var outputs = 0
    /// Exception records written.
    public var exceptions = 0
    /// Postings parked by `hold` and currently parked.
    public var parked = 0
    /// Parked postings released.
    public var released = 0
    /// Parked postings cancelled by a SCRAP disposition.
    public var cancelled = 0
    /// Changelog records written.
    public var changelogRecords = 0
    /// Records upcast from an older schema version.
    public var upcast = 0
    /// Sparkplug B sequence gaps found (`sparkplug_b` sources).
    public var sparkplugSequenceGaps = 0
    /// Sparkplug B edge nodes whose sequence showed a gap and that have not sent a new NBIRTH since (a gauge).
    public var sparkplugRebirthsNeeded = 0
    /// Sparkplug B DATA messages parked until a BIRTH defines their metrics (a gauge).
    public var sparkplugParked = 0
    /// Records written per `txnType` (ERP transactions, counted by the output that writes them).
    public var transactionsByType: [String: Int] = [:]
    /// Dead letters per `ps_error_code`.
    public var deadLettersByCode: [String: Int] = [:]
    /// Exception records per `exceptionKind`.
    public var exceptionsByKind: [String: Int] = [:]

    /// Creates zeroed counters.
    public init() {}
}
