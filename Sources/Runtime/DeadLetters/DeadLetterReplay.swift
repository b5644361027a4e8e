import KafkaClient

/// A record to send back: a dead letter's original key, value and headers (without the reason headers, plus
/// `ps_replayed_from`), addressed to its source topic and partition.
public struct DeadLetterReplay: Sendable, Hashable {
    /// The dead letter the record comes from (named by `ps_replayed_from`).
    public var deadLetter: DeadLetter
    /// Further dead letters of the same original record (one per failing pipeline); sent once.
    public var alsoCovers: [DeadLetterAddress]
    /// The topic to write to: the source topic, or `--to-topic`.
    public var topic: String
    /// The partition: the source partition when writing to the source topic, else `nil` (partitioned by key).
    public var partition: Int32?
    /// The original key.
    public var key: [UInt8]?
    /// The original value.
    public var value: [UInt8]?
    /// The original headers without the reason headers (and without an earlier `ps_replayed_from`), then
    /// `ps_replayed_from: <dlq topic>/<partition>/<offset>`.
    public var headers: [KafkaHeader]
    /// The original record's timestamp (`nil`: the time of sending), so that anything derived from it — such as a
    /// CloudEvent's `ingestedAt` taken from the Kafka timestamp — is what the first attempt saw.
    public var timestamp: Int64?

    /// Builds the record for one dead letter.
    ///
    /// - Parameters:
    ///   - letter: A replayable dead letter (``DeadLetter/replayBlocker(toTopic:)`` is `nil`).
    ///   - toTopic: The topic to write to instead of the source topic.
    ///   - partitionCounts: Partition count per topic, to keep the source partition only where it exists.
    public init(_ letter: DeadLetter, toTopic: String? = nil, partitionCounts: [String: Int] = [:]) {
        deadLetter = letter
        alsoCovers = []
        let target = toTopic ?? letter.sourceTopic ?? ""
        topic = target
        if toTopic == nil, let partition = letter.sourcePartition, partition >= 0,
            partition < Int32(clamping: partitionCounts[target] ?? Int(Int32.max))
        {
            self.partition = partition
        } else {
            partition = nil
        }
        key = letter.key
        value = letter.value
        headers =
            letter.originalHeaders.filter { $0.name != DeadLetterHeader.replayedFrom }
            + [KafkaHeader(name: DeadLetterHeader.replayedFrom, string: letter.address.description)]
        timestamp = letter.isLogAppendTime ? nil : letter.timestamp
    }

    /// Plans a replay: the records to send, in the order of their original offsets (so that records of one key
    /// arrive in their original order), each original record once; and the dead letters that cannot be replayed.
    ///
    /// - Parameters:
    ///   - letters: The chosen dead letters.
    ///   - toTopic: The topic to write to instead of each record's source topic.
    ///   - partitionCounts: Partition count per target topic.
    /// - Returns: The records to send and the skipped dead letters with the reason.
    public static func plan(_ letters: [DeadLetter], toTopic: String? = nil, partitionCounts: [String: Int] = [:])
        -> (replays: [DeadLetterReplay], skipped: [(deadLetter: DeadLetter, reason: String)])
    {
        var replays: [DeadLetterReplay] = []
        var skipped: [(deadLetter: DeadLetter, reason: String)] = []
        var bySource: [String: Int] = [:]
        for letter in letters.sorted(by: { $0.address < $1.address }) {
            if let reason = letter.replayBlocker(toTopic: toTopic) {
                skipped.append((letter, reason))
                continue
            }
            // A record that failed in several pipelines has several dead letters: send it once.
            if let source = letter.sourceDescription, let index = bySource[source],
                replays[index].key == letter.key, replays[index].value == letter.value
            {
                replays[index].alsoCovers.append(letter.address)
                continue
            }
            if let source = letter.sourceDescription { bySource[source] = replays.count }
            replays.append(DeadLetterReplay(letter, toTopic: toTopic, partitionCounts: partitionCounts))
        }
        replays.sort { lhs, rhs in
            let left = (lhs.deadLetter.sourceTopic ?? "", lhs.deadLetter.sourcePartition ?? -1)
            let right = (rhs.deadLetter.sourceTopic ?? "", rhs.deadLetter.sourcePartition ?? -1)
            if left != right { return left < right }
            let leftOffset = lhs.deadLetter.sourceOffset ?? -1
            let rightOffset = rhs.deadLetter.sourceOffset ?? -1
            return leftOffset != rightOffset
                ? leftOffset < rightOffset : lhs.deadLetter.address < rhs.deadLetter.address
        }
        return (replays, skipped)
    }
}
