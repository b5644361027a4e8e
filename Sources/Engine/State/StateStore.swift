/// A per-partition state store whose every mutation is logged to a compacted changelog topic.
///
/// Stores cache like Kafka Streams: mutations mark keys dirty and ``writeChanges(_:)`` emits one
/// record per dirty key (its current value, or a tombstone when deleted) — not one per event.
/// ``restore(key:value:)`` rebuilds the state from those records.
package protocol StateStore: AnyObject {
    /// The store name (`<pipeline>-<step>`).
    var name: String { get }
    /// The changelog destination (`<application>-<region>-<store>-changelog`).
    var destination: Destination { get }
    /// Emits one changelog record per key changed since the last call, then forgets the changes.
    func writeChanges(_ emit: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) -> Void)
    /// Applies one changelog record (a `nil` value deletes the key).
    /// - Throws: ``EngineError/Code/corruptState`` when the record cannot be decoded, or was written in another
    ///   format (see ``ChangelogFormat``).
    func restore(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws(EngineError)
    /// Makes the next ``writeChanges(_:)`` write the key's current value (or a tombstone when it is absent):
    /// after a restore skipped later records of the key, this puts the restored value after them.
    func markForRewrite(key: UnsafeRawBufferPointer)
    /// The number of entries held.
    var entryCount: Int { get }
    /// The number of keys changed since the last ``writeChanges(_:)``.
    var pendingChangeCount: Int { get }
}

/// A value that can be written to and read from a changelog.
protocol StateCodable {
    func encode(into writer: inout StateWriter)
    static func decode(from reader: inout StateReader) throws(EngineError) -> Self
}

/// One typed map inside a ``ChangelogStore``; its changelog keys start with its tag byte.
protocol TaggedMap: AnyObject {
    var tag: UInt8 { get }
    var count: Int { get }
    var pendingChangeCount: Int { get }
    func writeChanges(
        writer: inout StateWriter, key: inout [UInt8],
        _ emit: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) -> Void)
    func restore(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws(EngineError)
    func markForRewrite(key: UnsafeRawBufferPointer)
}

/// A state store made of tagged typed maps sharing one changelog topic.
final class ChangelogStore: StateStore {
    let name: String
    let destination: Destination
    private var maps: [TaggedMap] = []
    private var writer = StateWriter()
    private var keyBuffer: [UInt8] = []

    init(name: String, destination: Destination) {
        self.name = name
        self.destination = destination
    }

    /// Adds a typed map with a tag unique in this store.
    func makeMap<Value: StateCodable>(tag: UInt8, of type: Value.Type = Value.self) -> LoggedStore<Value> {
        precondition(!maps.contains { $0.tag == tag }, "duplicate tag")
        let map = LoggedStore<Value>(tag: tag)
        maps.append(map)
        return map
    }

    var entryCount: Int { maps.reduce(0) { $0 + $1.count } }

    var pendingChangeCount: Int { maps.reduce(0) { $0 + $1.pendingChangeCount } }

    func writeChanges(_ emit: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) -> Void) {
        for map in maps { map.writeChanges(writer: &writer, key: &keyBuffer, emit) }
    }

    func restore(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws(EngineError) {
        guard let tag = key.first else { throw EngineError(.corruptState, "empty changelog key in \(name)") }
        guard let map = maps.first(where: { $0.tag == tag }) else {
            throw EngineError(.corruptState, "unknown changelog key tag \(tag) in \(name)")
        }
        try map.restore(key: UnsafeRawBufferPointer(rebasing: key.dropFirst()), value: value)
    }

    func markForRewrite(key: UnsafeRawBufferPointer) {
        guard let tag = key.first, let map = maps.first(where: { $0.tag == tag }) else { return }
        map.markForRewrite(key: UnsafeRawBufferPointer(rebasing: key.dropFirst()))
    }
}

/// A typed map whose mutations are remembered until the next changelog write.
final class LoggedStore<Value: StateCodable>: TaggedMap {
    struct Entry {
        var value: Value
        var dirty: Bool
        /// The changelog holds this entry's key (it was written or restored): removing it needs a tombstone.
        var persisted: Bool
    }

    let tag: UInt8

    // Unchecked exclusivity (no dynamic check per record): a store is confined to its task's thread, and no
    // method calls out while it accesses these.
    @exclusivity(unchecked) private(set) var map = ByteKeyMap<Entry>()
    @exclusivity(unchecked) private var dirtyIndexes: [Int] = []
    @exclusivity(unchecked) private var deletedKeys: [[UInt8]] = []

    init(tag: UInt8) {
        self.tag = tag
    }

    var count: Int { map.count }

    var pendingChangeCount: Int { dirtyIndexes.count + deletedKeys.count }

    /// The entry index of `key`, or `nil`.
    @inline(__always)
    func index(of key: UnsafeRawBufferPointer) -> Int? { map.index(of: key) }

    /// The entry index of `key`, or `nil`.
    func index(of key: [UInt8]) -> Int? { map.index(of: key) }

    /// The value at an entry index.
    @inline(__always)
    subscript(index: Int) -> Value {
        // Borrowed in place: reading one field of a state must not copy (and retain) all of it.
        _read { yield map[index].value }
    }

    /// The key at an entry index.
    func key(at index: Int) -> [UInt8] { map.key(at: index) }

    /// `true` if the entry index is live.
    func isLive(_ index: Int) -> Bool { map.isLive(index) }

    /// Live entry indexes.
    var indexes: [Int] { map.indexes }

    /// Inserts a new key (logged) and returns its entry index.
    @discardableResult
    func insert(_ key: UnsafeRawBufferPointer, value: Value) -> Int {
        let index = map.insert(key, value: Entry(value: value, dirty: true, persisted: false))
        dirtyIndexes.append(index)
        return index
    }

    /// Inserts a new key held in an array.
    @discardableResult
    func insert(_ key: [UInt8], value: Value) -> Int {
        key.withUnsafeBytes { insert($0, value: value) }
    }

    /// Mutates the value at an entry index (logged).
    @inline(__always)
    func update<R>(at index: Int, _ body: (inout Value) throws -> R) rethrows -> R {
        if !map[index].dirty {
            map[index].dirty = true
            dirtyIndexes.append(index)
        }
        return try body(&map[index].value)
    }

    /// Mutates the value without logging (derived, non-persistent parts only).
    @inline(__always)
    func updateUnlogged<R>(at index: Int, _ body: (inout Value) throws -> R) rethrows -> R {
        try body(&map[index].value)
    }

    /// Removes an entry (logged as a tombstone).
    /// Removes the entry; its key gets a tombstone only if the changelog holds it (an entry added and removed
    /// between two flushes never reached the changelog).
    func remove(at index: Int) {
        if map[index].persisted { deletedKeys.append(map.key(at: index)) }
        map.remove(at: index)
    }

    /// Drops everything without logging (revoke).
    func clear() {
        map.removeAll()
        dirtyIndexes.removeAll()
        deletedKeys.removeAll()
    }

    func writeChanges(
        writer: inout StateWriter, key: inout [UInt8],
        _ emit: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) -> Void
    ) {
        for deleted in deletedKeys {
            key.removeAll(keepingCapacity: true)
            key.append(tag)
            key.append(contentsOf: deleted)
            key.withUnsafeBytes { emit($0, nil) }
        }
        deletedKeys.removeAll(keepingCapacity: true)
        for index in dirtyIndexes where map.isLive(index) && map[index].dirty {
            map[index].dirty = false
            map[index].persisted = true
            key.removeAll(keepingCapacity: true)
            key.append(tag)
            key.append(contentsOf: map.key(at: index))
            writer.bytes.removeAll(keepingCapacity: true)
            writer.write(byte: ChangelogFormat.formatVersion)
            map[index].value.encode(into: &writer)
            key.withUnsafeBytes { keyBytes in writer.bytes.withUnsafeBytes { emit(keyBytes, $0) } }
        }
        dirtyIndexes.removeAll(keepingCapacity: true)
    }

    func restore(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws(EngineError) {
        let existing = map.index(of: key)
        guard let value else {
            if let existing { map.remove(at: existing) }
            return
        }
        guard let version = value.first, version == ChangelogFormat.formatVersion else {
            throw EngineError(
                .corruptState,
                "changelog record of state format \(value.first.map(String.init) ?? "none"); this build reads format "
                    + "\(ChangelogFormat.formatVersion)")
        }
        var reader = StateReader(UnsafeRawBufferPointer(rebasing: value.dropFirst()))
        let decoded = try Value.decode(from: &reader)
        if let existing {
            map[existing] = Entry(value: decoded, dirty: false, persisted: true)
        } else {
            map.insert(key, value: Entry(value: decoded, dirty: false, persisted: true))
        }
    }

    func markForRewrite(key: UnsafeRawBufferPointer) {
        if let index = map.index(of: key) {
            map[index].persisted = true
            if !map[index].dirty {
                map[index].dirty = true
                dirtyIndexes.append(index)
            }
        } else {
            deletedKeys.append(Array(key))
        }
    }
}
