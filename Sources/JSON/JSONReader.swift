/// A strict RFC 8259 reader that indexes a borrowed byte buffer into a reusable ``JSONTape``.
///
/// One pass over the bytes validates the grammar, string escapes (surrogate pairs must pair up),
/// UTF-8 well-formedness and the nesting depth, and records every value's kind and byte range.
/// Nothing is copied: strings and numbers stay in the caller's buffer and are decoded on demand
/// through ``JSONNode``. Parsing is iterative, so deep input is an error, never a stack overflow.
///
/// ```swift
/// let tape = JSONTape()                    // once per task; reused for every record
/// try payload.withUnsafeBytes { bytes in
///     let doc = try JSONReader().parse(bytes, into: tape)
///     let count = doc.root["data"]?["totalCount"]?.int64
/// }
/// ```
public struct JSONReader: Sendable {
    /// The default nesting limit.
    public static let defaultMaxDepth = 128

    /// The deepest nesting of arrays and objects accepted; deeper input fails with ``JSONError/Code/tooDeep``.
    public var maxDepth: Int

    /// Creates a reader.
    /// - Parameter maxDepth: Maximum nesting depth of arrays/objects (default 128, at least 1).
    public init(maxDepth: Int = JSONReader.defaultMaxDepth) {
        self.maxDepth = max(1, maxDepth)
    }

    /// Parses one JSON text.
    ///
    /// - Parameters:
    ///   - bytes: The UTF-8 input. It is borrowed, not copied.
    ///   - tape: Storage for the structural index; its previous content is discarded.
    /// - Returns: A view of the document, valid while `bytes` stays alive and `tape` is not reused.
    /// - Throws: ``JSONError`` with the byte offset, line and column of the first problem.
    /// - Important: The returned document holds unsafe pointers into `bytes` and `tape`: do not
    ///   let it escape the scope that keeps them alive.
    @inlinable
    public func parse(_ bytes: UnsafeRawBufferPointer, into tape: JSONTape) throws(JSONError) -> JSONDocument {
        guard bytes.count < Int(UInt32.max) else {
            throw JSONError(code: .tooLarge, message: "input larger than 4 GiB")
        }
        let storage = tape.storage
        storage.pointee.count = 0
        var parser = TapeParser(bytes: bytes, storage: storage, maxDepth: maxDepth)
        do {
            try parser.run()
        } catch {
            storage.pointee.count = 0
            throw error.located(in: bytes)
        }
        storage.pointee.count = parser.count
        return JSONDocument(bytes: bytes, entries: UnsafePointer(parser.entries), count: parser.count)
    }
}

extension JSONError {
    /// Fills in line and column from `offset` (error path only).
    @usableFromInline
    func located(in bytes: UnsafeRawBufferPointer) -> JSONError {
        var line = 1
        var column = 1
        var index = 0
        let limit = min(offset, bytes.count)
        while index < limit {
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        var copy = self
        copy.line = line
        copy.column = column
        return copy
    }
}

/// The single-pass tokenizer and indexer behind ``JSONReader``.
///
/// The hot loop (`run`) keeps the position, the tape's storage and the open container's state in
/// local variables; strings are scanned 8 bytes at a time for the closing quote, and only strings
/// with escapes, control bytes or non-ASCII bytes take the out-of-line checking path.
@usableFromInline
struct TapeParser {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let end: Int
    @usableFromInline var pos = 0
    /// The tape's storage (the caller of ``JSONReader/parse(_:into:)`` keeps the tape alive for the
    /// whole parse); touched only to grow it.
    @usableFromInline let storage: UnsafeMutablePointer<JSONTape.Storage>
    @usableFromInline let maxDepth: Int
    /// The tape's storage and entry count, written back when the parse ends.
    @usableFromInline var entries: UnsafeMutablePointer<TapeEntry>
    @usableFromInline var count = 0
    @usableFromInline let initialCapacity: Int
    @usableFromInline let initialStack: UnsafeMutablePointer<UInt32>
    @usableFromInline let initialStackCapacity: Int

    @inlinable
    init(bytes: UnsafeRawBufferPointer, storage: UnsafeMutablePointer<JSONTape.Storage>, maxDepth: Int) {
        // A zero-length buffer may have a nil base; point at a static byte instead (never read).
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? TapeParser.emptyBase
        end = bytes.count
        self.storage = storage
        self.maxDepth = maxDepth
        entries = storage.pointee.entries
        initialCapacity = storage.pointee.capacity
        initialStack = storage.pointee.stack
        initialStackCapacity = storage.pointee.stackCapacity
    }

    // Immutable after initialisation: one zero byte that is never written, so sharing it is safe.
    @usableFromInline nonisolated(unsafe) static let emptyBase: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    @inlinable
    func fail(_ code: JSONError.Code, _ message: String, at offset: Int) -> JSONError {
        JSONError(code: code, offset: offset, message: message)
    }

    /// The first offset at or after `p` that is not JSON whitespace.
    @inlinable @inline(__always)
    func skipWhitespace(_ p: Int) -> Int {
        var p = p
        while p < end {
            let byte = base[p]
            if byte > 0x20 { return p }
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return p }
            p &+= 1
        }
        return p
    }

    /// The first offset at or after `p` holding `"`, `\\`, a control byte or a non-ASCII byte, or `end`.
    @inlinable @inline(__always)
    func scanString(_ p: Int) -> Int {
        var p = p
        let ones: UInt64 = 0x0101_0101_0101_0101
        while p &+ 8 <= end {
            let word = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let slash = word ^ (ones &* 0x5C)
            // The lowest set high bit marks the first special byte exactly (borrows only run upwards).
            let special =
                (((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((word &- ones &* 0x20) & ~word) | word)
                & (ones &* 0x80)
            if special != 0 { return p &+ (special.trailingZeroBitCount &>> 3) }
            p &+= 8
        }
        while p < end {
            let byte = base[p]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return p }
            p &+= 1
        }
        return p
    }

    /// Storage for at least one more entry; returns the (moved) entries and the new capacity.
    @inlinable @inline(never)
    func grow(count: Int) -> (UnsafeMutablePointer<TapeEntry>, Int) {
        storage.pointee.count = count
        storage.pointee.grow(minimum: count + 1)
        return (storage.pointee.entries, storage.pointee.capacity)
    }

    /// A container stack with room for at least `minimum` levels, and its capacity.
    @inlinable @inline(never)
    func growStack(minimum: Int) -> (UnsafeMutablePointer<UInt32>, Int) {
        storage.pointee.growStack(minimum: minimum)
        return (storage.pointee.stack, storage.pointee.stackCapacity)
    }

    @inlinable
    mutating func run() throws(JSONError) {
        let base = self.base
        let end = self.end
        var entries = self.entries
        var capacity = initialCapacity
        var count = 0
        var p = skipWhitespace(pos)
        guard p < end else { throw fail(.emptyInput, "empty input: expected a JSON value", at: p) }
        var depth = 0
        var stack = initialStack
        var stackCapacity = initialStackCapacity
        // The innermost open container: its tape index, kind and the values completed in it so far.
        var container = 0
        var inObject = false
        var members: UInt32 = 0
        var expectKey = false
        outer: while true {
            if expectKey {
                // `"key"` then `:`; the value follows.
                guard p < end else {
                    throw fail(.unexpectedEnd, "unexpected end of input: expected a member name", at: p)
                }
                guard base[p] == UInt8(ascii: "\"") else {
                    throw fail(
                        .unexpectedCharacter, "unexpected \(describe(base[p])): expected a member name string", at: p)
                }
                let start = p &+ 1
                var close = scanString(start)
                var flags: UInt32 = 0
                if close >= end || base[close] != UInt8(ascii: "\"") { (close, flags) = try finishString(start, close) }
                if count == capacity {
                    (entries, capacity) = grow(count: count)
                }
                (entries + count).initialize(
                    to: TapeEntry(
                        meta: UInt32(JSONKind.string.rawValue) | flags, start: UInt32(truncatingIfNeeded: start),
                        end: UInt32(truncatingIfNeeded: close), a: 0, b: 0))
                count &+= 1
                p = close &+ 1
                if p < end && base[p] == UInt8(ascii: ":") {
                    p &+= 1
                } else {
                    p = skipWhitespace(p)
                    guard p < end else { throw fail(.unexpectedEnd, "unexpected end of input: expected ':'", at: p) }
                    guard base[p] == UInt8(ascii: ":") else {
                        throw fail(.unexpectedCharacter, "unexpected \(describe(base[p])): expected ':'", at: p)
                    }
                    p &+= 1
                }
                p = skipWhitespace(p)
                expectKey = false
            }
            // One value at `p` (whitespace skipped).
            guard p < end else { throw fail(.unexpectedEnd, "unexpected end of input: expected a value", at: p) }
            if count == capacity {
                (entries, capacity) = grow(count: count)
            }
            let byte = base[p]
            switch byte {
            case UInt8(ascii: "\""):
                let start = p &+ 1
                var close = scanString(start)
                var flags: UInt32 = 0
                if close >= end || base[close] != UInt8(ascii: "\"") { (close, flags) = try finishString(start, close) }
                (entries + count).initialize(
                    to: TapeEntry(
                        meta: UInt32(JSONKind.string.rawValue) | flags, start: UInt32(truncatingIfNeeded: start),
                        end: UInt32(truncatingIfNeeded: close), a: 0, b: 0))
                count &+= 1
                p = close &+ 1
            case UInt8(ascii: "1")...UInt8(ascii: "9"):
                // Fast path: up to 17 digits of a non-negative integer, not followed by a fraction or exponent.
                var q = p &+ 1
                var value = UInt64(byte &- UInt8(ascii: "0"))
                while q < end && q &- p < 18 {
                    let digit = base[q] &- UInt8(ascii: "0")
                    if digit >= 10 { break }
                    value = value &* 10 &+ UInt64(digit)
                    q &+= 1
                }
                let next = q < end ? base[q] : 0x20
                if q &- p < 18 && next != UInt8(ascii: ".") && next | 0x20 != UInt8(ascii: "e") {
                    (entries + count).initialize(
                        to: TapeEntry(
                            meta: UInt32(JSONKind.number.rawValue) | TapeEntry.flagIntegerSyntax | TapeEntry.flagInt64,
                            start: UInt32(truncatingIfNeeded: p), end: UInt32(truncatingIfNeeded: q),
                            a: UInt32(truncatingIfNeeded: value), b: UInt32(truncatingIfNeeded: value &>> 32)))
                    count &+= 1
                    p = q
                } else {
                    let number = try parseNumber(at: p)
                    (entries + count).initialize(to: number)
                    count &+= 1
                    p = Int(number.end)
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0"):
                let number = try parseNumber(at: p)
                (entries + count).initialize(to: number)
                count &+= 1
                p = Int(number.end)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < maxDepth else {
                    throw fail(.tooDeep, "nesting deeper than \(maxDepth) levels", at: p)
                }
                let isObject = byte == UInt8(ascii: "{")
                let kind = isObject ? JSONKind.object : JSONKind.array
                let index = count
                (entries + index).initialize(
                    to: TapeEntry(
                        meta: UInt32(kind.rawValue), start: UInt32(truncatingIfNeeded: p), end: 0, a: 0, b: 0))
                count &+= 1
                p = skipWhitespace(p &+ 1)
                guard p < end else {
                    throw fail(.unexpectedEnd, "unexpected end of input in \(kind.typeName)", at: p)
                }
                if base[p] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    // Empty: closed at once, a complete value of the enclosing container.
                    p &+= 1
                    entries[index].end = UInt32(truncatingIfNeeded: p)
                    entries[index].a = UInt32(truncatingIfNeeded: count)
                } else {
                    if depth >= stackCapacity {
                        (stack, stackCapacity) = growStack(minimum: depth + 1)
                    }
                    if depth > 0 { entries[container].b = members }
                    stack[depth] = UInt32(truncatingIfNeeded: index)
                    depth &+= 1
                    container = index
                    inObject = isObject
                    members = 0
                    expectKey = isObject
                    continue outer
                }
            case UInt8(ascii: "t"):
                p = try parseLiteral("true", at: p)
                (entries + count).initialize(
                    to: TapeEntry(
                        meta: UInt32(JSONKind.true.rawValue), start: UInt32(truncatingIfNeeded: p &- 4),
                        end: UInt32(truncatingIfNeeded: p), a: 0, b: 0))
                count &+= 1
            case UInt8(ascii: "f"):
                p = try parseLiteral("false", at: p)
                (entries + count).initialize(
                    to: TapeEntry(
                        meta: UInt32(JSONKind.false.rawValue), start: UInt32(truncatingIfNeeded: p &- 5),
                        end: UInt32(truncatingIfNeeded: p), a: 0, b: 0))
                count &+= 1
            case UInt8(ascii: "n"):
                p = try parseLiteral("null", at: p)
                (entries + count).initialize(
                    to: TapeEntry(
                        meta: UInt32(JSONKind.null.rawValue), start: UInt32(truncatingIfNeeded: p &- 4),
                        end: UInt32(truncatingIfNeeded: p), a: 0, b: 0))
                count &+= 1
            default:
                throw fail(.unexpectedCharacter, "unexpected \(describe(byte)): expected a value", at: p)
            }
            // After a complete value: close containers or continue with the next element/member.
            while depth > 0 {
                if p >= end || base[p] <= 0x20 { p = skipWhitespace(p) }
                members &+= 1
                guard p < end else {
                    throw fail(
                        .unexpectedEnd, "unexpected end of input: unclosed \(inObject ? "object" : "array")", at: p)
                }
                let byte = base[p]
                if byte == UInt8(ascii: ",") {
                    p &+= 1
                    if p >= end || base[p] <= 0x20 { p = skipWhitespace(p) }
                    expectKey = inObject
                    continue outer
                }
                if byte == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    p &+= 1
                    entries[container].end = UInt32(truncatingIfNeeded: p)
                    entries[container].a = UInt32(truncatingIfNeeded: count)
                    entries[container].b = members
                    depth &-= 1
                    if depth > 0 {
                        container = Int(stack[depth &- 1])
                        inObject = entries[container].kindRaw == JSONKind.object.rawValue
                        members = entries[container].b
                    }
                    continue
                }
                throw fail(
                    .unexpectedCharacter,
                    "unexpected \(describe(byte)): expected ',' or '\(inObject ? "}" : "]")'", at: p)
            }
            break
        }
        self.entries = entries
        self.count = count
        p = skipWhitespace(p)
        guard p == end else {
            throw fail(.trailingData, "unexpected \(describe(base[p])) after the end of the JSON value", at: p)
        }
    }

    @inlinable
    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" : "")\(hex)"
    }

    /// Checks the literal `text` at `p`; returns the offset after it.
    @inlinable
    func parseLiteral(_ text: StaticString, at p: Int) throws(JSONError) -> Int {
        let length = text.utf8CodeUnitCount
        let literal = text.utf8Start
        var index = 0
        while index < length {
            guard p + index < end else {
                throw fail(.unexpectedEnd, "unexpected end of input in literal '\(text)'", at: p + index)
            }
            guard base[p + index] == literal[index] else {
                throw fail(.invalidLiteral, "invalid literal: expected '\(text)'", at: p)
            }
            index += 1
        }
        return p + length
    }

    @inlinable @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// The number at `start` as a tape entry (its `end` is where the number ends).
    @inlinable @inline(__always)
    func parseNumber(at start: Int) throws(JSONError) -> TapeEntry {
        var p = start
        var negative = false
        if base[p] == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        guard p < end, isDigit(base[p]) else {
            throw fail(p < end ? .invalidNumber : .unexpectedEnd, "invalid number: expected a digit", at: p)
        }
        var magnitude: UInt64 = 0
        var overflow = false
        if base[p] == UInt8(ascii: "0") {
            p += 1
            if p < end && isDigit(base[p]) {
                throw fail(.invalidNumber, "invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            while p < end, isDigit(base[p]) {
                let digit = UInt64(base[p] &- UInt8(ascii: "0"))
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                overflow = overflow || o1 || o2
                magnitude = sum
                p += 1
            }
        }
        var integerSyntax = true
        if p < end && base[p] == UInt8(ascii: ".") {
            integerSyntax = false
            p += 1
            guard p < end, isDigit(base[p]) else {
                throw fail(
                    p < end ? .invalidNumber : .unexpectedEnd, "invalid number: expected a digit after '.'", at: p)
            }
            while p < end, isDigit(base[p]) { p += 1 }
        }
        if p < end && (base[p] | 0x20) == UInt8(ascii: "e") {
            integerSyntax = false
            p += 1
            if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
            guard p < end, isDigit(base[p]) else {
                throw fail(
                    p < end ? .invalidNumber : .unexpectedEnd, "invalid number: expected a digit in the exponent", at: p
                )
            }
            while p < end, isDigit(base[p]) { p += 1 }
        }
        var meta = UInt32(JSONKind.number.rawValue)
        var a: UInt32 = 0
        var b: UInt32 = 0
        if integerSyntax {
            meta |= TapeEntry.flagIntegerSyntax
            if !overflow && magnitude <= (negative ? UInt64(1) << 63 : UInt64(Int64.max)) {
                let value: Int64 = negative ? Int64(bitPattern: 0 &- magnitude) : Int64(magnitude)
                let bits = UInt64(bitPattern: value)
                a = UInt32(truncatingIfNeeded: bits)
                b = UInt32(truncatingIfNeeded: bits >> 32)
                meta |= TapeEntry.flagInt64
            }
        }
        return TapeEntry(meta: meta, start: UInt32(start), end: UInt32(p), a: a, b: b)
    }

    /// Checks the rest of a string whose content starts at `start` from `p` (the first byte that is
    /// not plain ASCII: an escape, a control byte or a UTF-8 sequence).
    /// - Returns: The offset of the closing quote and the tape flags (escapes).
    @inlinable @inline(never)
    func finishString(_ start: Int, _ p: Int) throws(JSONError) -> (Int, UInt32) {
        var p = p
        var flags: UInt32 = 0
        while true {
            guard p < end else { throw fail(.unexpectedEnd, "unterminated string", at: start - 1) }
            let byte = base[p]
            if byte == UInt8(ascii: "\"") { return (p, flags) }
            if byte == UInt8(ascii: "\\") {
                flags = TapeEntry.flagEscapes
                p = try parseEscape(at: p)
            } else if byte < 0x20 {
                throw fail(.controlCharacter, "unescaped control character \(describe(byte)) in string", at: p)
            } else if byte < 0x80 {
                p += 1
            } else {
                p = try validateUTF8(at: p)
            }
            p = scanString(p)
        }
    }

    @inlinable
    func hex4(at p: Int) throws(JSONError) -> UInt32 {
        guard p + 4 <= end else { throw fail(.unexpectedEnd, "unexpected end of input in \\u escape", at: p) }
        var value: UInt32 = 0
        for index in 0..<4 {
            let byte = base[p + index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidUnicode, "invalid \\u escape: expected 4 hex digits", at: p - 2)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Validates the escape at `p` (a backslash); returns the offset after it.
    @inlinable
    func parseEscape(at p: Int) throws(JSONError) -> Int {
        guard p + 1 < end else { throw fail(.unexpectedEnd, "unexpected end of input in escape", at: p) }
        switch base[p + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return p + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: p + 2)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw fail(.invalidUnicode, "lone low surrogate \\u\(String(unit, radix: 16)) in string", at: p)
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard p + 7 < end, base[p + 6] == UInt8(ascii: "\\"), base[p + 7] == UInt8(ascii: "u") else {
                    throw fail(
                        .invalidUnicode, "high surrogate \\u\(String(unit, radix: 16)) not followed by a low surrogate",
                        at: p)
                }
                let low = try hex4(at: p + 8)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw fail(
                        .invalidUnicode, "high surrogate \\u\(String(unit, radix: 16)) not followed by a low surrogate",
                        at: p)
                }
                return p + 12
            }
            return p + 6
        default:
            throw fail(.invalidEscape, "invalid escape '\\\(describe(base[p + 1]))'", at: p)
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `p`; returns the offset after it.
    @inlinable
    func validateUTF8(at p: Int) throws(JSONError) -> Int {
        let lead = base[p]
        var length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default:
            throw fail(.invalidUTF8, "invalid UTF-8 lead byte \(describe(lead))", at: p)
        }
        guard p + length <= end else { throw fail(.invalidUTF8, "truncated UTF-8 sequence", at: p) }
        let second = base[p + 1]
        guard second >= low && second <= high else { throw fail(.invalidUTF8, "invalid UTF-8 sequence", at: p) }
        var index = 2
        while index < length {
            guard base[p + index] & 0xC0 == 0x80 else { throw fail(.invalidUTF8, "invalid UTF-8 sequence", at: p) }
            index += 1
        }
        return p + length
    }
}
