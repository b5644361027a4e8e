/// String escape helpers shared by the reader views and the writer. The inputs are strings the
/// reader has already validated, so decoding never fails.
@usableFromInline
enum JSONEscaping {
    @inlinable
    static func bytesEqual(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard lhs.count > 0 else { return true }
        return memcmpBytes(lhs.baseAddress!.assumingMemoryBound(to: UInt8.self), rhs.baseAddress!, lhs.count)
    }

    @inlinable
    static func hexValue(_ byte: UInt8) -> UInt32 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        default: UInt32(byte - UInt8(ascii: "A") + 10)
        }
    }

    /// Decodes escapes of validated raw string content, calling `emit` for each output byte.
    @inlinable
    static func decode(_ raw: UnsafeRawBufferPointer, _ emit: (UInt8) -> Bool) -> Bool {
        var index = 0
        let count = raw.count
        while index < count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                if !emit(byte) { return false }
                index += 1
                continue
            }
            let code = raw[index + 1]
            index += 2
            var simple: UInt8 = 0
            switch code {
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"): break
            default: simple = code
            }
            if simple != 0 {
                if !emit(simple) { return false }
                continue
            }
            var scalar: UInt32 = 0
            for offset in 0..<4 { scalar = scalar << 4 | hexValue(raw[index + offset]) }
            index += 4
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                var low: UInt32 = 0
                for offset in 0..<4 { low = low << 4 | hexValue(raw[index + 2 + offset]) }
                index += 6
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            if !encodeUTF8(scalar, emit) { return false }
        }
        return true
    }

    @inlinable
    static func encodeUTF8(_ scalar: UInt32, _ emit: (UInt8) -> Bool) -> Bool {
        switch scalar {
        case 0..<0x80:
            return emit(UInt8(scalar))
        case 0x80..<0x800:
            return emit(UInt8(0xC0 | scalar >> 6)) && emit(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            return emit(UInt8(0xE0 | scalar >> 12)) && emit(UInt8(0x80 | scalar >> 6 & 0x3F))
                && emit(UInt8(0x80 | scalar & 0x3F))
        default:
            return emit(UInt8(0xF0 | scalar >> 18)) && emit(UInt8(0x80 | scalar >> 12 & 0x3F))
                && emit(UInt8(0x80 | scalar >> 6 & 0x3F)) && emit(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Appends the unescaped form of validated raw string content.
    @inlinable
    static func unescape(_ raw: UnsafeRawBufferPointer, into buffer: inout [UInt8]) {
        _ = decode(raw) { byte in
            buffer.append(byte)
            return true
        }
    }

    /// Compares the unescaped form of validated raw content with `utf8`, without allocating.
    @inlinable
    static func unescapedEquals(_ raw: UnsafeRawBufferPointer, _ utf8: UnsafeRawBufferPointer) -> Bool {
        var position = 0
        let matched = decode(raw) { byte in
            guard position < utf8.count, utf8[position] == byte else { return false }
            position += 1
            return true
        }
        return matched && position == utf8.count
    }

    /// Counts Unicode scalars of valid UTF-8.
    @inlinable
    static func scalarCount(_ utf8: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in utf8 where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    @usableFromInline static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `utf8` as the content of a JSON string (quotes not included), escaping as needed.
    @inlinable
    static func escape(_ utf8: UnsafeRawBufferPointer, into buffer: inout [UInt8]) {
        var runStart = 0
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if runStart < index { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<index])) }
            buffer.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            default:
                buffer.append(UInt8(ascii: "u"))
                buffer.append(UInt8(ascii: "0"))
                buffer.append(UInt8(ascii: "0"))
                buffer.append(hexDigits[Int(byte >> 4)])
                buffer.append(hexDigits[Int(byte & 0xF)])
            }
            index += 1
            runStart = index
        }
        if runStart < count { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<count])) }
    }
}
