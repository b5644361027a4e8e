/// Calendar arithmetic on epoch milliseconds and days, without Foundation (proleptic Gregorian, UTC).
///
/// Algorithms from Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms".
public enum CivilTime {
    /// Milliseconds per second.
    public static let secondMs: Int64 = 1000
    /// Milliseconds per minute.
    public static let minuteMs: Int64 = 60_000
    /// Milliseconds per hour.
    public static let hourMs: Int64 = 3_600_000
    /// Milliseconds per day.
    public static let dayMs: Int64 = 86_400_000

    /// Days since 1970-01-01 of a civil date.
    @inlinable
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number (days since 1970-01-01).
    @inlinable
    public static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
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

    /// `floor(value / divisor)` for a positive divisor.
    @inlinable @inline(__always)
    public static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }

    /// `value` rounded down to a multiple of `step` (positive).
    @inlinable @inline(__always)
    public static func floor(_ value: Int64, toMultipleOf step: Int64) -> Int64 {
        floorDiv(value, step) * step
    }
}
