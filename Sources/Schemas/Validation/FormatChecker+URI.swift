/// `uri` and `uri-reference` (RFC 3986 §3, §4.1): ASCII only, percent-encodings complete, every character in
/// the set its component allows, `[…]` hosts IPv6 or IPvFuture, ports digits, and a relative reference whose
/// first segment has no `:` (it would read as a scheme).
extension FormatChecker {
    static func isURIReference(_ text: UnsafeRawBufferPointer) -> Bool {
        isURI(text[...], requireScheme: false)
    }

    static func isAbsoluteURI(_ text: UnsafeRawBufferPointer) -> Bool {
        isURI(text[...], requireScheme: true)
    }

    private static func isURI(_ text: Slice<UnsafeRawBufferPointer>, requireScheme: Bool) -> Bool {
        guard let base = text.base.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return !requireScheme }
        let bytes = base + text.startIndex
        let end = text.count
        // Read once: each class is a global, and the loops below test every byte.
        let delimiter = URIClass.delimiter
        let pathCharacter = URIClass.pathCharacter
        var index = 0
        // scheme ":" — the first ':' before any '/', '?' or '#'.
        var scheme = false
        var probe = 0
        while probe < end, !delimiter.contains(bytes[probe]) { probe += 1 }
        if probe < end, bytes[probe] == UInt8(ascii: ":") {
            // A relative reference's first segment cannot hold ':'.
            guard probe > 0, isAlpha(bytes[0]) else { return false }
            let schemeCharacter = URIClass.scheme
            for offset in 1..<probe where !schemeCharacter.contains(bytes[offset]) { return false }
            scheme = true
            index = probe + 1
        }
        if requireScheme && !scheme { return false }
        // "//" authority
        if end - index >= 2, bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: "/") {
            index += 2
            var authorityEnd = index
            let authorityDelimiter = URIClass.authorityEnd
            while authorityEnd < end, !authorityDelimiter.contains(bytes[authorityEnd]) { authorityEnd += 1 }
            let start = text.startIndex
            guard isAuthority(text.base[(start + index)..<(start + authorityEnd)]) else { return false }
            index = authorityEnd
        }
        // path, then "?" query and "#" fragment
        var part = 0  // 0 path, 1 query, 2 fragment
        while index < end {
            let byte = bytes[index]
            index += 1
            if pathCharacter.contains(byte) || byte == UInt8(ascii: "/") { continue }
            switch byte {
            case UInt8(ascii: "?"): if part == 0 { part = 1 }
            case UInt8(ascii: "#"):
                guard part < 2 else { return false }
                part = 2
            case UInt8(ascii: "%"):
                guard end - index >= 2, isHex(bytes[index]), isHex(bytes[index + 1]) else { return false }
                index += 2
            default: return false
            }
        }
        return true
    }

    /// `[ userinfo "@" ] host [ ":" port ]`.
    private static func isAuthority(_ text: Slice<UnsafeRawBufferPointer>) -> Bool {
        var hostStart = text.startIndex
        if let at = text.lastIndex(of: UInt8(ascii: "@")) {
            guard isEncoded(text.base[text.startIndex..<at], allowing: .userInfo) else { return false }
            hostStart = at + 1
        }
        let hostAndPort = text.base[hostStart..<text.endIndex]
        var hostEnd = hostAndPort.endIndex
        if hostAndPort.first == UInt8(ascii: "[") {
            guard let close = hostAndPort.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = text.base[(hostStart + 1)..<close]
            guard isIPv6(literal) || isIPvFuture(literal) else { return false }
            hostEnd = close + 1
        } else {
            if let colon = hostAndPort.firstIndex(of: UInt8(ascii: ":")) { hostEnd = colon }
            guard isEncoded(text.base[hostStart..<hostEnd], allowing: .registeredName) else { return false }
        }
        guard hostEnd < hostAndPort.endIndex else { return true }
        guard text.base[hostEnd] == UInt8(ascii: ":") else { return false }
        return text.base[(hostEnd + 1)..<hostAndPort.endIndex].allSatisfy(URIClass.digit.contains)
    }

    /// `"v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`.
    private static func isIPvFuture(_ text: Slice<UnsafeRawBufferPointer>) -> Bool {
        guard let first = text.first, first == UInt8(ascii: "v") || first == UInt8(ascii: "V"),
            let dot = text.firstIndex(of: UInt8(ascii: ".")), dot > text.startIndex + 1, dot + 1 < text.endIndex
        else { return false }
        return text.base[(text.startIndex + 1)..<dot].allSatisfy(isHex)
            && text.base[(dot + 1)..<text.endIndex].allSatisfy(URIClass.userInfo.contains)
    }

    /// Percent-encodings and the characters of `allowed`.
    private static func isEncoded(_ text: Slice<UnsafeRawBufferPointer>, allowing allowed: URIClass) -> Bool {
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "%") {
                guard text.endIndex - index >= 3, isHex(text[index + 1]), isHex(text[index + 2]) else { return false }
                index += 3
                continue
            }
            guard allowed.contains(byte) else { return false }
            index += 1
        }
        return true
    }

    private static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
}

/// A set of ASCII characters as two 64-bit masks: a membership test is a shift and a mask (this runs for every
/// byte of every `uri-reference` string an event carries).
struct URIClass {
    let low: UInt64
    let high: UInt64

    init(_ characters: String, alpha: Bool = false, digits: Bool = false) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var bytes = Array(characters.utf8)
        if alpha {
            bytes += Array(UInt8(ascii: "A")...UInt8(ascii: "Z")) + Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
        }
        if digits { bytes += Array(UInt8(ascii: "0")...UInt8(ascii: "9")) }
        for byte in bytes where byte < 128 {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        self.low = low
        self.high = high
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? (low >> UInt64(byte)) & 1 != 0 : byte < 128 ? (high >> UInt64(byte &- 64)) & 1 != 0 : false
    }

    static let unreservedCharacters = "-._~"
    static let subDelimiters = "!$&'()*+,;="
    /// Where a scheme ends or a relative reference's first segment does.
    static let delimiter = URIClass("/?#:")
    static let authorityEnd = URIClass("/?#")
    static let scheme = URIClass("+-.", alpha: true, digits: true)
    static let digit = URIClass("", digits: true)
    /// `reg-name`: unreserved and sub-delimiters.
    static let registeredName = URIClass(unreservedCharacters + subDelimiters, alpha: true, digits: true)
    /// `userinfo` and IPvFuture's tail: unreserved, sub-delimiters and `:`.
    static let userInfo = URIClass(unreservedCharacters + subDelimiters + ":", alpha: true, digits: true)
    /// `pchar` without `%` (percent-encodings are checked apart): unreserved, sub-delimiters, `:` and `@`.
    static let pathCharacter = URIClass(unreservedCharacters + subDelimiters + ":@", alpha: true, digits: true)
}
