/// Calendar arithmetic and RFC 3339 formatting on integer milliseconds (no Foundation).
///
/// Days ↔ civil dates use Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms.
enum CivilTime {
    static let msPerSecond: Int64 = 1000
    static let msPerMinute: Int64 = 60_000
    static let msPerHour: Int64 = 3_600_000
    static let msPerDay: Int64 = 86_400_000

    /// The proleptic Gregorian date of a day number (days since 1970-01-01).
    @inline(__always)
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The day number (days since 1970-01-01) of a proleptic Gregorian date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Floor division for possibly negative milliseconds.
    @inline(__always)
    static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// Writes `"YYYY-MM-DDThh:mm:ss.sss±hh:mm"` (with the quotes, `Z` for a zero offset) into `out`.
    ///
    /// - Returns: The number of bytes written (at most 31).
    @inline(__always)
    static func writeTimestamp(_ ms: Int64, offsetSeconds: Int32, into out: UnsafeMutableRawBufferPointer) -> Int {
        let local = ms + Int64(offsetSeconds) * msPerSecond
        let days = floorDiv(local, msPerDay)
        let inDay = local - days * msPerDay
        let date = civil(fromDays: days)
        var index = 0
        @inline(__always) func put(_ byte: UInt8) {
            out[index] = byte
            index += 1
        }
        @inline(__always) func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                put(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        put(UInt8(ascii: "\""))
        digits(date.year, 4)
        put(UInt8(ascii: "-"))
        digits(date.month, 2)
        put(UInt8(ascii: "-"))
        digits(date.day, 2)
        put(UInt8(ascii: "T"))
        digits(inDay / msPerHour, 2)
        put(UInt8(ascii: ":"))
        digits(inDay / msPerMinute % 60, 2)
        put(UInt8(ascii: ":"))
        digits(inDay / msPerSecond % 60, 2)
        put(UInt8(ascii: "."))
        digits(inDay % msPerSecond, 3)
        if offsetSeconds == 0 {
            put(UInt8(ascii: "Z"))
        } else {
            let magnitude = Int64(offsetSeconds.magnitude)
            put(offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            digits(magnitude / 3600, 2)
            put(UInt8(ascii: ":"))
            digits(magnitude / 60 % 60, 2)
        }
        put(UInt8(ascii: "\""))
        return index
    }

    /// Writes `"YYYY-MM-DD"` (with the quotes) for the local date of `ms` into `out`.
    ///
    /// - Returns: The number of bytes written (12).
    @inline(__always)
    static func writeDate(_ ms: Int64, offsetSeconds: Int32, into out: UnsafeMutableRawBufferPointer) -> Int {
        let days = floorDiv(ms + Int64(offsetSeconds) * msPerSecond, msPerDay)
        return writeDate(days: days, into: out)
    }

    /// Writes `"YYYY-MM-DD"` (with the quotes) for a day number into `out`.
    static func writeDate(days: Int64, into out: UnsafeMutableRawBufferPointer) -> Int {
        let date = civil(fromDays: days)
        var index = 0
        func put(_ byte: UInt8) {
            out[index] = byte
            index += 1
        }
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                put(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        put(UInt8(ascii: "\""))
        digits(date.year, 4)
        put(UInt8(ascii: "-"))
        digits(date.month, 2)
        put(UInt8(ascii: "-"))
        digits(date.day, 2)
        put(UInt8(ascii: "\""))
        return index
    }

    /// The timestamp text without quotes (off the hot path: headers, messages).
    static func timestampString(_ ms: Int64, offsetSeconds: Int32) -> String {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { buffer in
            let count = writeTimestamp(ms, offsetSeconds: offsetSeconds, into: buffer)
            return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[1..<(count - 1)]), as: UTF8.self)
        }
    }

    /// Parses `YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)` or `YYYY-MM-DD` (midnight UTC) into epoch milliseconds.
    static func parseInstant(_ text: String) -> Int64? {
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
        let midnight = days(year: year, month: month, day: day) * msPerDay
        if index == bytes.count { return midnight }
        guard expect("T") || expect(" "), let hour = number(2), hour < 24, expect(":"), let minute = number(2),
            minute < 60
        else { return nil }
        var ms = midnight + hour * msPerHour + minute * msPerMinute
        if expect(":") {
            guard let second = number(2), second < 61 else { return nil }
            ms += second * msPerSecond
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
        return ms - sign * (offsetHours * msPerHour + offsetMinutes * msPerMinute)
    }
}
