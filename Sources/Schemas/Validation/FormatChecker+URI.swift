/// `uri` and `uri-reference` (RFC 3986 §3, §4.1): ASCII only, percent-encodings complete, every character in
/// the set its component allows, `[…]` hosts IPv6 or IPvFuture, ports digits, and a relative reference whose
/// first segment has no `:` (it would read as a scheme).
///
/// It runs on every event (the envelope's `source`), so it reads the bytes once by pointer and tests each
/// against constant character masks (about 10 instructions a character).
extension FormatChecker {
    static func isURIReference(_ text: UnsafeRawBufferPointer) -> Bool {
        isURI(text, requireScheme: false)
    }

    static func isAbsoluteURI(_ text: UnsafeRawBufferPointer) -> Bool {
        isURI(text, requireScheme: true)
    }

    private static func isURI(_ text: UnsafeRawBufferPointer, requireScheme: Bool) -> Bool {
        guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return !requireScheme }
        let end = text.count
        var index = 0
        // scheme ":" — the first ':' before any '/', '?' or '#'.
        var scheme = false
        var probe = 0
        while probe < end, !URIClass.delimiter.contains(base[probe]) { probe += 1 }
        if probe < end, base[probe] == UInt8(ascii: ":") {
            // A relative reference's first segment cannot hold ':'.
            guard probe > 0, isAlpha(base[0]) else { return false }
            for offset in 1..<probe where !URIClass.scheme.contains(base[offset]) { return false }
            scheme = true
            index = probe + 1
        }
        if requireScheme && !scheme { return false }
        // "//" authority
        if end - index >= 2, base[index] == UInt8(ascii: "/"), base[index + 1] == UInt8(ascii: "/") {
            index += 2
            var authorityEnd = index
            while authorityEnd < end, !URIClass.authorityEnd.contains(base[authorityEnd]) { authorityEnd += 1 }
            guard isAuthority(base + index, count: authorityEnd - index) else { return false }
            index = authorityEnd
        }
        // path, then "?" query and "#" fragment
        var part = 0  // 0 path, 1 query, 2 fragment
        while index < end {
            let byte = base[index]
            index += 1
            if URIClass.pathCharacter.contains(byte) || byte == UInt8(ascii: "/") { continue }
            switch byte {
            case UInt8(ascii: "?"): if part == 0 { part = 1 }
            case UInt8(ascii: "#"):
                guard part < 2 else { return false }
                part = 2
            case UInt8(ascii: "%"):
                guard end - index >= 2, isHex(base[index]), isHex(base[index + 1]) else { return false }
                index += 2
            default: return false
            }
        }
        return true
    }

    /// `[ userinfo "@" ] host [ ":" port ]`.
    private static func isAuthority(_ text: UnsafePointer<UInt8>, count: Int) -> Bool {
        var hostStart = 0
        var at = count - 1
        while at >= 0, text[at] != UInt8(ascii: "@") { at -= 1 }
        if at >= 0 {
            guard isEncoded(text, 0..<at, allowing: URIClass.userInfo) else { return false }
            hostStart = at + 1
        }
        var hostEnd = count
        if hostStart < count, text[hostStart] == UInt8(ascii: "[") {
            var close = hostStart + 1
            while close < count, text[close] != UInt8(ascii: "]") { close += 1 }
            guard close < count else { return false }
            let literal = UnsafeRawBufferPointer(start: text + hostStart + 1, count: close - hostStart - 1)
            guard isIPv6(literal[...]) || isIPvFuture(literal) else { return false }
            hostEnd = close + 1
        } else {
            var colon = hostStart
            while colon < count, text[colon] != UInt8(ascii: ":") { colon += 1 }
            hostEnd = colon
            guard isEncoded(text, hostStart..<hostEnd, allowing: URIClass.registeredName) else { return false }
        }
        guard hostEnd < count else { return true }
        guard text[hostEnd] == UInt8(ascii: ":") else { return false }
        for index in (hostEnd + 1)..<count where !URIClass.digit.contains(text[index]) { return false }
        return true
    }

    /// `"v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`.
    private static func isIPvFuture(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let first = text.first, first == UInt8(ascii: "v") || first == UInt8(ascii: "V"),
            let dot = text.firstIndex(of: UInt8(ascii: ".")), dot > 1, dot + 1 < text.count
        else { return false }
        return text[1..<dot].allSatisfy(isHex) && text[(dot + 1)...].allSatisfy { URIClass.userInfo.contains($0) }
    }

    /// Percent-encodings and the characters of `allowed` in `range` of `text`.
    private static func isEncoded(_ text: UnsafePointer<UInt8>, _ range: Range<Int>, allowing allowed: URIClass) -> Bool
    {
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = text[index]
            if byte == UInt8(ascii: "%") {
                guard range.upperBound - index >= 3, isHex(text[index + 1]), isHex(text[index + 2]) else {
                    return false
                }
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

/// A set of ASCII characters as two 64-bit masks (bit `c` of `low` for `c` < 64, bit `c − 64` of `high`): a
/// membership test is a shift and a mask. The sets are constants, so reading them costs no lazy initialisation;
/// `URIClassTests` checks each against its characters.
struct URIClass {
    let low: UInt64
    let high: UInt64

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? (low >> UInt64(byte)) & 1 != 0 : byte < 128 ? (high >> UInt64(byte &- 64)) & 1 != 0 : false
    }

    /// Where a scheme ends or a relative reference's first segment does: `/?#:`.
    static let delimiter = URIClass(low: 0x8400_8008_0000_0000, high: 0)
    /// Where an authority ends: `/?#`.
    static let authorityEnd = URIClass(low: 0x8000_8008_0000_0000, high: 0)
    /// After a scheme's first letter: letters, digits, `+-.`.
    static let scheme = URIClass(low: 0x03FF_6800_0000_0000, high: 0x07FF_FFFE_07FF_FFFE)
    static let digit = URIClass(low: 0x03FF_0000_0000_0000, high: 0)
    /// `reg-name`: unreserved (letters, digits, `-._~`) and sub-delimiters (`!$&'()*+,;=`).
    static let registeredName = URIClass(low: 0x2BFF_7FD2_0000_0000, high: 0x47FF_FFFE_87FF_FFFE)
    /// `userinfo` and IPvFuture's tail: unreserved, sub-delimiters and `:`.
    static let userInfo = URIClass(low: 0x2FFF_7FD2_0000_0000, high: 0x47FF_FFFE_87FF_FFFE)
    /// `pchar` without `%` (percent-encodings are checked apart): unreserved, sub-delimiters, `:` and `@`.
    static let pathCharacter = URIClass(low: 0x2FFF_7FD2_0000_0000, high: 0x47FF_FFFE_87FF_FFFF)
}
