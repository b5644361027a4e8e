/// A UUID version 7 shaped identifier: 48 bits of Unix milliseconds, then random bits drawn from the
/// simulator's seeded generator (so ids are unique in practice and identical for the same seed).
public struct EventID: Sendable, Hashable, CustomStringConvertible {
    /// The first 64 bits (timestamp, version nibble, `rand_a`).
    public let high: UInt64
    /// The last 64 bits (variant bits, `rand_b`).
    public let low: UInt64

    /// Creates an id from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates a v7 id for `milliseconds` with random bits from `random`.
    @inline(__always)
    init(milliseconds: Int64, random: inout RandomSource) {
        let bits = random.next()
        let more = random.next()
        high = (UInt64(bitPattern: milliseconds) & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (bits & 0x0FFF)
        low = 0x8000_0000_0000_0000 | (more & 0x3FFF_FFFF_FFFF_FFFF)
    }

    /// The Unix milliseconds stored in the id.
    public var milliseconds: Int64 { Int64(bitPattern: high >> 16) }

    /// Writes the 36-character text form (lower-case hex) into `out` at `offset`.
    @inline(__always)
    func write(into out: UnsafeMutableRawBufferPointer, at offset: Int) {
        let hex: StaticString = "0123456789abcdef"
        let digits = hex.utf8Start
        var index = offset
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                out[index] = UInt8(ascii: "-")
                index += 1
            }
            let word = nibble < 16 ? high : low
            let shift = UInt64(60 - 4 * (nibble & 15))
            out[index] = digits[Int((word >> shift) & 0xF)]
            index += 1
        }
    }

    /// The text form, e.g. `01958f3a-6c1e-7b2a-9d4e-3f5a6b7c8d01`.
    public var description: String {
        withUnsafeTemporaryAllocation(byteCount: 36, alignment: 1) { buffer in
            write(into: buffer, at: 0)
            return String(decoding: UnsafeRawBufferPointer(buffer), as: UTF8.self)
        }
    }

    /// The text form as bytes.
    var bytes: [UInt8] { Array(description.utf8) }
}
