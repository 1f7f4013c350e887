import Foundation
import Testing
@testable import Scheduling

/// Mon–Fri rules with rotations in both advance modes (2024-03-04 is a Monday; Chicago moves to
/// CDT on Sunday 10 March, so business hours are 15:00–23:00Z, then 14:00–22:00Z).
struct AdvanceModeTests {
    func businessHours(_ r: Rotation) -> Schedule {
        Schedule(id: "s", timeZone: "America/Chicago", rules: [
            ScheduleRule(id: "biz", target: .rotation(r.id), windows: [window(Weekday.weekdays, "09:00", "17:00")]),
        ])
    }

    @Test func byActiveShiftGivesEveryParticipantATurn() throws {
        let r = rotation(zone: "America/Chicago", ["A", "B", "C"], every: 1, .days, anchor: "2024-03-04T09:00", mode: .byActiveShift)
        let result = try businessHours(r).shifts(from: utc("2024-03-04T00:00Z"), to: utc("2024-03-16T00:00Z"), rotations: ["rot": r])
        #expect(render(result.shifts) == [
            "A 2024-03-04T15:00:00Z 2024-03-04T23:00:00Z",
            "B 2024-03-05T15:00:00Z 2024-03-05T23:00:00Z",
            "C 2024-03-06T15:00:00Z 2024-03-06T23:00:00Z",
            "A 2024-03-07T15:00:00Z 2024-03-07T23:00:00Z",
            "B 2024-03-08T15:00:00Z 2024-03-08T23:00:00Z",
            "C 2024-03-11T14:00:00Z 2024-03-11T22:00:00Z",
            "A 2024-03-12T14:00:00Z 2024-03-12T22:00:00Z",
            "B 2024-03-13T14:00:00Z 2024-03-13T22:00:00Z",
            "C 2024-03-14T14:00:00Z 2024-03-14T22:00:00Z",
            "A 2024-03-15T14:00:00Z 2024-03-15T22:00:00Z",
        ])
        let monday = try businessHours(r).onCall(at: utc("2024-03-11T15:00Z"), rotations: ["rot": r])
        #expect(monday == [OnCallEntry(userId: "C", reasons: [
            OnCallReason(kind: .rule, ruleId: "biz", rotationId: "rot", participantIndex: 2),
        ])])
    }

    @Test func byCalendarFollowsTheCalendar() throws {
        let r = rotation(zone: "America/Chicago", ["A", "B", "C"], every: 1, .days, anchor: "2024-03-04T09:00", mode: .byCalendar)
        let result = try businessHours(r).shifts(from: utc("2024-03-04T00:00Z"), to: utc("2024-03-16T00:00Z"), rotations: ["rot": r])
        #expect(result.shifts.map(\.userId) == ["A", "B", "C", "A", "B", "B", "C", "A", "B", "C"])
    }

    @Test(arguments: [AdvanceMode.byCalendar, .byActiveShift])
    func sevenPeopleOverFourWeeks(_ mode: AdvanceMode) throws {
        let people = ["A", "B", "C", "D", "E", "F", "G"]
        let r = rotation(zone: "America/Chicago", people, every: 1, .days, anchor: "2024-03-04T09:00", mode: mode)
        let result = try businessHours(r).shifts(from: utc("2024-03-04T00:00Z"), to: utc("2024-04-01T00:00Z"), rotations: ["rot": r])
        let seen = Set(result.shifts.map(\.userId))
        // GoAlert's behaviour by calendar: F and G never get a weekday turn.
        #expect(seen == (mode == .byActiveShift ? Set(people) : ["A", "B", "C", "D", "E"]))
    }

    @Test func byActiveShiftWithShorterHourShifts() throws {
        // 4-hour shifts under 09:00–17:00: two turns a day, the night and weekend skipped.
        let r = rotation(zone: "America/Chicago", ["A", "B", "C"], every: 4, .hours, anchor: "2024-03-04T09:00", mode: .byActiveShift)
        let result = try businessHours(r).shifts(from: utc("2024-03-04T00:00Z"), to: utc("2024-03-06T00:00Z"), rotations: ["rot": r])
        #expect(render(result.shifts) == [
            "A 2024-03-04T15:00:00Z 2024-03-04T19:00:00Z",
            "B 2024-03-04T19:00:00Z 2024-03-04T23:00:00Z",
            "C 2024-03-05T15:00:00Z 2024-03-05T19:00:00Z",
            "A 2024-03-05T19:00:00Z 2024-03-05T23:00:00Z",
        ])
    }

    @Test func byActiveShiftBeforeTheAnchorCountsBackwards() throws {
        // The Friday before the Monday anchor is the previous active shift: participant C.
        let r = rotation(zone: "America/Chicago", ["A", "B", "C"], every: 1, .days, anchor: "2024-03-11T09:00", mode: .byActiveShift)
        let friday = try businessHours(r).onCall(at: utc("2024-03-08T16:00Z"), rotations: ["rot": r])
        #expect(users(friday) == ["C"])
        let thursday = try businessHours(r).onCall(at: utc("2024-03-07T16:00Z"), rotations: ["rot": r])
        #expect(users(thursday) == ["B"])
    }

    @Test func weeklyRotationIsTheSameInBothModes() throws {
        var r = rotation(zone: "America/Chicago", ["A", "B", "C"], every: 1, .weeks, anchor: "2024-03-04T09:00", mode: .byCalendar)
        let calendar = try businessHours(r).shifts(from: utc("2024-03-04T00:00Z"), to: utc("2024-05-01T00:00Z"), rotations: ["rot": r])
        r.advanceMode = .byActiveShift
        let active = try businessHours(r).shifts(from: utc("2024-03-04T00:00Z"), to: utc("2024-05-01T00:00Z"), rotations: ["rot": r])
        #expect(render(calendar.shifts) == render(active.shifts))
        #expect(calendar.shifts.prefix(6).map(\.userId) == ["A", "A", "A", "A", "A", "B"])
    }

    @Test func overnightRotationAnchoredAtWindowStart() throws {
        // Sunday–Thursday nights 22:00–06:00 in London (GMT in January), a nightly rotation.
        let r = rotation(zone: "Europe/London", ["A", "B"], every: 1, .days, anchor: "2024-01-07T22:00", mode: .byActiveShift)
        let s = Schedule(id: "s", timeZone: "Europe/London", rules: [
            ScheduleRule(id: "nights", target: .rotation("rot"),
                         windows: [window([.sunday, .monday, .tuesday, .wednesday, .thursday], "22:00", "06:00")]),
        ])
        let result = try s.shifts(from: utc("2024-01-07T00:00Z"), to: utc("2024-01-15T00:00Z"), rotations: ["rot": r])
        #expect(render(result.shifts) == [
            "A 2024-01-07T22:00:00Z 2024-01-08T06:00:00Z",
            "B 2024-01-08T22:00:00Z 2024-01-09T06:00:00Z",
            "A 2024-01-09T22:00:00Z 2024-01-10T06:00:00Z",
            "B 2024-01-10T22:00:00Z 2024-01-11T06:00:00Z",
            "A 2024-01-11T22:00:00Z 2024-01-12T06:00:00Z",
            "B 2024-01-14T22:00:00Z 2024-01-15T00:00:00Z",
        ])
    }
}
