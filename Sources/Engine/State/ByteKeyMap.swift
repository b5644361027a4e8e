/// An open-addressing hash map from byte-string keys to values, looked up by borrowed bytes.
///
/// Lookups hash the borrowed key and compare bytes without allocating; only inserting a new key
/// copies it. Entry indexes are stable until the entry is removed (freed indexes are reused).
/// The hash is deterministic (no per-process seed) so iteration, where used, is reproducible.
package struct ByteKeyMap<Value> {
    @usableFromInline
    struct Entry {
        @usableFromInline var hash: UInt64
        @usableFromInline var key: [UInt8]
        /// Not optional, so that reads borrow it in place (a read through `!` copies the payload). A removed
        /// entry keeps its value until its index is reused or the map is cleared.
        @usableFromInline var value: Value
        @usableFromInline var live: Bool

        @inlinable
        init(hash: UInt64, key: [UInt8], value: Value) {
            self.hash = hash
            self.key = key
            self.value = value
            live = true
        }
    }

    @usableFromInline var slots: [Int32]
    @usableFromInline var entries: [Entry] = []
    @usableFromInline var freeList: [Int32] = []
    @usableFromInline var liveCount = 0
    @usableFromInline var usedSlots = 0

    @usableFromInline static var empty: Int32 { -1 }
    @usableFromInline static var tombstone: Int32 { -2 }

    /// Creates an empty map.
    package init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Self.empty, count: size)
    }

    /// The number of keys.
    @inlinable package var count: Int { liveCount }

    /// `true` when there are no keys.
    @inlinable package var isEmpty: Bool { liveCount == 0 }

    /// A 64-bit hash of bytes (8 bytes at a time, multiply-xorshift mixing).
    @inlinable
    package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        let count = bytes.count
        guard let base = bytes.baseAddress else { return hash }
        while index + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < count {
            tail |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 29
        return hash
    }

    @inlinable
    static func equal(_ stored: [UInt8], _ key: UnsafeRawBufferPointer) -> Bool {
        guard stored.count == key.count else { return false }
        return stored.withUnsafeBytes { storedBytes in
            guard let left = storedBytes.baseAddress, let right = key.baseAddress else { return true }
            var index = 0
            let count = key.count
            while index + 8 <= count {
                if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    != right.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                {
                    return false
                }
                index += 8
            }
            while index < count {
                if left.load(fromByteOffset: index, as: UInt8.self) != right.load(fromByteOffset: index, as: UInt8.self)
                {
                    return false
                }
                index += 1
            }
            return true
        }
    }

    /// The entry index of `key`, or `nil`.
    @inlinable
    package func index(of key: UnsafeRawBufferPointer) -> Int? {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entryIndex = slots[slot]
            if entryIndex == Self.empty { return nil }
            // Fields are read in place: copying the entry out would retain its key and value per probe.
            if entryIndex >= 0, entries[Int(entryIndex)].hash == hash, Self.equal(entries[Int(entryIndex)].key, key) {
                return Int(entryIndex)
            }
            slot = (slot + 1) & mask
        }
    }

    /// The entry index of `key` held in an array.
    @inlinable
    package func index(of key: [UInt8]) -> Int? {
        key.withUnsafeBytes { index(of: $0) }
    }

    /// Inserts `key` with `value` (the key must not be present) and returns its entry index.
    @inlinable @discardableResult
    package mutating func insert(_ key: UnsafeRawBufferPointer, value: Value) -> Int {
        if (usedSlots + 1) * 4 >= slots.count * 3 { rehash() }
        let hash = Self.hash(key)
        let entry = Entry(hash: hash, key: Array(key), value: value)
        let entryIndex: Int
        if let free = freeList.popLast() {
            entryIndex = Int(free)
            entries[entryIndex] = entry
        } else {
            entryIndex = entries.count
            entries.append(entry)
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        if slots[slot] == Self.empty { usedSlots += 1 }
        slots[slot] = Int32(entryIndex)
        liveCount += 1
        return entryIndex
    }

    /// Inserts a key held in an array.
    @inlinable @discardableResult
    package mutating func insert(_ key: [UInt8], value: Value) -> Int {
        key.withUnsafeBytes { insert($0, value: value) }
    }

    /// Removes the entry at `entryIndex`.
    @inlinable
    package mutating func remove(at entryIndex: Int) {
        let hash = entries[entryIndex].hash
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != Int32(entryIndex) { slot = (slot + 1) & mask }
        slots[slot] = Self.tombstone
        entries[entryIndex].live = false
        entries[entryIndex].key = []
        freeList.append(Int32(entryIndex))
        liveCount -= 1
    }

    /// The value at an entry index (must be live).
    @inlinable
    package subscript(entryIndex: Int) -> Value {
        _read {
            assert(entries[entryIndex].live, "entry \(entryIndex) was removed")
            yield entries[entryIndex].value
        }
        _modify {
            assert(entries[entryIndex].live, "entry \(entryIndex) was removed")
            yield &entries[entryIndex].value
        }
    }

    /// The key bytes at an entry index.
    @inlinable
    package func key(at entryIndex: Int) -> [UInt8] { entries[entryIndex].key }

    /// `true` if the entry index holds a live entry.
    @inlinable
    package func isLive(_ entryIndex: Int) -> Bool {
        entryIndex < entries.count && entries[entryIndex].live
    }

    /// Live entry indexes in index order.
    package var indexes: [Int] {
        var result: [Int] = []
        result.reserveCapacity(liveCount)
        for index in entries.indices where entries[index].live { result.append(index) }
        return result
    }

    /// Removes every entry.
    package mutating func removeAll() {
        self = ByteKeyMap()
    }

    @usableFromInline
    mutating func rehash() {
        var size = slots.count
        while liveCount * 2 >= size { size <<= 1 }
        if liveCount * 4 >= size { size <<= 1 }
        slots = Array(repeating: Self.empty, count: size)
        let mask = size - 1
        for index in entries.indices where entries[index].live {
            var slot = Int(truncatingIfNeeded: entries[index].hash) & mask
            while slots[slot] != Self.empty { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
        usedSlots = liveCount
    }
}
