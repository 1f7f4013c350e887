import Foundation
import Testing
@testable import Scheduling

/// Rule windows are local wall-clock times, so their length in elapsed time changes on DST days.
struct WindowDSTTests {
    func schedule(zone: String, _ windows: [WeeklyWindow]) -> Schedule {
        Schedule(id: "s", timeZone: zone, rules: [ScheduleRule(id: "r", target: .user("w"), windows: windows)])
    }

    @Test func oneToFourWindowLastsTwoHoursOnSpringForwardDay() throws {
        let s = schedule(zone: "America/Chicago", [window([.sunday], "01:00", "04:00")])
        let result = try s.shifts(from: utc("2024-03-09T00:00Z"), to: utc("2024-03-12T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == ["w 2024-03-10T07:00:00Z 2024-03-10T09:00:00Z"])
    }

    @Test func oneToFourWindowLastsFourHoursOnFallBackDay() throws {
        let s = schedule(zone: "America/Chicago", [window([.sunday], "01:00", "04:00")])
        let result = try s.shifts(from: utc("2024-11-02T00:00Z"), to: utc("2024-11-05T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == ["w 2024-11-03T06:00:00Z 2024-11-03T10:00:00Z"])
        #expect(result.gaps.map { iso($0.start) } == ["2024-11-02T00:00:00Z", "2024-11-03T10:00:00Z"])
    }

    @Test func windowInsideTheGapMovesForwardByTheGap() throws {
        // 02:15–02:45 does not exist on 10 Mar; both ends move forward an hour: 03:15–03:45 CDT.
        let s = schedule(zone: "America/Chicago", [window([.sunday], "02:15", "02:45")])
        let result = try s.shifts(from: utc("2024-03-10T00:00Z"), to: utc("2024-03-11T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == ["w 2024-03-10T08:15:00Z 2024-03-10T08:45:00Z"])
    }

    @Test func windowFromInsideTheGapToItsEndIsEmpty() throws {
        // 02:30 → 03:30 CDT but 03:00 is 03:00 CDT: the window is empty that day, 30 min a week later.
        let s = schedule(zone: "America/Chicago", [window([.sunday], "02:30", "03:00")])
        let result = try s.shifts(from: utc("2024-03-10T00:00Z"), to: utc("2024-03-18T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == ["w 2024-03-17T07:30:00Z 2024-03-17T08:00:00Z"])
        #expect(try s.onCall(at: utc("2024-03-10T08:45Z"), rotations: [:]).isEmpty)
    }

    @Test func windowInRepeatedHourUsesOnlyTheFirstOccurrence() throws {
        let s = schedule(zone: "America/Chicago", [window([.sunday], "01:00", "01:30")])
        let result = try s.shifts(from: utc("2024-11-03T00:00Z"), to: utc("2024-11-04T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == ["w 2024-11-03T06:00:00Z 2024-11-03T06:30:00Z"])
        #expect(try users(s.onCall(at: utc("2024-11-03T06:15Z"), rotations: [:])) == ["w"])
        // 01:15 CST, the second occurrence: not on call.
        #expect(try s.onCall(at: utc("2024-11-03T07:15Z"), rotations: [:]).isEmpty)
    }

    @Test func lordHoweWindowsAcrossHalfHourChanges() throws {
        // 6 Oct 2024: 02:00 → 02:30. 02:00–03:00 becomes 02:30–03:00 (+11): 30 minutes.
        let spring = schedule(zone: "Australia/Lord_Howe", [window([.sunday], "02:00", "03:00")])
        let springShifts = try spring.shifts(from: utc("2024-10-05T00:00Z"), to: utc("2024-10-06T00:00Z"), rotations: [:])
        #expect(render(springShifts.shifts) == ["w 2024-10-05T15:30:00Z 2024-10-05T16:00:00Z"])
        // 7 Apr 2024: 02:00 → 01:30. 01:00 (+11) to 03:00 (+10:30): 2.5 hours.
        let fall = schedule(zone: "Australia/Lord_Howe", [window([.sunday], "01:00", "03:00")])
        let fallShifts = try fall.shifts(from: utc("2024-04-06T00:00Z"), to: utc("2024-04-07T00:00Z"), rotations: [:])
        #expect(render(fallShifts.shifts) == ["w 2024-04-06T14:00:00Z 2024-04-06T16:30:00Z"])
    }

    @Test func overnightWindowAcrossSpringForwardLastsSevenHours() throws {
        // Saturday 22:00 CST → Sunday 06:00 CDT.
        let s = schedule(zone: "America/Chicago", [window([.saturday], "22:00", "06:00")])
        let result = try s.shifts(from: utc("2024-03-09T00:00Z"), to: utc("2024-03-11T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == ["w 2024-03-10T04:00:00Z 2024-03-10T11:00:00Z"])
    }

    @Test func kolkataWindowIsAlwaysTheSameUTCSpan() throws {
        let s = schedule(zone: "Asia/Kolkata", [window(Weekday.weekdays, "09:00", "17:00")])
        let result = try s.shifts(from: utc("2024-03-11T00:00Z"), to: utc("2024-03-13T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == [
            "w 2024-03-11T03:30:00Z 2024-03-11T11:30:00Z",
            "w 2024-03-12T03:30:00Z 2024-03-12T11:30:00Z",
        ])
    }
}
