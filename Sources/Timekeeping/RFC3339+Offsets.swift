// RFC 3339 with a UTC offset: writing local timestamps and dates, and lenient parsing of typed input.
extension RFC3339 {
    /// Writes `"YYYY-MM-DDThh:mm:ss.sss±hh:mm"` (with the quotes, `Z` for a zero offset) into `out`.
    ///
    /// - Returns: The number of bytes written (at most 31).
    @inline(__always)
    public static func writeQuotedTimestamp(
        _ ms: Int64,
        offsetSeconds: Int32,
        into out: UnsafeMutableRawBufferPointer
    ) -> Int {
        let local = ms + Int64(offsetSeconds) * CivilTime.secondMs
        let days = CivilTime.floorDiv(local, CivilTime.dayMs)
        let inDay = local - days * CivilTime.dayMs
        var writer = DigitWriter(out: out)
        writer.put(UInt8(ascii: "\""))
        writer.date(days: days)
        writer.put(UInt8(ascii: "T"))
        writer.digits(inDay / CivilTime.hourMs, 2)
        writer.put(UInt8(ascii: ":"))
        writer.digits(inDay / CivilTime.minuteMs % 60, 2)
        writer.put(UInt8(ascii: ":"))
        writer.digits(inDay / CivilTime.secondMs % 60, 2)
        writer.put(UInt8(ascii: "."))
        writer.digits(inDay % CivilTime.secondMs, 3)
        if offsetSeconds == 0 {
            writer.put(UInt8(ascii: "Z"))
        } else {
            let magnitude = Int64(offsetSeconds.magnitude)
            writer.put(offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            writer.digits(magnitude / 3600, 2)
            writer.put(UInt8(ascii: ":"))
            writer.digits(magnitude / 60 % 60, 2)
        }
        writer.put(UInt8(ascii: "\""))
        return writer.index
    }

    /// Writes `"YYYY-MM-DD"` (with the quotes) for the local date of `ms` into `out`.
    ///
    /// - Returns: The number of bytes written (12).
    @inline(__always)
    public static func writeQuotedDate(_ ms: Int64, offsetSeconds: Int32, into out: UnsafeMutableRawBufferPointer)
        -> Int
    {
        let days = CivilTime.floorDiv(ms + Int64(offsetSeconds) * CivilTime.secondMs, CivilTime.dayMs)
        return writeQuotedDate(days: days, into: out)
    }

    /// Writes `"YYYY-MM-DD"` (with the quotes) for a day number into `out`.
    public static func writeQuotedDate(days: Int64, into out: UnsafeMutableRawBufferPointer) -> Int {
        var writer = DigitWriter(out: out)
        writer.put(UInt8(ascii: "\""))
        writer.date(days: days)
        writer.put(UInt8(ascii: "\""))
        return writer.index
    }

    /// The timestamp text without quotes (off the hot path: headers, messages).
    public static func string(_ ms: Int64, offsetSeconds: Int32) -> String {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { buffer in
            let count = writeQuotedTimestamp(ms, offsetSeconds: offsetSeconds, into: buffer)
            return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[1..<(count - 1)]), as: UTF8.self)
        }
    }

    /// Parses the lenient forms people type in configuration and on the command line:
    /// `YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)` (`T` or a space) or `YYYY-MM-DD` (midnight UTC), into epoch
    /// milliseconds. Event timestamps use the strict ``parse(_:)-(UnsafeRawBufferPointer)``.
    public static func parseLenient(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), (1...12).contains(month), expect("-"),
            let day = number(2), (1...31).contains(day)
        else { return nil }
        let midnight = CivilTime.days(year: year, month: month, day: day) * CivilTime.dayMs
        if index == bytes.count { return midnight }
        guard expect("T") || expect(" "), let hour = number(2), hour < 24, expect(":"), let minute = number(2),
            minute < 60
        else { return nil }
        var ms = midnight + hour * CivilTime.hourMs + minute * CivilTime.minuteMs
        if expect(":") {
            guard let second = number(2), second < 61 else { return nil }
            ms += second * CivilTime.secondMs
            if expect(".") {
                var scale: Int64 = 100
                var fraction: Int64 = 0
                var any = false
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    fraction += Int64(bytes[index] - UInt8(ascii: "0")) * scale
                    scale /= 10
                    index += 1
                    any = true
                }
                guard any else { return nil }
                ms += fraction
            }
        }
        if expect("Z") || expect("z") { return index == bytes.count ? ms : nil }
        let sign: Int64
        if expect("+") {
            sign = 1
        } else if expect("-") {
            sign = -1
        } else {
            return nil
        }
        guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2), index == bytes.count else {
            return nil
        }
        return ms - sign * (offsetHours * CivilTime.hourMs + offsetMinutes * CivilTime.minuteMs)
    }
}

/// Writes ASCII digits and separators into a caller-provided buffer (no bounds growth, no allocation).
private struct DigitWriter {
    let out: UnsafeMutableRawBufferPointer
    var index = 0

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        out[index] = byte
        index += 1
    }

    /// Writes `value` zero-padded to `count` digits.
    @inline(__always)
    mutating func digits(_ value: Int64, _ count: Int) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            put(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Writes `YYYY-MM-DD` for a day number.
    @inline(__always)
    mutating func date(days: Int64) {
        let date = CivilTime.date(days: days)
        digits(date.year, 4)
        put(UInt8(ascii: "-"))
        digits(date.month, 2)
        put(UInt8(ascii: "-"))
        digits(date.day, 2)
    }
}
