/// What a read of the dead-letter topics found.
public struct DeadLetterReadSummary: Sendable, Hashable {
    /// The dead-letter topics read.
    public var topics: [String]
    /// Records read (matching or not).
    public var read: Int
    /// Records that matched the filter.
    public var matched: Int
    /// Matching dead letters per error code (`-` when the header is missing).
    public var byCode: [String: Int]
    /// Matching dead letters per pipeline (`-` when the header is missing).
    public var byPipeline: [String: Int]
    /// Requested offsets that do not exist (any more): one explanation each.
    public var unavailable: [String]

    /// Creates an empty summary.
    public init(topics: [String]) {
        self.topics = topics
        read = 0
        matched = 0
        byCode = [:]
        byPipeline = [:]
        unavailable = []
    }

    /// Counts a matching dead letter.
    mutating func count(_ letter: DeadLetter) {
        matched += 1
        byCode[letter.code ?? "-", default: 0] += 1
        byPipeline[letter.pipeline ?? "-", default: 0] += 1
    }
}

/// How far a long read got (see ``DeadLetterQueue/read(filter:progress:_:)``).
public struct DeadLetterReadProgress: Sendable, Hashable {
    /// The partition being read.
    public var topic: String
    /// The partition being read.
    public var partition: Int32
    /// Records read so far, over all partitions.
    public var read: Int
    /// Records to read in total (from the watermarks; transaction markers make the real count lower).
    public var total: Int64
}
