import Crypto

/// The `sources` lineage of a transaction: how many events formed it, the first 500 event ids and an
/// order-independent digest.
///
/// The digest is the sum modulo 2^256 of SHA-256(eventId) over every contributing event, written as
/// 64 lower-case hex digits. Addition is commutative, so the digest does not depend on arrival
/// order and is maintained incrementally in window state (one hash per event).
package struct SourceSet: Sendable, Hashable {
    /// The cap on listed event ids.
    package static let maxListedIds = 500

    /// Number of contributing events.
    package private(set) var count: Int64 = 0
    /// Listed ids, each prefixed by one length byte (ids longer than 255 bytes are truncated in the list).
    private(set) var idBytes: [UInt8] = []
    /// Number of listed ids.
    package private(set) var listedCount = 0
    /// The 256-bit sum, most significant word first.
    package private(set) var digestWords: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// An empty set.
    package init() {}

    package static func == (lhs: SourceSet, rhs: SourceSet) -> Bool {
        lhs.count == rhs.count && lhs.idBytes == rhs.idBytes && lhs.digestWords == rhs.digestWords
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(idBytes)
    }

    /// Adds one event id.
    package mutating func add(_ eventId: UnsafeRawBufferPointer) {
        count += 1
        if listedCount < Self.maxListedIds {
            let length = min(eventId.count, 255)
            idBytes.append(UInt8(length))
            idBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: eventId[0..<length]))
            listedCount += 1
        }
        let digest = SHA256.hash(data: eventId)
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        digest.withUnsafeBytes { bytes in
            func word(_ offset: Int) -> UInt64 {
                var value: UInt64 = 0
                for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
                return value
            }
            words = (word(0), word(8), word(16), word(24))
        }
        add(words: words)
    }

    /// Adds the events of another set (session merges); the id list keeps this set's ids first.
    package mutating func merge(_ other: SourceSet) {
        count += other.count
        other.forEachId { id in
            if listedCount < Self.maxListedIds {
                idBytes.append(UInt8(id.count))
                idBytes.append(contentsOf: id)
                listedCount += 1
            }
        }
        add(words: other.digestWords)
    }

    private mutating func add(words: (UInt64, UInt64, UInt64, UInt64)) {
        let (w3, c3) = digestWords.3.addingReportingOverflow(words.3)
        let (t2, c2a) = digestWords.2.addingReportingOverflow(words.2)
        let (w2, c2b) = t2.addingReportingOverflow(c3 ? 1 : 0)
        let (t1, c1a) = digestWords.1.addingReportingOverflow(words.1)
        let (w1, c1b) = t1.addingReportingOverflow((c2a || c2b) ? 1 : 0)
        let w0 = digestWords.0 &+ words.0 &+ ((c1a || c1b) ? 1 : 0)
        digestWords = (w0, w1, w2, w3)
    }

    /// Calls `body` with each listed id in order.
    package func forEachId(_ body: (UnsafeRawBufferPointer) -> Void) {
        idBytes.withUnsafeBytes { bytes in
            var index = 0
            while index < bytes.count {
                let length = Int(bytes[index])
                body(UnsafeRawBufferPointer(rebasing: bytes[index + 1..<index + 1 + length]))
                index += 1 + length
            }
        }
    }

    /// The listed ids as strings (tests).
    package var eventIds: [String] {
        var ids: [String] = []
        forEachId { ids.append(String(decoding: $0, as: UTF8.self)) }
        return ids
    }

    /// Appends the digest as 64 hex digits.
    package func appendDigestHex(to buffer: inout [UInt8]) {
        for word in [digestWords.0, digestWords.1, digestWords.2, digestWords.3] {
            var shift: UInt64 = 60
            while true {
                buffer.append(UUIDv5.hexDigit(UInt8((word >> shift) & 0xF)))
                if shift == 0 { break }
                shift -= 4
            }
        }
    }

    /// The digest as hex (tests).
    package var digestHex: String {
        var buffer: [UInt8] = []
        appendDigestHex(to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Encodes for a changelog.
    package func encode(into writer: inout StateWriter) {
        writer.write(count)
        writer.write(listedCount)
        writer.write(bytes: idBytes)
        writer.write(unsigned: digestWords.0)
        writer.write(unsigned: digestWords.1)
        writer.write(unsigned: digestWords.2)
        writer.write(unsigned: digestWords.3)
    }

    /// Decodes what ``encode(into:)`` wrote.
    package static func decode(from reader: inout StateReader) throws(EngineError) -> SourceSet {
        var set = SourceSet()
        set.count = try reader.readInt64()
        set.listedCount = try reader.readInt()
        set.idBytes = try reader.readBytes()
        set.digestWords = (
            try reader.readUnsigned(), try reader.readUnsigned(), try reader.readUnsigned(), try reader.readUnsigned()
        )
        return set
    }
}
