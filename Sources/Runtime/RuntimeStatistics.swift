/// A snapshot of a running processor's counters, refreshed by the processing thread a few times a second
/// (see ``RuntimeMetrics``). Counters count since the process started.
public struct RuntimeStatistics: Sendable, Hashable {
    /// Input records handed to the tasks.
    public var eventsIn = 0
    /// Input records that passed validation.
    public var valid = 0
    /// Repeats dropped by `dedupe`.
    public var duplicates = 0
    /// Records dropped by `filter`.
    public var filtered = 0
    /// Records of event types or plants the region does not process.
    public var skipped = 0
    /// Late events dropped (`late: drop`).
    public var lateDropped = 0
    /// Late events posted as additional deltas (`late: post_delta`).
    public var lateDeltas = 0
    /// Window results emitted.
    public var windowEmissions = 0
    /// Records written per output topic (outputs, dead letters, exceptions, table rows; not changelogs).
    public var outputsByTopic: [String: Int] = [:]
    /// ERP transactions (records carrying a `txnType`) written, per `txnType`.
    public var transactionsByType: [String: Int] = [:]
    /// Dead letters per error code (`ps_error_code`).
    public var deadLettersByCode: [String: Int] = [:]
    /// Exception records written.
    public var exceptions = 0
    /// Postings parked now (quality holds), over the assigned partitions.
    public var parked = 0
    /// Parked postings released / cancelled so far.
    public var released = 0
    /// Parked postings cancelled (SCRAP disposition) so far.
    public var cancelled = 0
    /// Changelog records written.
    public var changelogRecords = 0
    /// Sparkplug B sequence gaps found so far.
    public var sparkplugSequenceGaps = 0
    /// Sparkplug B edge nodes that need a rebirth now (a gap since their last NBIRTH).
    public var sparkplugRebirthsNeeded = 0
    /// Sparkplug B DATA messages waiting for a BIRTH now.
    public var sparkplugParked = 0
    /// Global-table records applied (bootstrap and updates).
    public var tableRecords = 0
    /// Changelog records read while restoring partitions.
    public var restoredRecords = 0
    /// Records sent and not yet acknowledged.
    public var inFlight = 0
    /// Offset commits (or committed transactions).
    public var commits = 0
    /// Records between each assigned partition's position and its high watermark, summed.
    public var lag = 0
    /// The same per assigned partition (`topic[partition]`).
    public var lagByPartition: [String: Int] = [:]
    /// Whether the cluster answers (false while every broker is unreachable).
    public var clusterReachable = true
    /// Partitions assigned now.
    public var assignedPartitions = 0
    /// Whether global tables are loaded and processing has started.
    public var running = false

    /// Creates zeroed statistics.
    public init() {}

    /// Dead letters in all.
    public var deadLetters: Int { deadLettersByCode.values.reduce(0, +) }

    /// ERP transactions in all.
    public var transactions: Int { transactionsByType.values.reduce(0, +) }
}
