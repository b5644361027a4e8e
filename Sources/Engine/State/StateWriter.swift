/// Appends a compact binary encoding of state values (changelog record values and keys).
///
/// Integers are LEB128 varints (signed ones zig-zag encoded); byte strings are length-prefixed.
package struct StateWriter {
    /// The encoded bytes so far.
    package var bytes: [UInt8]

    /// Creates a writer over a reused buffer (its content is discarded).
    package init(reusing buffer: [UInt8] = []) {
        bytes = buffer
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends an unsigned varint.
    @inlinable
    package mutating func write(unsigned value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Appends a signed varint (zig-zag).
    @inlinable
    package mutating func write(_ value: Int64) {
        write(unsigned: UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends an `Int` as a signed varint.
    @inlinable
    package mutating func write(_ value: Int) { write(Int64(value)) }

    /// Appends a boolean as one byte.
    @inlinable
    package mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends one raw byte.
    @inlinable
    package mutating func write(byte: UInt8) { bytes.append(byte) }

    /// Appends length-prefixed bytes.
    @inlinable
    package mutating func write(bytes value: UnsafeRawBufferPointer) {
        write(unsigned: UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends length-prefixed bytes.
    @inlinable
    package mutating func write(bytes value: [UInt8]) {
        write(unsigned: UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends a length-prefixed UTF-8 string.
    package mutating func write(string value: String) {
        write(bytes: Array(value.utf8))
    }

    /// Appends a fixed 8-byte big-endian integer (sortable keys).
    @inlinable
    package mutating func write(bigEndian value: Int64) {
        let bits = UInt64(bitPattern: value) ^ (1 << 63)
        var shift: UInt64 = 56
        while true {
            bytes.append(UInt8(truncatingIfNeeded: bits >> shift))
            if shift == 0 { break }
            shift -= 8
        }
    }
}
