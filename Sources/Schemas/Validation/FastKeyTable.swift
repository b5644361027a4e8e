/// An immutable set of UTF-8 keys in raw storage, looked up with one 8-byte load, one multiply and
/// (for keys longer than 8 bytes) one comparison of the rest.
///
/// The hash of a key is taken over its first 8 bytes and its length with a multiplier chosen at
/// build time so that the declared keys land in distinct slots (linear probing covers the rare
/// keys that share their first 8 bytes and length). Storage belongs to a ``FastProgram``.
struct FastKeyTable {
    let count: Int
    /// Bit `length % 64` is set for the length of each key: most absent keys are rejected by one test.
    let lengthBits: UInt64
    let slots: UnsafeMutablePointer<Int16>
    let mask: Int
    let seed: UInt64
    let words: UnsafeMutablePointer<UInt64>
    /// Bytes 8..<16 of each key, zero-padded.
    let secondWords: UnsafeMutablePointer<UInt64>
    let lengths: UnsafeMutablePointer<Int32>
    let offsets: UnsafeMutablePointer<Int32>
    let blob: UnsafeMutablePointer<UInt8>
    /// For member-name tables of a program: each key's program-wide name id, and for each name id
    /// the slot holding it here (-1: none). Set after the whole program is built (see ``FastPresence``).
    var nameIDs: UnsafePointer<Int32>?
    var slotOfID: UnsafePointer<Int8>?

    /// The most keys a table holds (slots are 16-bit).
    static let maxCount = Int(Int16.max)

    /// Builds the table of `keys` (at most ``maxCount``) with storage from `arena`.
    init(_ keys: [[UInt8]], arena: FastProgram.Arena) {
        count = keys.count
        words = arena.allocate(max(count, 1))
        secondWords = arena.allocate(max(count, 1))
        lengths = arena.allocate(max(count, 1))
        offsets = arena.allocate(max(count, 1))
        blob = arena.allocate(max(keys.reduce(0) { $0 + $1.count }, 1))
        var position = 0
        var lengthBits: UInt64 = 0
        for (index, key) in keys.enumerated() {
            lengthBits |= 1 << UInt64(key.count % 64)
            words[index] = key.withUnsafeBytes { Self.word($0) }
            secondWords[index] = key.withUnsafeBytes { Self.word(UnsafeRawBufferPointer(rebasing: $0.dropFirst(8))) }
            lengths[index] = Int32(key.count)
            offsets[index] = Int32(position)
            for byte in key {
                blob[position] = byte
                position += 1
            }
        }
        self.lengthBits = lengthBits
        var size = 8
        while size < count * 2 { size *= 2 }
        mask = size - 1
        slots = arena.allocate(size)
        // Search a multiplier without collisions; keep the best one otherwise.
        var best: (seed: UInt64, collisions: Int) = (0x9E37_79B9_7F4A_7C15, Int.max)
        var candidate: UInt64 = 0x9E37_79B9_7F4A_7C15
        // Bounded work for huge `enum`s: they keep the best multiplier found (probing resolves collisions).
        for _ in 0..<max(1, min(500, 50_000 / max(count, 1))) where best.collisions > 0 {
            var used = Set<Int>()
            var collisions = 0
            for index in 0..<count {
                let slot = Self.hash(words[index], Int(lengths[index]), seed: candidate, mask: size - 1)
                if !used.insert(slot).inserted { collisions += 1 }
            }
            if collisions < best.collisions { best = (candidate, collisions) }
            candidate = (candidate &* 0x5851_F42D_4C95_7F2D &+ 0x1405_7B7E_F767_814F) | 1
        }
        seed = best.seed
        slots.initialize(repeating: -1, count: size)
        for index in 0..<count {
            var probe = Self.hash(words[index], Int(lengths[index]), seed: seed, mask: mask)
            while slots[probe] >= 0 { probe = (probe + 1) & mask }
            slots[probe] = Int16(index)
        }
    }

    /// The key at `slot`.
    func key(_ slot: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: blob + Int(offsets[slot]), count: Int(lengths[slot])))
    }

    /// The first 8 bytes of `bytes`, zero-padded, little-endian.
    static func word(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<min(bytes.count, 8) { value |= UInt64(bytes[index]) << UInt64(8 * index) }
        return value
    }

    @inline(__always)
    static func hash(_ word: UInt64, _ length: Int, seed: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: ((word &+ UInt64(truncatingIfNeeded: length)) &* seed) >> 40) & mask
    }

    /// The index of the key equal to `bytes`, or -1.
    ///
    /// - Parameter readableEnd: The end of the memory `bytes` lies in: when 8 bytes are readable from
    ///   the key's start, its first word is read with one load.
    @inline(__always)
    func index(of bytes: UnsafeRawBufferPointer, readableEnd: UnsafeRawPointer) -> Int {
        let length = bytes.count
        guard lengthBits & (1 &<< UInt64(truncatingIfNeeded: length & 63)) != 0 else { return -1 }
        guard let base = bytes.baseAddress else {
            return index(ofWord: 0, length: 0, base: readableEnd, readableEnd: readableEnd)
        }
        var word: UInt64
        if base + 8 <= readableEnd {
            word = base.loadUnaligned(as: UInt64.self)
            if length < 8 { word &= (1 &<< UInt64(truncatingIfNeeded: length &* 8)) &- 1 }
        } else {
            word = Self.word(bytes)
        }
        return index(ofWord: word, length: length, base: base, readableEnd: readableEnd)
    }

    /// ``index(of:readableEnd:)``, trying the key declared at `hint` first: producers usually write
    /// members in schema order, so the next member is mostly the next declared key (no hashing).
    @inline(__always)
    func index(of bytes: UnsafeRawBufferPointer, readableEnd: UnsafeRawPointer, hint: Int) -> Int {
        let length = bytes.count
        guard let base = bytes.baseAddress, base + 8 <= readableEnd else {
            return index(of: bytes, readableEnd: readableEnd)
        }
        var word = base.loadUnaligned(as: UInt64.self)
        if length < 8 { word &= (1 &<< UInt64(truncatingIfNeeded: length &* 8)) &- 1 }
        if hint < count && words[hint] == word && Int(lengths[hint]) == length
            && (length <= 8 || restEquals(hint, base, length, readableEnd))
        {
            return hint
        }
        guard lengthBits & (1 &<< UInt64(truncatingIfNeeded: length & 63)) != 0 else { return -1 }
        return index(ofWord: word, length: length, base: base, readableEnd: readableEnd)
    }

    @inline(__always)
    func index(ofWord word: UInt64, length: Int, base: UnsafeRawPointer, readableEnd: UnsafeRawPointer) -> Int {
        var probe = Self.hash(word, length, seed: seed, mask: mask)
        while true {
            let slot = Int(slots[probe])
            if slot < 0 { return -1 }
            if words[slot] == word && Int(lengths[slot]) == length
                && (length <= 8 || restEquals(slot, base, length, readableEnd))
            {
                return slot
            }
            probe = (probe + 1) & mask
        }
    }

    /// Bytes 8 and up of the key at `slot` equal those at `base` (both `length` > 8 bytes long).
    func restEquals(_ slot: Int, _ base: UnsafeRawPointer, _ length: Int, _ readableEnd: UnsafeRawPointer) -> Bool {
        var second: UInt64
        if base + 16 <= readableEnd {
            second = (base + 8).loadUnaligned(as: UInt64.self)
            if length < 16 { second &= (1 &<< UInt64(truncatingIfNeeded: (length &- 8) &* 8)) &- 1 }
        } else {
            second = Self.word(UnsafeRawBufferPointer(start: base + 8, count: length - 8))
        }
        guard secondWords[slot] == second else { return false }
        return length <= 16 || Self.equal(blob + Int(offsets[slot]) + 16, base + 16, length - 16)
    }

    @inline(__always)
    static func equal(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
        var index = 0
        while index + 8 <= count {
            if UnsafeRawPointer(lhs + index).loadUnaligned(as: UInt64.self)
                != (rhs + index).loadUnaligned(as: UInt64.self)
            {
                return false
            }
            index += 8
        }
        while index < count {
            if lhs[index] != rhs.load(fromByteOffset: index, as: UInt8.self) { return false }
            index += 1
        }
        return true
    }
}
