import JSON

/// A set of UTF-8 keys compared against unescaped instance strings without allocating: keys are
/// bucketed by length and compared by an 8-byte prefix first, then by the remaining bytes.
///
/// `@unchecked Sendable`: the raw storage is written only in `init` and freed in `deinit`.
final class KeyTable: @unchecked Sendable {
    /// The keys in their original order.
    let keys: [[UInt8]]
    private let bucketStart: UnsafeMutablePointer<Int32>  // 66 entries: lengths 0...63, 64 = longer
    private let order: UnsafeMutablePointer<Int32>
    private let prefixes: UnsafeMutablePointer<UInt64>
    private let offsets: UnsafeMutablePointer<Int32>
    private let lengths: UnsafeMutablePointer<Int32>
    private let blob: UnsafeMutablePointer<UInt8>
    /// Prefix, length and blob offset per key in declaration order (for order prediction).
    private let declaredPrefixes: UnsafeMutablePointer<UInt64>
    private let declaredLengths: UnsafeMutablePointer<Int32>
    private let declaredOffsets: UnsafeMutablePointer<Int32>
    /// Open-addressing table over (8-byte prefix, length): slot → sorted position, -1 = empty.
    private let hashSlots: UnsafeMutablePointer<Int32>
    private let hashShift: UInt64
    private let hashMask: Int

    init(_ keys: [[UInt8]]) {
        self.keys = keys
        let count = keys.count
        bucketStart = .allocate(capacity: 66)
        order = .allocate(capacity: max(count, 1))
        prefixes = .allocate(capacity: max(count, 1))
        offsets = .allocate(capacity: max(count, 1))
        lengths = .allocate(capacity: max(count, 1))
        let total = keys.reduce(0) { $0 + $1.count }
        blob = .allocate(capacity: max(total, 1))
        let sorted = keys.indices.sorted { (min(keys[$0].count, 64), $0) < (min(keys[$1].count, 64), $1) }
        var position = 0
        var bucket = 0
        for (slot, index) in sorted.enumerated() {
            let key = keys[index]
            while bucket <= min(key.count, 64) {
                bucketStart[bucket] = Int32(slot)
                bucket += 1
            }
            order[slot] = Int32(index)
            prefixes[slot] = key.withUnsafeBytes { Self.prefix($0) }
            offsets[slot] = Int32(position)
            lengths[slot] = Int32(key.count)
            for byte in key {
                blob[position] = byte
                position += 1
            }
        }
        while bucket <= 65 {
            bucketStart[bucket] = Int32(count)
            bucket += 1
        }
        declaredPrefixes = .allocate(capacity: max(count, 1))
        declaredLengths = .allocate(capacity: max(count, 1))
        declaredOffsets = .allocate(capacity: max(count, 1))
        for slot in 0..<count {
            let index = Int(order[slot])
            declaredPrefixes[index] = prefixes[slot]
            declaredLengths[index] = lengths[slot]
            declaredOffsets[index] = offsets[slot]
        }
        var bits = 3
        while 1 << bits < count * 4 { bits += 1 }
        hashShift = UInt64(64 - bits)
        hashMask = (1 << bits) - 1
        hashSlots = .allocate(capacity: 1 << bits)
        hashSlots.initialize(repeating: -1, count: 1 << bits)
        for slot in 0..<count {
            var probe = Self.hash(prefixes[slot], Int(lengths[slot]), shift: hashShift)
            while hashSlots[probe] >= 0 { probe = (probe + 1) & hashMask }
            hashSlots[probe] = Int32(slot)
        }
    }

    @inline(__always)
    static func hash(_ prefix: UInt64, _ length: Int, shift: UInt64) -> Int {
        Int(
            truncatingIfNeeded: ((prefix ^ (UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9)) &* 0x9E37_79B9_7F4A_7C15)
                >> shift)
    }

    deinit {
        declaredPrefixes.deallocate()
        declaredLengths.deallocate()
        declaredOffsets.deallocate()
        hashSlots.deallocate()
        bucketStart.deallocate()
        order.deallocate()
        prefixes.deallocate()
        offsets.deallocate()
        lengths.deallocate()
        blob.deallocate()
    }

    var count: Int { keys.count }

    @inline(__always)
    static func prefix(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        if bytes.count >= 8 { return bytes.loadUnaligned(as: UInt64.self) }
        var value: UInt64 = 0
        for index in 0..<bytes.count { value |= UInt64(bytes[index]) << UInt64(8 * index) }
        return value
    }

    /// A key being looked up: its bytes and 8-byte prefix, computed once.
    struct Probe {
        let bytes: UnsafeRawBufferPointer
        let prefix: UInt64
    }

    /// Prepares a lookup of `bytes` (unescaped UTF-8).
    ///
    /// - Parameter readableEnd: End of the memory `bytes` lies in; when at least 8 bytes are readable
    ///   from the key's start, its prefix is read with one load.
    @inline(__always)
    static func probe(_ bytes: UnsafeRawBufferPointer, readableEnd: UnsafeRawPointer?) -> Probe {
        let length = bytes.count
        if length < 8, let readableEnd, let base = bytes.baseAddress, base + 8 <= readableEnd {
            // Read 8 bytes in one load (the document continues after the key) and mask the excess.
            return Probe(bytes: bytes, prefix: base.loadUnaligned(as: UInt64.self) & ((1 << UInt64(8 * length)) &- 1))
        }
        return Probe(bytes: bytes, prefix: prefix(bytes))
    }

    /// `true` if the key declared at `index` equals the probe.
    @inline(__always)
    func matches(_ probe: Probe, at index: Int) -> Bool {
        guard index < keys.count, declaredPrefixes[index] == probe.prefix else { return false }
        let length = probe.bytes.count
        guard Int(declaredLengths[index]) == length else { return false }
        if length <= 8 { return true }
        let stored = UnsafeRawBufferPointer(start: blob + Int(declaredOffsets[index]) + 8, count: length - 8)
        return memcmp8(stored, UnsafeRawBufferPointer(rebasing: probe.bytes[8...]))
    }

    /// The index of the key equal to the probe, or `nil`.
    @inline(__always)
    func index(of probe: Probe) -> Int? {
        let length = probe.bytes.count
        var slotIndex = Self.hash(probe.prefix, length, shift: hashShift)
        while true {
            let slot = Int(hashSlots[slotIndex])
            if slot < 0 { return nil }
            if prefixes[slot] == probe.prefix && Int(lengths[slot]) == length {
                if length <= 8 { return Int(order[slot]) }
                let stored = UnsafeRawBufferPointer(start: blob + Int(offsets[slot]) + 8, count: length - 8)
                if memcmp8(stored, UnsafeRawBufferPointer(rebasing: probe.bytes[8...])) { return Int(order[slot]) }
            }
            slotIndex = (slotIndex + 1) & hashMask
        }
    }

    /// The index of the key equal to `bytes` (unescaped UTF-8), or `nil`.
    @inline(__always)
    func index(ofBytes bytes: UnsafeRawBufferPointer, readableEnd: UnsafeRawPointer? = nil) -> Int? {
        index(of: Self.probe(bytes, readableEnd: readableEnd))
    }

    /// Looks up an object member name, trying the declared key at `hint` and the one after it
    /// first: producers usually write members in schema order, so most lookups need no hashing.
    @inline(__always)
    func index(ofMember node: JSONNode, hint: Int) -> Int? {
        guard let raw = node.rawStringBytes else { return nil }
        guard !node.hasEscapes else { return node.withUnescapedBytes { index(ofBytes: $0) } ?? nil }
        let document = node.document.bytes
        let probe = Self.probe(raw, readableEnd: document.baseAddress.map { $0 + document.count })
        if matches(probe, at: hint) { return hint }
        if matches(probe, at: hint + 1) { return hint + 1 }
        return index(of: probe)
    }

    /// The index of the key equal to the string `node`'s value, or `nil`.
    @inline(__always)
    func index(of node: JSONNode) -> Int? {
        guard let raw = node.rawStringBytes else { return nil }
        if !node.hasEscapes {
            let document = node.document.bytes
            return index(ofBytes: raw, readableEnd: document.baseAddress.map { $0 + document.count })
        }
        return node.withUnescapedBytes { index(ofBytes: $0) } ?? nil
    }

    /// `true` if the object `node` has a member named `keys[index]`.
    func objectHasMember(_ object: JSONNode, _ index: Int) -> Bool {
        keys[index].withUnsafeBytes { object.member(utf8: $0) != nil }
    }

    /// The key at `index` as text (for messages).
    func name(_ index: Int) -> String { String(decoding: keys[index], as: UTF8.self) }
}

@inline(__always)
func memcmp8(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    let count = lhs.count
    while index + 8 <= count {
        if lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            != rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        {
            return false
        }
        index += 8
    }
    while index < count {
        if lhs[index] != rhs[index] { return false }
        index += 1
    }
    return true
}
