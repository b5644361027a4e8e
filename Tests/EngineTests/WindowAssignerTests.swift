import Engine
import Testing
import Timekeeping

@Suite struct WindowAssignerTests {
    func instant(_ text: String) -> Int64 { RFC3339.parse(text)! }
    let minute: Int64 = 60_000

    @Test func tumblingUTC() {
        let assigner = WindowAssigner(shape: .tumbling(size: 15 * minute), alignment: .utc, splitAtLocalMidnight: false)
        let windows = assigner.windows(at: instant("2026-03-29T10:07:30Z"))
        #expect(windows == [WindowBounds(start: instant("2026-03-29T10:00:00Z"), end: instant("2026-03-29T10:15:00Z"))])
        let before = assigner.windows(at: instant("1969-12-31T23:59:59Z"))
        #expect(before.first?.start == instant("1969-12-31T23:45:00Z"))
    }

    @Test func hoppingReturnsEveryCoveringWindow() {
        let assigner = WindowAssigner(
            shape: .hopping(size: 15 * minute, advance: 5 * minute), alignment: .utc, splitAtLocalMidnight: false)
        let windows = assigner.windows(at: instant("2026-03-29T10:07:00Z"))
        #expect(windows.map(\.start) == ["09:55", "10:00", "10:05"].map { instant("2026-03-29T\($0):00Z") })
        #expect(windows.allSatisfy { $0.end - $0.start == 15 * minute })
    }

    @Test func plantLocalFourHourWindowAroundSpringForwardLastsThreeHours() throws {
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        let assigner = WindowAssigner(
            shape: .tumbling(size: 240 * minute), alignment: .plantLocal, splitAtLocalMidnight: true)
        // Local 00:00-04:00 on 2026-03-29 is 23:00-02:00 UTC (02:00-03:00 local does not exist).
        let expected = [WindowBounds(start: instant("2026-03-28T23:00:00Z"), end: instant("2026-03-29T02:00:00Z"))]
        #expect(assigner.windows(at: instant("2026-03-29T00:30:00Z"), zone: berlin) == expected)
        #expect(assigner.windows(at: instant("2026-03-29T01:30:00Z"), zone: berlin) == expected)
        // 20:30 UTC = 22:30 CEST: local 20:00-24:00 ends at local midnight 22:00 UTC.
        #expect(
            assigner.windows(at: instant("2026-03-29T20:30:00Z"), zone: berlin)
                == [WindowBounds(start: instant("2026-03-29T18:00:00Z"), end: instant("2026-03-29T22:00:00Z"))])
    }

    @Test func repeatedAutumnHourGivesTwoWindows() throws {
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        let assigner = WindowAssigner(
            shape: .tumbling(size: 15 * minute), alignment: .plantLocal, splitAtLocalMidnight: true)
        // 02:05 local happens twice: 00:05 UTC (CEST) and 01:05 UTC (CET).
        let first = assigner.windows(at: instant("2026-10-25T00:05:00Z"), zone: berlin)
        let second = assigner.windows(at: instant("2026-10-25T01:05:00Z"), zone: berlin)
        #expect(first == [WindowBounds(start: instant("2026-10-25T00:00:00Z"), end: instant("2026-10-25T00:15:00Z"))])
        #expect(second == [WindowBounds(start: instant("2026-10-25T01:00:00Z"), end: instant("2026-10-25T01:15:00Z"))])
    }

    @Test func utcWindowsSplitAtChicagoMidnight() throws {
        let chicago = try #require(ZoneRules(identifier: "America/Chicago"))
        let assigner = WindowAssigner(shape: .tumbling(size: 240 * minute), alignment: .utc, splitAtLocalMidnight: true)
        // 2026-11-01: CDT ends at 07:00 UTC; local midnight of Nov 1 is 05:00 UTC, of Nov 2 is 06:00 UTC.
        #expect(
            assigner.windows(at: instant("2026-11-01T04:30:00Z"), zone: chicago)
                == [WindowBounds(start: instant("2026-11-01T04:00:00Z"), end: instant("2026-11-01T05:00:00Z"))])
        #expect(
            assigner.windows(at: instant("2026-11-02T05:30:00Z"), zone: chicago)
                == [WindowBounds(start: instant("2026-11-02T04:00:00Z"), end: instant("2026-11-02T06:00:00Z"))])
    }

    @Test func autumnDayAndWindowsAroundTheRepeatedHour() throws {
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        let day = WindowAssigner(
            shape: .tumbling(size: 1440 * minute), alignment: .plantLocal, splitAtLocalMidnight: true)
        let expectedDay = [WindowBounds(start: instant("2026-10-24T22:00:00Z"), end: instant("2026-10-25T23:00:00Z"))]
        #expect(day.windows(at: instant("2026-10-25T00:30:00Z"), zone: berlin) == expectedDay)
        #expect(day.windows(at: instant("2026-10-25T01:30:00Z"), zone: berlin) == expectedDay)
        // One-hour windows: local 02:00-03:00 happens twice and lasts two hours.
        let hour = WindowAssigner(
            shape: .tumbling(size: 60 * minute), alignment: .plantLocal, splitAtLocalMidnight: true)
        let twoHours = [WindowBounds(start: instant("2026-10-25T00:00:00Z"), end: instant("2026-10-25T02:00:00Z"))]
        #expect(hour.windows(at: instant("2026-10-25T00:30:00Z"), zone: berlin) == twoHours)
        #expect(hour.windows(at: instant("2026-10-25T01:30:00Z"), zone: berlin) == twoHours)
        // 90-minute windows: local 01:30-03:00 contains the repeated hour and lasts 2.5 hours.
        let ninety = WindowAssigner(
            shape: .tumbling(size: 90 * minute), alignment: .plantLocal, splitAtLocalMidnight: true)
        let expected = [
            WindowBounds(start: instant("2026-10-24T23:30:00Z"), end: instant("2026-10-25T01:00:00Z") + 3_600_000)
        ]
        #expect(ninety.windows(at: instant("2026-10-25T00:30:00Z"), zone: berlin) == expected)
        #expect(ninety.windows(at: instant("2026-10-25T01:30:00Z"), zone: berlin) == expected)
    }

    @Test func tumblingWindowsTileADSTDay() throws {
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        for size in [Int64(15), 45, 60, 90, 240, 420, 1440] {
            let assigner = WindowAssigner(
                shape: .tumbling(size: size * minute), alignment: .plantLocal, splitAtLocalMidnight: true)
            for (from, to) in [
                ("2026-10-24T20:00:00Z", "2026-10-26T02:00:00Z"), ("2026-03-28T20:00:00Z", "2026-03-30T02:00:00Z"),
            ] {
                var instant = instant(from)
                var previous: WindowBounds?
                while instant < self.instant(to) {
                    let window = assigner.windows(at: instant, zone: berlin)[0]
                    #expect(window.contains(instant))
                    if let previous, previous != window {
                        #expect(previous.end == window.start, "gap or overlap at \(window)")
                    }
                    previous = window
                    instant += minute
                }
            }
        }
    }
}
