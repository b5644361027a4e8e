import KafkaClient

/// Which dead letters to list, show or replay; every condition set must hold (empty sets mean any).
public struct DeadLetterFilter: Sendable, Hashable {
    /// A range of offsets of one dead-letter partition (`--offsets 2:14`, `2:10-20`, `mfg.dlq.v1/2/14`).
    public struct OffsetRange: Sendable, Hashable, CustomStringConvertible {
        /// The dead-letter topic, or `nil` for each of the region's dead-letter topics.
        public var topic: String?
        /// The partition.
        public var partition: Int32
        /// The offsets (inclusive).
        public var offsets: ClosedRange<Int64>

        /// Creates a range.
        public init(topic: String? = nil, partition: Int32, offsets: ClosedRange<Int64>) {
            self.topic = topic
            self.partition = partition
            self.offsets = offsets
        }

        /// Whether the address lies in the range.
        public func contains(_ address: DeadLetterAddress) -> Bool {
            address.partition == partition && offsets.contains(address.offset)
                && (topic.map { $0 == address.topic } ?? true)
        }

        public var description: String {
            let span =
                offsets.lowerBound == offsets.upperBound
                ? "\(offsets.lowerBound)" : "\(offsets.lowerBound)-\(offsets.upperBound)"
            return topic.map { "\($0)/\(partition)/\(span)" } ?? "\(partition):\(span)"
        }
    }

    /// Error codes (`ps_error_code`, compared without regard to case).
    public var codes: Set<String>
    /// Pipelines (`ps_pipeline`).
    public var pipelines: Set<String>
    /// Source topics (`ps_source_topic`).
    public var sourceTopics: Set<String>
    /// Only dead letters whose timestamp is at or after this instant (milliseconds since the epoch).
    public var since: Int64?
    /// Only these offsets of the dead-letter topics (`nil`: all). Only these offsets are read.
    public var offsets: [OffsetRange]?
    /// Only the dead letters of this original record (`ps_source_topic`, `ps_source_partition`,
    /// `ps_source_offset`).
    public var source: KafkaTopicPartitionOffset?

    /// Creates a filter.
    public init(
        codes: Set<String> = [], pipelines: Set<String> = [], sourceTopics: Set<String> = [], since: Int64? = nil,
        offsets: [OffsetRange]? = nil, source: KafkaTopicPartitionOffset? = nil
    ) {
        self.codes = Set(codes.map { $0.uppercased() })
        self.pipelines = pipelines
        self.sourceTopics = sourceTopics
        self.since = since
        self.offsets = offsets
        self.source = source
    }

    /// A filter that lets every dead letter through.
    public static let all = DeadLetterFilter()

    /// Whether the dead letter passes every condition.
    public func matches(_ letter: DeadLetter) -> Bool {
        if let offsets, !offsets.contains(where: { $0.contains(letter.address) }) { return false }
        if !codes.isEmpty, !codes.contains((letter.code ?? "").uppercased()) { return false }
        if !pipelines.isEmpty, !pipelines.contains(letter.pipeline ?? "") { return false }
        if !sourceTopics.isEmpty, !sourceTopics.contains(letter.sourceTopic ?? "") { return false }
        if let since, (letter.timestamp ?? Int64.min) < since { return false }
        if let source {
            guard letter.sourceTopic == source.topic, letter.sourcePartition == source.partition,
                letter.sourceOffset == source.offset
            else { return false }
        }
        return true
    }
}
