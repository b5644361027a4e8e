/// Parsing and formatting of RFC 3339 timestamps and ISO dates on UTF-8 bytes (no Foundation).
public enum RFC3339 {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into epoch milliseconds.
    ///
    /// Fractions beyond milliseconds are truncated; `t`/`z` and a space separator are accepted.
    /// - Returns: `nil` when the bytes are not such a timestamp or a field is out of range.
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let count = bytes.count
        guard count >= 20 else { return nil }
        guard let year = digits(bytes, 0, 4), bytes[4] == 0x2D, let month = digits(bytes, 5, 2), bytes[7] == 0x2D,
            let day = digits(bytes, 8, 2)
        else { return nil }
        let separator = bytes[10]
        guard separator == 0x54 || separator == 0x74 || separator == 0x20 else { return nil }
        guard let hour = digits(bytes, 11, 2), bytes[13] == 0x3A, let minute = digits(bytes, 14, 2),
            bytes[16] == 0x3A, let second = digits(bytes, 17, 2)
        else { return nil }
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month), hour <= 23,
            minute <= 59, second <= 60
        else { return nil }
        var index = 19
        var millis: Int64 = 0
        if bytes[index] == 0x2E {
            index += 1
            var scale: Int64 = 100
            let fractionStart = index
            while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                millis += Int64(bytes[index] &- 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > fractionStart else { return nil }
        }
        guard index < count else { return nil }
        var offsetMinutes: Int64 = 0
        switch bytes[index] {
        case 0x5A, 0x7A:
            index += 1
        case 0x2B, 0x2D:
            let negative = bytes[index] == 0x2D
            guard index + 6 <= count, let offsetHour = digits(bytes, index + 1, 2), bytes[index + 3] == 0x3A,
                let offsetMinute = digits(bytes, index + 4, 2), offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offsetMinutes = offsetHour * 60 + offsetMinute
            if negative { offsetMinutes = -offsetMinutes }
            index += 6
        default:
            return nil
        }
        guard index == count else { return nil }
        let days = CivilTime.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetMinutes * 60
        return seconds * 1000 + millis
    }

    /// Parses an ISO date `YYYY-MM-DD` into days since 1970-01-01.
    @inlinable
    public static func parseDate(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count == 10, let year = digits(bytes, 0, 4), bytes[4] == 0x2D, let month = digits(bytes, 5, 2),
            bytes[7] == 0x2D, let day = digits(bytes, 8, 2), month >= 1, month <= 12, day >= 1,
            day <= daysInMonth(year: year, month: month)
        else { return nil }
        return CivilTime.days(year: year, month: month, day: day)
    }

    /// Parses a timestamp held in a `String` (off the hot path).
    public static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses a date held in a `String` (off the hot path).
    public static func parseDate(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseDate(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `2026-03-29T01:00:00.000Z` (UTC, millisecond precision) for epoch milliseconds.
    @inlinable
    public static func appendTimestamp(_ milliseconds: Int64, to buffer: inout [UInt8]) {
        let days = CivilTime.floorDiv(milliseconds, CivilTime.dayMs)
        let msOfDay = milliseconds - days * CivilTime.dayMs
        appendDate(days: days, to: &buffer)
        buffer.append(0x54)
        appendTwo(msOfDay / 3_600_000, to: &buffer)
        buffer.append(0x3A)
        appendTwo(msOfDay / 60_000 % 60, to: &buffer)
        buffer.append(0x3A)
        appendTwo(msOfDay / 1000 % 60, to: &buffer)
        buffer.append(0x2E)
        let millis = msOfDay % 1000
        buffer.append(UInt8(0x30 + millis / 100))
        buffer.append(UInt8(0x30 + millis / 10 % 10))
        buffer.append(UInt8(0x30 + millis % 10))
        buffer.append(0x5A)
    }

    /// Appends `YYYY-MM-DD` for a day number.
    @inlinable
    public static func appendDate(days: Int64, to buffer: inout [UInt8]) {
        let (year, month, day) = CivilTime.date(days: days)
        let clamped = max(0, min(9999, year))
        buffer.append(UInt8(0x30 + clamped / 1000))
        buffer.append(UInt8(0x30 + clamped / 100 % 10))
        buffer.append(UInt8(0x30 + clamped / 10 % 10))
        buffer.append(UInt8(0x30 + clamped % 10))
        buffer.append(0x2D)
        appendTwo(month, to: &buffer)
        buffer.append(0x2D)
        appendTwo(day, to: &buffer)
    }

    /// The timestamp as a `String` (tests, messages).
    public static func string(_ milliseconds: Int64) -> String {
        var buffer: [UInt8] = []
        appendTimestamp(milliseconds, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The date as a `String` (tests, messages).
    public static func dateString(days: Int64) -> String {
        var buffer: [UInt8] = []
        appendDate(days: days, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends a two-digit, zero-padded number (0 ... 99).
    @inlinable @inline(__always)
    public static func appendTwo(_ value: Int64, to buffer: inout [UInt8]) {
        buffer.append(UInt8(0x30 + value / 10))
        buffer.append(UInt8(0x30 + value % 10))
    }

    @inlinable @inline(__always)
    static func digits(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ length: Int) -> Int64? {
        var value: Int64 = 0
        var index = start
        while index < start + length {
            let byte = bytes[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte &- 0x30)
            index += 1
        }
        return value
    }

    @inlinable
    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
