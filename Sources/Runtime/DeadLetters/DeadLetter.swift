import KafkaClient

/// One record of a dead-letter topic (an owned copy) with its reason headers read.
///
/// The engine writes a dead letter with the original record's key, value and headers plus the reason headers of
/// ``DeadLetterHeader``; a failure after a `window` step writes the window result as JSON instead (its
/// `ps_source_offset` is a `from-to` range, and it cannot be replayed).
public struct DeadLetter: Sendable, Hashable {
    /// Where the dead letter is.
    public var address: DeadLetterAddress
    /// The record timestamp (milliseconds since the epoch), when available: for dead letters of input records,
    /// the original record's timestamp.
    public var timestamp: Int64?
    /// Whether ``timestamp`` was set by the broker (`LogAppendTime`) rather than copied from the original.
    public var isLogAppendTime: Bool
    /// The key, or `nil` for a null key.
    public var key: [UInt8]?
    /// The value, or `nil` for a null value.
    public var value: [UInt8]?
    /// Every header in order: the original record's, then the reason headers.
    public var headers: [KafkaHeader]

    /// `ps_error_code`.
    public let code: String?
    /// `ps_error_path` (a JSON pointer, may be empty).
    public let path: String?
    /// `ps_error_message`.
    public let message: String?
    /// `ps_pipeline`.
    public let pipeline: String?
    /// `ps_schema_id`.
    public let schemaID: String?
    /// `ps_source_topic`.
    public let sourceTopic: String?
    /// `ps_source_partition`.
    public let sourcePartition: Int32?
    /// `ps_source_offset` as written: an offset, or `from-to` for a window result.
    public let sourceOffsetText: String?
    /// `ps_replayed_from` of the original record: this dead letter is of a record that was replayed before.
    public let replayedFrom: String?

    /// Creates a dead letter from its parts.
    public init(
        address: DeadLetterAddress, timestamp: Int64?, isLogAppendTime: Bool = false, key: [UInt8]?,
        value: [UInt8]?, headers: [KafkaHeader]
    ) {
        self.address = address
        self.timestamp = timestamp
        self.isLogAppendTime = isLogAppendTime
        self.key = key
        self.value = value
        self.headers = headers
        func last(_ name: String) -> String? { headers.last { $0.name == name }?.stringValue }
        code = last(DeadLetterHeader.code)
        path = last(DeadLetterHeader.path)
        message = last(DeadLetterHeader.message)
        pipeline = last(DeadLetterHeader.pipeline)
        schemaID = last(DeadLetterHeader.schemaID)
        sourceTopic = last(DeadLetterHeader.sourceTopic)
        sourcePartition = last(DeadLetterHeader.sourcePartition).flatMap { Int32($0) }
        sourceOffsetText = last(DeadLetterHeader.sourceOffset)
        replayedFrom = last(DeadLetterHeader.replayedFrom)
    }

    /// Copies a consumed record.
    ///
    /// - Parameter record: A record of a dead-letter topic (borrowed; everything is copied).
    public init(_ record: KafkaRecord) {
        self.init(
            address: DeadLetterAddress(topic: record.topic, partition: record.partition, offset: record.offset),
            timestamp: record.timestamp, isLogAppendTime: record.isLogAppendTime, key: record.key.map { Array($0) },
            value: record.value.map { Array($0) }, headers: record.headers.owned)
    }

    /// The source offset when it is a single offset (not a window result's range).
    public var sourceOffset: Int64? { sourceOffsetText.flatMap { Int64($0) } }

    /// `topic/partition/offset` of the original record (`topic/partition/from-to` for a window result), or `nil`
    /// when the reason headers do not say.
    public var sourceDescription: String? {
        guard let sourceTopic else { return nil }
        return "\(sourceTopic)/\(sourcePartition.map(String.init) ?? "?")/\(sourceOffsetText ?? "?")"
    }

    /// Whether the dead letter is a window result rather than an original record.
    public var isWindowResult: Bool { sourceOffsetText?.contains("-") == true }

    /// The original record's headers: every header except the reason headers.
    public var originalHeaders: [KafkaHeader] {
        headers.filter { !DeadLetterHeader.reasonHeaders.contains($0.name) }
    }

    /// Why this dead letter cannot be sent back to its source, or `nil` when it can.
    ///
    /// - Parameter toTopic: The topic a replay would write to instead of the source (`--to-topic`).
    public func replayBlocker(toTopic: String? = nil) -> String? {
        if code == nil {
            return "not a PlantStream dead letter (no \(DeadLetterHeader.code) header)"
        }
        if isWindowResult && toTopic == nil {
            return "a window result (source offsets \(sourceOffsetText ?? "")), not an original record; "
                + "re-produce the source records instead, or send it to its output with --to-topic"
        }
        if toTopic == nil, sourceTopic?.isEmpty ?? true {
            return "no \(DeadLetterHeader.sourceTopic) header; give --to-topic"
        }
        return nil
    }
}
