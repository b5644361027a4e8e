/// Reads the protocol buffers wire format (varints, fixed-width and length-delimited fields) from borrowed bytes.
///
/// Only what Sparkplug B payloads use; every read is bounds-checked and a malformed input throws a
/// ``SparkplugDecodingError`` with the byte offset, never traps.
struct ProtobufReader {
    /// The wire types of a field key.
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    private let bytes: UnsafeRawBufferPointer
    /// The offset of `bytes` in the whole payload (error positions).
    private let base: Int
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer, base: Int = 0) {
        self.bytes = bytes
        self.base = base
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// The position in the whole payload.
    var offset: Int { base + position }

    /// The next field's number and wire type.
    mutating func readKey() throws(SparkplugDecodingError) -> (field: UInt64, wireType: WireType) {
        let start = position
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)), key >> 3 != 0 else {
            throw SparkplugDecodingError(offset: base + start, "invalid field key \(key)")
        }
        return (key >> 3, wireType)
    }

    /// A base-128 varint of at most ten bytes.
    mutating func readVarint() throws(SparkplugDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 {
                throw SparkplugDecodingError(offset: base + start, "varint overflows 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        throw SparkplugDecodingError(offset: base + start, "truncated varint")
    }

    /// A little-endian 32-bit field.
    mutating func readFixed32() throws(SparkplugDecodingError) -> UInt32 {
        guard bytes.count - position >= 4 else {
            throw SparkplugDecodingError(offset: base + position, "truncated fixed32")
        }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[position + index]) << (8 * UInt32(index)) }
        position += 4
        return value
    }

    /// A little-endian 64-bit field.
    mutating func readFixed64() throws(SparkplugDecodingError) -> UInt64 {
        guard bytes.count - position >= 8 else {
            throw SparkplugDecodingError(offset: base + position, "truncated fixed64")
        }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += 8
        return value
    }

    /// A length-delimited field's bytes and the reader's offset of them.
    mutating func readLengthDelimited() throws(SparkplugDecodingError) -> (bytes: UnsafeRawBufferPointer, base: Int) {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(bytes.count - position) else {
            throw SparkplugDecodingError(
                offset: base + start, "length \(length) runs past the end (\(bytes.count - position) bytes left)")
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<position + Int(length)])
        let sliceBase = base + position
        position += Int(length)
        return (slice, sliceBase)
    }

    /// A nested message's reader.
    mutating func readMessage() throws(SparkplugDecodingError) -> ProtobufReader {
        let (slice, sliceBase) = try readLengthDelimited()
        return ProtobufReader(slice, base: sliceBase)
    }

    /// A UTF-8 string field.
    mutating func readString() throws(SparkplugDecodingError) -> String {
        let start = position
        let (slice, _) = try readLengthDelimited()
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw SparkplugDecodingError(offset: base + start, "string field is not UTF-8")
        }
        return text
    }

    /// A `bool` field.
    mutating func readBool() throws(SparkplugDecodingError) -> Bool { try readVarint() != 0 }

    /// Skips a field of an unknown number (groups included).
    mutating func skip(_ wireType: WireType, depth: Int = 0) throws(SparkplugDecodingError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup:
            guard depth < 32 else { throw SparkplugDecodingError(offset: base + position, "groups nested too deep") }
            while true {
                guard !isAtEnd else { throw SparkplugDecodingError(offset: base + position, "unterminated group") }
                let (_, inner) = try readKey()
                if inner == .endGroup { return }
                try skip(inner, depth: depth + 1)
            }
        case .endGroup:
            throw SparkplugDecodingError(offset: base + position, "unexpected end of group")
        }
    }

    /// Throws unless `actual` is the wire type the field must have.
    func expect(_ actual: WireType, _ expected: WireType, field: String) throws(SparkplugDecodingError) {
        guard actual == expected else {
            throw SparkplugDecodingError(
                offset: base + position, "\(field) has wire type \(actual.rawValue), expected \(expected.rawValue)")
        }
    }
}
