import Testing
import Timekeeping

@Suite struct TimeMathTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-03-29T01:00:00.000Z", Int64(1_774_746_000_000)),
        ("2026-03-29T03:00:00+02:00", Int64(1_774_746_000_000)),
        ("2026-03-28T20:00:00.5-05:00", Int64(1_774_746_000_500)),
        ("2024-02-29T23:59:59.999Z", Int64(1_709_251_199_999)),
        ("1969-12-31T23:59:59.999Z", Int64(-1)),
    ])
    func parsesTimestamps(text: String, expected: Int64) {
        #expect(RFC3339.parse(text) == expected)
    }

    @Test(arguments: [
        "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00",
        "2026-01-01T00:00:00+0100", "2026-01-01T00:00:00.Z", "not a time at all", "2026-01-01T00:00:00Zjunk",
    ])
    func rejectsMalformedTimestamps(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsRoundTrip() {
        for value in [Int64(0), 1_774_746_000_123, -1, 253_402_300_799_999, 951_782_400_000] {
            let text = RFC3339.string(value)
            #expect(RFC3339.parse(text) == value, "\(text)")
        }
        #expect(RFC3339.string(1_774_746_000_123) == "2026-03-29T01:00:00.123Z")
        #expect(RFC3339.dateString(days: CivilTime.days(year: 2026, month: 10, day: 25)) == "2026-10-25")
        #expect(RFC3339.parseDate("2026-10-25") == CivilTime.days(year: 2026, month: 10, day: 25))
        #expect(RFC3339.parseDate("2026-10-32") == nil)
    }

    @Test func civilDaysRoundTrip() {
        for day in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let date = CivilTime.date(days: day)
            #expect(CivilTime.days(year: date.year, month: date.month, day: date.day) == day)
        }
    }

    @Test func floorDivisionIsFloor() {
        #expect(CivilTime.floorDiv(-1, 1000) == -1)
        #expect(CivilTime.floorDiv(-1000, 1000) == -1)
        #expect(CivilTime.floorDiv(999, 1000) == 0)
        #expect(CivilTime.floor(-1, toMultipleOf: 900_000) == -900_000)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_776_153_600_250, "2026-04-14T08:00:00.250Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (4_102_444_799_999, "2099-12-31T23:59:59.999Z"),
    ])
    func timestampsAreRFC3339UTCWithMilliseconds(milliseconds: Int64, text: String) {
        #expect(RFC3339.string(milliseconds) == text)
    }
}
