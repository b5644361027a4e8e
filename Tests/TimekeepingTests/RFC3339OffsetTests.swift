import Testing
import Timekeeping

@Suite struct RFC3339OffsetTests {
    @Test(arguments: [
        (Int64(0), Int32(0), "1970-01-01T00:00:00.000Z"),
        (1_742_187_600_526, 3600, "2025-03-17T06:00:00.526+01:00"),
        (1_742_187_600_526, -18_000, "2025-03-17T00:00:00.526-05:00"),
        (1_742_187_600_526, 28_800, "2025-03-17T13:00:00.526+08:00"),
        (951_868_799_999, 0, "2000-02-29T23:59:59.999Z"),
        (-1, 0, "1969-12-31T23:59:59.999Z"),
        (1_740_787_200_000, 19_800, "2025-03-01T05:30:00.000+05:30"),
    ])
    func timestampsAreRFC3339WithOffset(ms: Int64, offset: Int32, expected: String) {
        #expect(RFC3339.string(ms, offsetSeconds: offset) == expected)
        #expect(RFC3339.parseLenient(expected) == ms)
    }

    @Test func daysAndDatesRoundTrip() {
        for day in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let date = CivilTime.date(days: day)
            #expect(CivilTime.days(year: date.year, month: date.month, day: date.day) == day)
        }
        #expect(CivilTime.date(days: 0) == (1970, 1, 1))
    }

    @Test(arguments: ["2025-03-17", "2025-03-17T06:00Z", "2025-03-17T06:00:00+01:00", "2025-03-17T06:00:00.5Z"])
    func instantsParse(text: String) {
        #expect(RFC3339.parseLenient(text) != nil)
    }

    @Test(arguments: [
        "", "2025-13-01", "2025-03-17T25:00Z", "2025-03-17T06:00", "yesterday", "2025-03-17T06:00:00+0100",
    ])
    func malformedInstantsDoNot(text: String) {
        #expect(RFC3339.parseLenient(text) == nil)
    }

    @Test func zoneTablesFollowDaylightSavingTime() throws {
        let start = try #require(RFC3339.parseLenient("2025-03-01T00:00Z"))
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        #expect(berlin.offsetSeconds(at: start) == 3600)
        #expect(berlin.offsetSeconds(at: RFC3339.parseLenient("2025-03-30T00:59:59Z")!) == 3600)
        #expect(berlin.offsetSeconds(at: RFC3339.parseLenient("2025-03-30T01:00:00Z")!) == 7200)
        #expect(berlin.offsetSeconds(at: RFC3339.parseLenient("2025-10-26T01:00:00Z")!) == 3600)
        let shanghai = try #require(ZoneRules(identifier: "Asia/Shanghai"))
        #expect(shanghai.offsetSeconds(at: start + 200 * CivilTime.dayMs) == 28_800)
        #expect(ZoneRules(identifier: "Mars/Olympus") == nil)
        let chicago = try #require(ZoneRules(identifier: "America/Chicago"))
        let noon = try #require(RFC3339.parseLenient("2025-03-17T12:00:00-05:00"))
        #expect(chicago.localTimeOfDay(noon) == 12 * CivilTime.hourMs)
        #expect(
            chicago.startOfLocalDay(chicago.localDay(at: noon)) == RFC3339.parseLenient("2025-03-17T00:00:00-05:00"))
    }
}
