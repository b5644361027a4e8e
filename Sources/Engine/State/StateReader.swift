/// Reads what ``StateWriter`` wrote; every read fails with ``EngineError/Code/corruptState`` on bad input.
package struct StateReader {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    /// The read position.
    package var position: Int = 0

    /// Creates a reader over borrowed bytes.
    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// `true` once every byte was read.
    package var isAtEnd: Bool { position >= bytes.count }

    @usableFromInline
    static func corrupt() -> EngineError { EngineError(.corruptState, "changelog record is truncated or malformed") }

    /// Reads an unsigned varint.
    @inlinable
    package mutating func readUnsigned() throws(EngineError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count, shift < 64 else { throw Self.corrupt() }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// Reads a signed varint.
    @inlinable
    package mutating func readInt64() throws(EngineError) -> Int64 {
        let raw = try readUnsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads an `Int`.
    @inlinable
    package mutating func readInt() throws(EngineError) -> Int { Int(try readInt64()) }

    /// Reads a boolean.
    @inlinable
    package mutating func readBool() throws(EngineError) -> Bool { try readByte() != 0 }

    /// Reads one raw byte.
    @inlinable
    package mutating func readByte() throws(EngineError) -> UInt8 {
        guard position < bytes.count else { throw Self.corrupt() }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads length-prefixed bytes into an array.
    @inlinable
    package mutating func readBytes() throws(EngineError) -> [UInt8] {
        let count = Int(try readUnsigned())
        guard count >= 0, position + count <= bytes.count else { throw Self.corrupt() }
        defer { position += count }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[position..<position + count]))
    }

    /// Reads a length-prefixed UTF-8 string.
    package mutating func readString() throws(EngineError) -> String {
        String(decoding: try readBytes(), as: UTF8.self)
    }

    /// Reads a fixed 8-byte big-endian integer.
    @inlinable
    package mutating func readBigEndian() throws(EngineError) -> Int64 {
        guard position + 8 <= bytes.count else { throw Self.corrupt() }
        var bits: UInt64 = 0
        for index in 0..<8 { bits = bits << 8 | UInt64(bytes[position + index]) }
        position += 8
        return Int64(bitPattern: bits ^ (1 << 63))
    }
}
