import JSON

/// The record flowing through a pipeline's steps, reused for every record of a task.
///
/// Holds borrowed views (the input record, the parsed event, enrichment rows) that are valid only
/// while the record is being processed, plus the window result or map output once those steps ran.
public final class RecordContext {
    /// The live input record, when processing one (borrowed; `nil` for window results and released postings).
    var input: InputRecord?
    /// Original bytes of a released parked posting (for dead letters).
    var storedOrigin: StoredOrigin?
    /// Source topic and partition of the record.
    let topic: String
    let partition: Int32
    /// Offset of the input record (window results: the last contributing offset).
    var offset: Int64 = -1

    /// The canonical event (envelope + data), when the record is an event.
    var event: JSONNode?
    /// Event time (UTC ms); for window results `window.end - 1`.
    var eventTime: Int64 = 0
    /// `<type>/v<N>` of the event as received (dead-letter header).
    var schemaId: [UInt8] = []
    /// The window result, after a window step.
    var window: WindowResult?
    /// Enrichment rows and exploded elements by alias slot.
    var aliases: [JSONNode?]
    /// Owned documents backing aliases of a released posting.
    var aliasDocuments: [OwnedDocument?]
    /// Element index after `explode` (appended to 1:1 idempotency keys), `-1` otherwise.
    var explodeIndex: Int = -1
    /// Values of the `map` fields, once `map` ran.
    var mapValues: [Value] = []
    /// `true` once `map` ran.
    var mapped = false
    /// The pipeline being run.
    var pipeline: PipelinePlan?
    /// Set by `hold` when the record touches a held lot: `emit` parks the posting.
    var hold: HoldMark?
    /// Set by `enrich` (`onMissing: exception`): `emit` writes a PARKED exception instead of the posting.
    var parkReason: (code: String, message: String)?

    init(topic: String, partition: Int32, aliasCount: Int) {
        self.topic = topic
        self.partition = partition
        aliases = Array(repeating: nil, count: aliasCount)
        aliasDocuments = Array(repeating: nil, count: aliasCount)
    }

    /// Clears everything a previous record left.
    @inline(__always)
    func reset() {
        input = nil
        storedOrigin = nil
        event = nil
        window = nil
        schemaId.removeAll(keepingCapacity: true)
        resetDownstream()
    }

    /// Clears what the steps of a pipeline set (before each pipeline and each exploded element).
    @inline(__always)
    func resetDownstream() {
        explodeIndex = -1
        mapped = false
        hold = nil
        parkReason = nil
        for index in aliases.indices where aliases[index] != nil || aliasDocuments[index] != nil {
            aliases[index] = nil
            aliasDocuments[index] = nil
        }
    }

    /// The event's envelope member, if the record is an event.
    @inline(__always)
    func envelope(_ key: StaticString) -> JSONNode? { event?.member(key) }
}

/// Where `emit` parks a posting touching a held lot.
struct HoldMark {
    unowned let node: HoldNode
    var lotKey: [UInt8]
    var holdId: [UInt8]
}

/// Copies of an input record kept with a parked posting, so a later dead letter keeps the original bytes.
struct StoredOrigin {
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [(name: [UInt8], value: [UInt8]?)]
    var offset: Int64
    var timestamp: Int64
}
