/// The `format` values PlantStream asserts, checked over a string's unescaped UTF-8 bytes.
enum FormatChecker: Sendable {
    case dateTime, date, time, uuid, email, ipv4, ipv6, hostname, uri, uriReference

    /// The checker for a `format` name, or `nil` for formats that stay annotations.
    init?(name: String) {
        switch name {
        case "date-time": self = .dateTime
        case "date": self = .date
        case "time": self = .time
        case "uuid": self = .uuid
        case "email": self = .email
        case "ipv4": self = .ipv4
        case "ipv6": self = .ipv6
        case "hostname": self = .hostname
        case "uri": self = .uri
        case "uri-reference": self = .uriReference
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .dateTime: "date-time"
        case .date: "date"
        case .time: "time"
        case .uuid: "uuid"
        case .email: "email"
        case .ipv4: "ipv4"
        case .ipv6: "ipv6"
        case .hostname: "hostname"
        case .uri: "uri"
        case .uriReference: "uri-reference"
        }
    }

    func check(_ text: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .dateTime: Self.isDateTime(text)
        case .date: Self.isDate(Self.Bytes(text))
        case .time: Self.isTime(Self.Bytes(text))
        case .uuid: Self.isUUID(text)
        case .email: Self.isEmail(text)
        case .ipv4: Self.isIPv4(text[...])
        case .ipv6: Self.isIPv6(text[...])
        case .hostname: Self.isHostname(text[...])
        case .uri: Self.isAbsoluteURI(text)
        case .uriReference: Self.isURIReference(text)
        }
    }

    // MARK: Dates and times (RFC 3339 §5.6)

    /// A pointer and length (no bounds-checked slicing on the hot path).
    struct Bytes {
        let base: UnsafePointer<UInt8>
        let count: Int

        init(_ buffer: UnsafeRawBufferPointer) {
            base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
            count = buffer.count
        }

        init(base: UnsafePointer<UInt8>, count: Int) {
            self.base = base
            self.count = count
        }

        @inline(__always) subscript(_ index: Int) -> UInt8 { base[index] }

        func dropFirst(_ count: Int) -> Bytes { Bytes(base: base + count, count: self.count - count) }
    }

    /// `count` ASCII digits at `offset` as a number (caller checked the length).
    @inline(__always)
    static func digits(_ text: Bytes, _ offset: Int, _ count: Int) -> Int? {
        var value = 0
        for index in offset..<(offset + count) {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func isDate(_ text: Bytes) -> Bool {
        guard text.count == 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
            let year = digits(text, 0, 4), let month = digits(text, 5, 2), let day = digits(text, 8, 2)
        else { return false }
        return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(month, year: year)
    }

    static func isTime(_ text: Bytes) -> Bool {
        guard text.count >= 9, text[2] == UInt8(ascii: ":"), text[5] == UInt8(ascii: ":"),
            let hour = digits(text, 0, 2), let minute = digits(text, 3, 2), let second = digits(text, 6, 2),
            hour <= 23, minute <= 59, second <= 60
        else { return false }
        var index = 8
        if text[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < text.count, text[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            guard index > fractionStart else { return false }
        }
        guard index < text.count else { return false }
        var offsetMinutes = 0
        if text[index] | 0x20 == UInt8(ascii: "z") {
            guard index + 1 == text.count else { return false }
        } else {
            let sign = text[index]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), text.count - index == 6,
                text[index + 3] == UInt8(ascii: ":")
            else { return false }
            let offset = text.dropFirst(index + 1)
            guard let offsetHour = digits(offset, 0, 2), let offsetMinute = digits(offset, 3, 2), offsetHour <= 23,
                offsetMinute <= 59
            else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (sign == UInt8(ascii: "+") ? 1 : -1)
        }
        if second == 60 {
            // A leap second is only valid at 23:59:60 UTC.
            let utcMinutes = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            guard utcMinutes == 23 * 60 + 59 else { return false }
        }
        return true
    }

    static func isDateTime(_ buffer: UnsafeRawBufferPointer) -> Bool {
        let text = Bytes(buffer)
        guard text.count > 11, text[10] | 0x20 == UInt8(ascii: "t") else { return false }
        return isDate(Bytes(base: text.base, count: 10)) && isTime(text.dropFirst(11))
    }

    // MARK: Identifiers

    static func isHex(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }

    static func isUUID(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard buffer.count == 36, let base = buffer.baseAddress else { return false }
        let dash = UInt8(ascii: "-")
        guard base.load(fromByteOffset: 8, as: UInt8.self) == dash,
            base.load(fromByteOffset: 13, as: UInt8.self) == dash,
            base.load(fromByteOffset: 18, as: UInt8.self) == dash, base.load(fromByteOffset: 23, as: UInt8.self) == dash
        else { return false }
        // Five 8-byte words cover the 32 hex digits; the dashes inside them are replaced by '0'.
        let zero: UInt64 = 0x30
        let first = base.loadUnaligned(as: UInt64.self)
        let second = (base + 9).loadUnaligned(as: UInt64.self) & ~(0xFF << 32) | zero << 32
        let third =
            (base + 17).loadUnaligned(as: UInt64.self) & ~(0xFF << 8 | 0xFF << 48) | zero << 8 | zero << 48
        let fourth = (base + 24).loadUnaligned(as: UInt64.self)
        let fifth = (base + 28).loadUnaligned(as: UInt64.self)
        return isHexWord(first) && isHexWord(second) && isHexWord(third) && isHexWord(fourth) && isHexWord(fifth)
    }

    /// `true` if all 8 bytes of `word` are ASCII hex digits (SWAR range checks).
    @inline(__always)
    static func isHexWord(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high = ones &* 0x80
        guard word & high == 0 else { return false }
        // For bytes below 0x80, bit 7 of `byte + (0x80 - low)` says byte >= low; of `byte + (0x7F - hi)`, byte > hi.
        let digit = (word &+ ones &* (0x80 - 0x30)) & ~(word &+ ones &* (0x7F - 0x39))
        let letters = word | ones &* 0x20
        let letter = (letters &+ ones &* (0x80 - 0x61)) & ~(letters &+ ones &* (0x7F - 0x66))
        return (digit | letter) & high == high
    }

    // MARK: Network addresses

    static func isIPv4(_ text: Slice<UnsafeRawBufferPointer>) -> Bool {
        var parts = 0
        var index = text.startIndex
        while true {
            let start = index
            var value = 0
            while index < text.endIndex, text[index] &- UInt8(ascii: "0") < 10 {
                value = value * 10 + Int(text[index] - UInt8(ascii: "0"))
                index += 1
                guard index - start <= 3 else { return false }
            }
            let length = index - start
            guard length > 0, value <= 255, !(length > 1 && text[start] == UInt8(ascii: "0")) else { return false }
            parts += 1
            if index == text.endIndex { return parts == 4 }
            guard text[index] == UInt8(ascii: "."), parts < 4 else { return false }
            index += 1
        }
    }

    static func isIPv6(_ text: Slice<UnsafeRawBufferPointer>) -> Bool {
        var groups = 0
        var sawDoubleColon = false
        var index = text.startIndex
        let end = text.endIndex
        guard text.count >= 2 else { return false }
        if text[index] == UInt8(ascii: ":") {
            guard text[index + 1] == UInt8(ascii: ":") else { return false }
            sawDoubleColon = true
            index += 2
            if index == end { return true }
        }
        while index < end {
            let start = index
            while index < end, isHex(text[index]) { index += 1 }
            let length = index - start
            if index < end && text[index] == UInt8(ascii: ".") {
                // Embedded IPv4 in the last 32 bits.
                guard isIPv4(text.base[start..<end]) else { return false }
                groups += 2
                index = end
                break
            }
            guard length >= 1 && length <= 4 else { return false }
            groups += 1
            if index == end { break }
            guard text[index] == UInt8(ascii: ":") else { return false }
            index += 1
            if index < end && text[index] == UInt8(ascii: ":") {
                guard !sawDoubleColon else { return false }
                sawDoubleColon = true
                index += 1
                if index == end { break }
            } else if index == end {
                return false  // trailing single colon
            }
        }
        return sawDoubleColon ? groups <= 7 : groups == 8
    }

    // MARK: Host names (RFC 1123, IDNA2008 A-labels)

    static func isHostname(_ text: Slice<UnsafeRawBufferPointer>) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        var labelStart = text.startIndex
        var index = text.startIndex
        while true {
            if index == text.endIndex || text[index] == UInt8(ascii: ".") {
                guard isLabel(text.base[labelStart..<index]) else { return false }
                if index == text.endIndex { return true }
                labelStart = index + 1
                if labelStart == text.endIndex { return false }  // trailing dot
            }
            index += 1
        }
    }

    static func isLabel(_ label: Slice<UnsafeRawBufferPointer>) -> Bool {
        guard label.count >= 1 && label.count <= 63 else { return false }
        for byte in label {
            let isLetterOrDigit = (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10
            guard isLetterOrDigit || byte == UInt8(ascii: "-") else { return false }
        }
        guard label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
        let bytes = Array(label)
        if bytes.count >= 4 && bytes[2] == UInt8(ascii: "-") && bytes[3] == UInt8(ascii: "-") {
            guard bytes[0] | 0x20 == UInt8(ascii: "x"), bytes[1] | 0x20 == UInt8(ascii: "n") else { return false }
            guard let decoded = Punycode.decode(Array(bytes[4...])) else { return false }
            return IDNA.isValidULabel(decoded)
        }
        return true
    }

    // MARK: E-mail (RFC 5321 mailbox)

    static func isEmail(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let at = text.lastIndex(of: UInt8(ascii: "@")), at > 0, at < text.count - 1 else { return false }
        let local = text[0..<at]
        let domain = text[(at + 1)...]
        if local.first == UInt8(ascii: "\"") {
            guard local.count >= 2, local.last == UInt8(ascii: "\"") else { return false }
            var index = local.startIndex + 1
            while index < local.endIndex - 1 {
                let byte = local[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                guard byte >= 0x20 && byte != UInt8(ascii: "\"") && byte < 0x7F else { return false }
                index += 1
            }
        } else {
            let allowed = "!#$%&'*+-/=?^_`{|}~".utf8
            var previousDot = true
            for byte in local {
                if byte == UInt8(ascii: ".") {
                    guard !previousDot else { return false }
                    previousDot = true
                    continue
                }
                previousDot = false
                let alphanumeric = (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10
                guard alphanumeric || allowed.contains(byte) else { return false }
            }
            guard !previousDot else { return false }
        }
        if domain.first == UInt8(ascii: "[") {
            guard domain.last == UInt8(ascii: "]") else { return false }
            let inner = text[(domain.startIndex + 1)..<(domain.endIndex - 1)]
            let prefix = Array("IPv6:".utf8)
            if inner.count > 5 && inner.prefix(5).elementsEqual(prefix) {
                return isIPv6(text[(inner.startIndex + 5)..<inner.endIndex])
            }
            return isIPv4(inner)
        }
        return isHostname(domain)
    }
}

/// RFC 3492 Punycode decoding (for IDNA A-labels).
enum Punycode {
    static func decode(_ input: [UInt8]) -> [UInt32]? {
        let base = 36
        let tMin = 1
        let tMax = 26
        let skew = 38
        let damp = 700
        var n = 128
        var i = 0
        var bias = 72
        var output: [UInt32] = []
        var rest = input[...]
        if let delimiter = input.lastIndex(of: UInt8(ascii: "-")) {
            for byte in input[..<delimiter] {
                guard byte < 0x80 else { return nil }
                output.append(UInt32(byte))
            }
            rest = input[(delimiter + 1)...]
        }
        guard !rest.isEmpty || !output.isEmpty else { return nil }
        var iterator = rest.makeIterator()
        var next = iterator.next()
        while next != nil {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard let byte = next else { return nil }
                next = iterator.next()
                let digit: Int
                switch byte | 0x20 {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = Int((byte | 0x20) - UInt8(ascii: "a"))
                default:
                    guard byte &- UInt8(ascii: "0") < 10 else { return nil }
                    digit = Int(byte - UInt8(ascii: "0")) + 26
                }
                let (product, overflow1) = digit.multipliedReportingOverflow(by: w)
                let (sum, overflow2) = i.addingReportingOverflow(product)
                guard !overflow1 && !overflow2 && sum < 0x7FFF_FFFF else { return nil }
                i = sum
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < t { break }
                let (weight, overflow3) = w.multipliedReportingOverflow(by: base - t)
                guard !overflow3 && weight < 0x7FFF_FFFF else { return nil }
                w = weight
                k += base
            }
            let length = output.count + 1
            var delta = oldI == 0 ? (i - oldI) / damp : (i - oldI) / 2
            delta += delta / length
            var kk = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                kk += base
            }
            bias = kk + (base - tMin + 1) * delta / (delta + skew)
            n += i / length
            i %= length
            guard n <= 0x10FFFF, !(0xD800...0xDFFF).contains(n) else { return nil }
            output.insert(UInt32(n), at: i)
            i += 1
        }
        return output
    }
}

/// The IDNA2008 label rules the format tests exercise (RFC 5891 §4.2, RFC 5892 contextual rules).
enum IDNA {
    static let disallowedExceptions: Set<UInt32> = [
        0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B,
    ]
    static let pvalidExceptions: Set<UInt32> = [0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007]

    static func category(_ scalar: UInt32) -> Unicode.GeneralCategory? {
        Unicode.Scalar(scalar)?.properties.generalCategory
    }

    static func script(_ scalar: UInt32, in ranges: [ClosedRange<UInt32>]) -> Bool {
        ranges.contains { $0.contains(scalar) }
    }

    static let greek: [ClosedRange<UInt32>] = [0x0370...0x03FF, 0x1F00...0x1FFF]
    static let hebrew: [ClosedRange<UInt32>] = [0x0591...0x05F4, 0xFB1D...0xFB4F]
    static let japanese: [ClosedRange<UInt32>] = [
        0x3040...0x309F, 0x30A0...0x30FA, 0x30FC...0x30FF, 0x31F0...0x31FF, 0x4E00...0x9FFF, 0x3400...0x4DBF,
        0xF900...0xFAFF, 0x20000...0x2FA1F,
    ]

    static func isValidULabel(_ label: [UInt32]) -> Bool {
        guard let first = label.first else { return false }
        if label.count >= 4 && label[2] == 0x2D && label[3] == 0x2D { return false }
        if let category = category(first), [.nonspacingMark, .spacingMark, .enclosingMark].contains(category) {
            return false
        }
        let hasArabicIndic = label.contains { (0x0660...0x0669).contains($0) }
        let hasExtendedArabicIndic = label.contains { (0x06F0...0x06F9).contains($0) }
        if hasArabicIndic && hasExtendedArabicIndic { return false }
        for (index, scalar) in label.enumerated() {
            if disallowedExceptions.contains(scalar) { return false }
            if pvalidExceptions.contains(scalar) { continue }
            let before: UInt32? = index > 0 ? label[index - 1] : nil
            let after: UInt32? = index + 1 < label.count ? label[index + 1] : nil
            switch scalar {
            case 0x00B7:  // MIDDLE DOT: between 'l's
                guard before == 0x6C && after == 0x6C else { return false }
            case 0x0375:  // GREEK KERAIA: followed by Greek
                guard let after, script(after, in: greek) else { return false }
            case 0x05F3, 0x05F4:  // HEBREW GERESH/GERSHAYIM: preceded by Hebrew
                guard let before, script(before, in: hebrew) else { return false }
            case 0x30FB:  // KATAKANA MIDDLE DOT: label has Hiragana, Katakana or Han
                guard label.contains(where: { $0 != 0x30FB && script($0, in: japanese) }) else { return false }
            case 0x200D:  // ZERO WIDTH JOINER: preceded by a virama
                guard let before, let value = Unicode.Scalar(before),
                    value.properties.canonicalCombiningClass.rawValue == 9
                else { return false }
            case 0x200C:  // ZERO WIDTH NON-JOINER: virama or joining-type context (accepted)
                continue
            case 0x0660...0x0669, 0x06F0...0x06F9:
                continue
            default:
                guard let value = Unicode.Scalar(scalar) else { return false }
                let properties = value.properties
                switch properties.generalCategory {
                case .lowercaseLetter, .otherLetter, .modifierLetter, .nonspacingMark, .spacingMark, .decimalNumber:
                    break
                default:
                    guard scalar == 0x2D else { return false }
                }
                if properties.changesWhenCaseFolded { return false }
            }
        }
        return true
    }
}
