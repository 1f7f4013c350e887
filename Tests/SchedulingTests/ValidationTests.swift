import Foundation
import Testing
@testable import Scheduling

struct ValidationTests {
    func fields(_ errors: [ValidationError]) -> [String] { errors.map(\.field) }

    @Test func validRotationAndScheduleHaveNoErrors() {
        let r = rotation(zone: "Europe/Oslo", ["a"], every: 1, .weeks, anchor: "2024-01-01T09:00")
        #expect(r.validate().isEmpty)
        let s = Schedule(id: "s", timeZone: "Asia/Kolkata", rules: [
            ScheduleRule(id: "r", target: .rotation("rot"), windows: [window([.monday], "22:00", "06:00"), window([.friday], "00:00", "24:00")]),
        ])
        #expect(s.validate().isEmpty)
    }

    @Test func rotationErrorsNameTheirFields() {
        var r = rotation(zone: "Europe/Osloo", [], every: 0, .days, anchor: "2024-02-30T09:00")
        #expect(fields(r.validate()) == ["timeZone", "participants", "shiftLength.count", "anchor.start"])
        r = rotation(zone: "GMT+1", ["a", ""], every: 1, .days, anchor: "2024-02-01T24:00", index: 2)
        #expect(fields(r.validate()) == ["timeZone", "participants[1]", "anchor.start", "anchor.participantIndex"])
    }

    @Test func scheduleErrorsNameTheirFields() {
        let t0 = utc("2024-01-01T00:00Z"), t1 = utc("2024-01-02T00:00Z")
        let s = Schedule(
            id: "s", timeZone: "Nowhere/Special",
            rules: [
                ScheduleRule(id: "r0", target: .user(""), windows: [window([], "09:00", "09:00")]),
                ScheduleRule(id: "r1", target: .user("u"), windows: [window([.monday], "24:00", "25:00")]),
            ],
            overrides: [
                .add("u", id: "o0", start: t1, end: t0),
                ScheduleOverride(id: "o1", start: t0, end: t1, action: .replace, addUserId: "u"),
                ScheduleOverride(id: "o2", start: t0, end: t1, action: .replace, removeUserId: "u"),
                ScheduleOverride(id: "o3", start: t0, end: t1, action: .remove),
                ScheduleOverride(id: "o4", start: t0, end: t1, action: .add, addUserId: "u", removeUserId: "v"),
            ],
            temporarySchedules: [
                TemporarySchedule(id: "t0", start: t0, end: t1, shifts: [
                    .init(start: t0, end: t1, userId: "ok"),
                    .init(start: t0.addingTimeInterval(-60), end: t1, userId: "early"),
                    .init(start: t1, end: t0, userId: "backwards"),
                ]),
                TemporarySchedule(id: "t1", start: t1, end: t1, shifts: []),
            ])
        #expect(fields(s.validate()) == [
            "timeZone",
            "rules[0].target.id", "rules[0].windows[0].days", "rules[0].windows[0].end",
            "rules[1].windows[0].start", "rules[1].windows[0].end",
            "overrides[0].end",
            "overrides[1].removeUserId",
            "overrides[2].addUserId",
            "overrides[3].removeUserId",
            "overrides[4].removeUserId",
            "temporarySchedules[0].shifts[1]",
            "temporarySchedules[0].shifts[2].end",
            "temporarySchedules[1].end",
        ])
        #expect(s.validate().allSatisfy { !$0.message.isEmpty })
    }

    @Test func referencesListUsersAndRotations() {
        let t0 = utc("2024-01-01T00:00Z"), t1 = utc("2024-01-02T00:00Z")
        let s = Schedule(
            id: "s", timeZone: "UTC",
            rules: [ScheduleRule(id: "a", target: .rotation("r2")), ScheduleRule(id: "b", target: .user("u3")), ScheduleRule(id: "c", target: .rotation("r1"))],
            overrides: [.replace("u1", with: "u2", id: "o", start: t0, end: t1)],
            temporarySchedules: [TemporarySchedule(id: "t", start: t0, end: t1, shifts: [.init(start: t0, end: t1, userId: "u4"), .init(start: t0, end: t1, userId: "u1")])])
        #expect(s.references == ScheduleReferences(userIds: ["u1", "u2", "u3", "u4"], rotationIds: ["r1", "r2"]))
    }

    @Test func invalidRotationIsRefusedByComputation() {
        let r = rotation(zone: "UTC", [], every: 1, .days, anchor: "2024-01-01T00:00")
        #expect(throws: SchedulingError.invalidRotation(id: "rot", errors: [ValidationError(field: "participants", message: "a rotation needs at least one participant")])) {
            try r.shifts(from: utc("2024-01-01T00:00Z"), to: utc("2024-01-02T00:00Z"))
        }
    }
}
