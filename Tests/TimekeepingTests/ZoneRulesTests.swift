import Testing
import Timekeeping

@Suite struct ZoneRulesTests {
    func instant(_ text: String) -> Int64 { RFC3339.parse(text)! }

    @Test func berlinOffsetsAroundSpringForward() throws {
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        #expect(berlin.offset(at: instant("2026-03-29T00:59:59.999Z")) == 3_600_000)
        #expect(berlin.offset(at: instant("2026-03-29T01:00:00Z")) == 7_200_000)
        #expect(berlin.offset(at: instant("2026-10-25T00:59:59.999Z")) == 7_200_000)
        #expect(berlin.offset(at: instant("2026-10-25T01:00:00Z")) == 3_600_000)
    }

    @Test func localDaysHaveDSTLengths() throws {
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        let spring = berlin.localDayBounds(at: instant("2026-03-29T12:00:00Z"))
        #expect(spring.start == instant("2026-03-28T23:00:00Z"))
        #expect(spring.end == instant("2026-03-29T22:00:00Z"))
        #expect(spring.end - spring.start == 23 * 3_600_000)
        let autumn = berlin.localDayBounds(at: instant("2026-10-25T12:00:00Z"))
        #expect(autumn.start == instant("2026-10-24T22:00:00Z"))
        #expect(autumn.end - autumn.start == 25 * 3_600_000)
        let chicago = try #require(ZoneRules(identifier: "America/Chicago"))
        let march = chicago.localDayBounds(at: instant("2026-03-08T12:00:00Z"))
        #expect(march.start == instant("2026-03-08T06:00:00Z"))
        #expect(march.end == instant("2026-03-09T05:00:00Z"))
    }

    @Test func dayStartsAfterAGapAtMidnight() {
        // A zone that springs forward at local midnight: 00:00 does not exist, the day starts at 01:00.
        let transition: Int64 = 10 * CivilTime.dayMs  // UTC midnight of day 10, local offset 0 -> +1h
        let zone = ZoneRules(identifier: "Test/MidnightGap", transitions: [transition], offsets: [0, 3_600_000])
        #expect(zone.startOfLocalDay(10) == transition)
        #expect(zone.startOfLocalDay(11) == 11 * CivilTime.dayMs - 3_600_000)
        #expect(zone.localDay(at: transition) == 10)
        #expect(zone.localDay(at: transition - 1) == 9)
    }

    @Test func unknownZoneIsNil() {
        #expect(ZoneRules(identifier: "Mars/Olympus_Mons") == nil)
    }
}
