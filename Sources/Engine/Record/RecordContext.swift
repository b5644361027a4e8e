import JSON

/// The record flowing through a pipeline's steps, reused for every record of a task.
///
/// Holds borrowed views (the input record, the parsed event, enrichment rows) that are valid only
/// while the record is being processed, plus the window result or map output once those steps ran.
package final class RecordContext {
    /// The mutable fields, behind the computed accessors below.
    struct Fields {
        var input: InputRecord? = nil
        var storedOrigin: StoredOrigin? = nil
        var offset: Int64 = -1
        var eventTime: Int64 = 0
        var schemaId: [UInt8] = []
        var schemaType: JSONNode? = nil
        var schemaVersion: Int64 = 0
        var window: WindowResult? = nil
        var aliases: [JSONNode?] = []
        var aliasDocuments: [OwnedDocument?] = []
        var explodeIndex: Int = -1
        var mapValues: [Value] = []
        var mapped: Bool = false
        var rewritten: Bool = false
        var pipeline: PipelinePlan? = nil
        /// The address of `pipeline` (compared without touching its reference count).
        var pipelineIdentity: UnsafeMutableRawPointer? = nil
        var hold: HoldMark? = nil
        var parkReason: (code: String, message: String)? = nil
        var event: JSONNode?
    }

    // Unchecked exclusivity (no dynamic check on the hot path): the context is confined to one task's thread,
    // and no accessor calls out while it accesses `fields`.
    @exclusivity(unchecked) var fields = Fields()
    /// Source topic and partition of the record.
    let topic: String
    let partition: Int32
    /// Where the event's id, source system and plant are.
    let identity: EventIdentity
    /// Top-level members of `event` found so far (by interned name), so repeated paths into the same
    /// member (`data.a`, `data.b`) scan the event once. A pointer handed to the path resolver, which reads and
    /// updates the cache (24 words of tuples) in place.
    let rootMembers: UnsafeMutablePointer<RootMemberCache>

    /// The canonical event (envelope + data), when the record is an event.
    var event: JSONNode? {
        _read { yield fields.event }
        set {
            fields.event = newValue
            rootMembers.pointee.count = 0
        }
    }
    /// The live input record, when processing one (borrowed; `nil` for window results and released postings).
    var input: InputRecord? {
        _read { yield fields.input }
        _modify { yield &fields.input }
    }
    /// Original bytes of a released parked posting (for dead letters).
    var storedOrigin: StoredOrigin? {
        _read { yield fields.storedOrigin }
        _modify { yield &fields.storedOrigin }
    }
    /// Offset of the input record (window results: the last contributing offset).
    var offset: Int64 {
        get { fields.offset }
        _modify { yield &fields.offset }
    }
    /// Event time (UTC ms); for window results `window.end - 1`.
    var eventTime: Int64 {
        get { fields.eventTime }
        _modify { yield &fields.eventTime }
    }
    /// `<type>/v<N>` of the event as received (dead-letter header); written on first use from the event's
    /// `type` and `schemaVersion` (see ``setSchemaType(_:version:)``), so records that are not dead-lettered
    /// never build it.
    var schemaId: [UInt8] {
        _read {
            resolveSchemaId()
            yield fields.schemaId
        }
        _modify {
            resolveSchemaId()
            yield &fields.schemaId
        }
    }

    /// Remembers the event's `type` node (borrowed: valid while the record is processed) and version.
    @inline(__always)
    func setSchemaType(_ type: JSONNode, version: Int64) {
        fields.schemaType = type
        fields.schemaVersion = version
    }

    /// Sets `<type>/v<N>` of a foreign record (read from where its source says, or the source's fixed schema).
    func setSchemaId(_ id: UnsafeRawBufferPointer) {
        fields.schemaType = nil
        fields.schemaId.removeAll(keepingCapacity: true)
        fields.schemaId.append(contentsOf: id)
    }

    /// Forgets the borrowed `type` node (the record is done).
    @inline(__always)
    func clearSchemaType() {
        fields.schemaType = nil
    }

    private func resolveSchemaId() {
        guard let type = fields.schemaType, fields.schemaId.isEmpty else { return }
        type.appendUnescapedBytes(to: &fields.schemaId)
        fields.schemaId.append(contentsOf: [0x2F, 0x76])
        PartitionTask.appendDecimal(fields.schemaVersion, to: &fields.schemaId)
    }
    /// Whether the event's bytes are not those received (upcast from an older version, or normalized).
    var isRewritten: Bool {
        get { fields.rewritten }
        set { fields.rewritten = newValue }
    }
    /// The window result, after a window step.
    var window: WindowResult? {
        _read { yield fields.window }
        _modify { yield &fields.window }
    }
    /// Enrichment rows and exploded elements by alias slot.
    var aliases: [JSONNode?] {
        _read { yield fields.aliases }
        _modify { yield &fields.aliases }
    }
    /// Owned documents backing aliases of a released posting.
    var aliasDocuments: [OwnedDocument?] {
        _read { yield fields.aliasDocuments }
        _modify { yield &fields.aliasDocuments }
    }
    /// Element index after `explode` (appended to 1:1 idempotency keys), `-1` otherwise.
    var explodeIndex: Int {
        get { fields.explodeIndex }
        _modify { yield &fields.explodeIndex }
    }
    /// Values of the `map` fields, once `map` ran.
    var mapValues: [Value] {
        _read { yield fields.mapValues }
        _modify { yield &fields.mapValues }
    }
    /// `true` once `map` ran.
    var mapped: Bool {
        get { fields.mapped }
        _modify { yield &fields.mapped }
    }
    /// Sets ``pipeline`` (stores only when it changes: no retain and release per record of one pipeline).
    @inline(__always)
    func setPipeline(_ plan: Unmanaged<PipelinePlan>) {
        guard fields.pipelineIdentity != plan.toOpaque() else { return }
        pipeline = plan.takeUnretainedValue()
    }

    /// The pipeline being run.
    var pipeline: PipelinePlan? {
        _read { yield fields.pipeline }
        set {
            fields.pipelineIdentity = newValue.map {
                UnsafeMutableRawPointer(Unmanaged.passUnretained($0).toOpaque())
            }
            fields.pipeline = newValue
        }
    }
    /// Set by `hold`: the lot and whether the posting of the next `emit` is parked (its gate acts on it).
    var hold: HoldMark? {
        _read { yield fields.hold }
        _modify { yield &fields.hold }
    }
    /// Set by `enrich` (`onMissing: exception`): the gate after `emit` writes a PARKED exception instead of the
    /// posting.
    var parkReason: (code: String, message: String)? {
        _read { yield fields.parkReason }
        _modify { yield &fields.parkReason }
    }

    init(topic: String, partition: Int32, aliasCount: Int, identity: EventIdentity = EventIdentity()) {
        self.topic = topic
        self.partition = partition
        self.identity = identity
        rootMembers = .allocate(capacity: 1)
        rootMembers.initialize(to: RootMemberCache())
        aliases = Array(repeating: nil, count: aliasCount)
        aliasDocuments = Array(repeating: nil, count: aliasCount)
    }

    deinit {
        rootMembers.deinitialize(count: 1)
        rootMembers.deallocate()
    }

    /// Clears everything a previous record left.
    @inline(__always)
    func reset() {
        input = nil
        storedOrigin = nil
        event = nil
        window = nil
        fields.schemaType = nil
        fields.rewritten = false
        if !fields.schemaId.isEmpty { fields.schemaId.removeAll(keepingCapacity: true) }
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

/// Copies of an input record kept with a parked posting, so a later dead letter keeps the original bytes.
struct StoredOrigin {
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [(name: [UInt8], value: [UInt8]?)]
    var offset: Int64
    var timestamp: Int64
}

/// A small cache of top-level member positions of the current event.
struct RootMemberCache {
    static let capacity = 12
    var count = 0
    var names:
        (
            UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?,
            UnsafeRawPointer?,
            UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?,
            UnsafeRawPointer?
        ) = (nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)
    var indexes: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}

extension UnsafeMutablePointer where Pointee == RootMemberCache {
    /// The tape index of the member named `name` (an interned pointer), or `-1` when not cached.
    @inline(__always)
    func index(of name: UnsafeRawPointer) -> Int {
        let count = pointee.count
        let names = UnsafeMutableRawPointer(self).advanced(by: MemoryLayout<RootMemberCache>.offset(of: \.names)!)
            .assumingMemoryBound(to: UnsafeRawPointer?.self)
        let indexes = UnsafeMutableRawPointer(self).advanced(by: MemoryLayout<RootMemberCache>.offset(of: \.indexes)!)
            .assumingMemoryBound(to: Int.self)
        for slot in 0..<count where names[slot] == name { return indexes[slot] }
        return -1
    }

    /// Remembers where `name` is (when there is room).
    @inline(__always)
    func remember(_ name: UnsafeRawPointer, at index: Int) {
        let count = pointee.count
        guard count < RootMemberCache.capacity else { return }
        let names = UnsafeMutableRawPointer(self).advanced(by: MemoryLayout<RootMemberCache>.offset(of: \.names)!)
            .assumingMemoryBound(to: UnsafeRawPointer?.self)
        let indexes = UnsafeMutableRawPointer(self).advanced(by: MemoryLayout<RootMemberCache>.offset(of: \.indexes)!)
            .assumingMemoryBound(to: Int.self)
        names[count] = name
        indexes[count] = index
        pointee.count = count + 1
    }
}
