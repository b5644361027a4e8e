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
        var index = text.startIndex
        let end = text.endIndex
        // scheme ":" — the first ':' before any '/', '?' or '#'.
        var scheme = false
        var probe = index
        while probe < end, !"/?#:".utf8.contains(text[probe]) { probe += 1 }
        if probe < end, text[probe] == UInt8(ascii: ":") {
            guard probe > index, isAlpha(text[index]),
                text[(index + 1)..<probe].allSatisfy({ isAlpha($0) || isDigit($0) || "+-.".utf8.contains($0) })
            else { return false }  // a relative reference's first segment cannot hold ':'
            scheme = true
            index = probe + 1
        }
        if requireScheme && !scheme { return false }
        // "//" authority
        if end - index >= 2, text[index] == UInt8(ascii: "/"), text[index + 1] == UInt8(ascii: "/") {
            index += 2
            var authorityEnd = index
            while authorityEnd < end, !"/?#".utf8.contains(text[authorityEnd]) { authorityEnd += 1 }
            guard isAuthority(text.base[index..<authorityEnd]) else { return false }
            index = authorityEnd
        }
        // path, then "?" query and "#" fragment
        var part = 0  // 0 path, 1 query, 2 fragment
        while index < end {
            let byte = text[index]
            switch byte {
            case UInt8(ascii: "?") where part == 0: part = 1
            case UInt8(ascii: "#") where part < 2: part = 2
            case UInt8(ascii: "?"), UInt8(ascii: "/"): break
            case UInt8(ascii: "%"):
                guard end - index >= 3, isHex(text[index + 1]), isHex(text[index + 2]) else { return false }
                index += 2
            default:
                guard isPathCharacter(byte) else { return false }
            }
            index += 1
        }
        return true
    }

    /// `[ userinfo "@" ] host [ ":" port ]`.
    private static func isAuthority(_ text: Slice<UnsafeRawBufferPointer>) -> Bool {
        var hostStart = text.startIndex
        if let at = text.lastIndex(of: UInt8(ascii: "@")) {
            guard isEncoded(text.base[text.startIndex..<at], allowing: ":") else { return false }
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
            guard isEncoded(text.base[hostStart..<hostEnd], allowing: "") else { return false }
        }
        guard hostEnd < hostAndPort.endIndex else { return true }
        guard text.base[hostEnd] == UInt8(ascii: ":") else { return false }
        return text.base[(hostEnd + 1)..<hostAndPort.endIndex].allSatisfy(isDigit)
    }

    /// `"v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`.
    private static func isIPvFuture(_ text: Slice<UnsafeRawBufferPointer>) -> Bool {
        guard let first = text.first, first == UInt8(ascii: "v") || first == UInt8(ascii: "V"),
            let dot = text.firstIndex(of: UInt8(ascii: ".")), dot > text.startIndex + 1, dot + 1 < text.endIndex
        else { return false }
        return text.base[(text.startIndex + 1)..<dot].allSatisfy(isHex)
            && text.base[(dot + 1)..<text.endIndex].allSatisfy { isUnreserved($0) || isSubDelimiter($0) || $0 == 0x3A }
    }

    /// Unreserved characters, sub-delimiters, percent-encodings and the characters in `extra`.
    private static func isEncoded(_ text: Slice<UnsafeRawBufferPointer>, allowing extra: String) -> Bool {
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "%") {
                guard text.endIndex - index >= 3, isHex(text[index + 1]), isHex(text[index + 2]) else { return false }
                index += 3
                continue
            }
            guard isUnreserved(byte) || isSubDelimiter(byte) || extra.utf8.contains(byte) else { return false }
            index += 1
        }
        return true
    }

    /// `pchar` without `%` (handled by the caller): unreserved, sub-delimiters, `:` and `@`.
    private static func isPathCharacter(_ byte: UInt8) -> Bool {
        isUnreserved(byte) || isSubDelimiter(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@")
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || "-._~".utf8.contains(byte)
    }

    private static func isSubDelimiter(_ byte: UInt8) -> Bool { "!$&'()*+,;=".utf8.contains(byte) }

    private static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
}
