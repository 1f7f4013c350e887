import Foundation
import Testing
@testable import Scheduling

/// Overrides and temporary schedules on top of a simple schedule: "alice" always, "bob" weekdays
/// 09:00–17:00 UTC. 2024-01-08 is a Monday.
struct OverrideTests {
    var base = Schedule(id: "s", timeZone: "UTC", rules: [
        ScheduleRule(id: "always", target: .user("alice")),
        ScheduleRule(id: "biz", target: .user("bob"), windows: [window(Weekday.weekdays, "09:00", "17:00")]),
    ])

    @Test func replaceWhereReplacedUserIsNotOnCallHasNoEffect() throws {
        var s = base
        // Bob is off at night: replacing him with carol then changes nothing.
        s.overrides = [.replace("bob", with: "carol", id: "o1", start: utc("2024-01-08T18:00Z"), end: utc("2024-01-09T08:00Z"))]
        let from = utc("2024-01-08T00:00Z"), to = utc("2024-01-10T00:00Z")
        #expect(try s.shifts(from: from, to: to, rotations: [:]) == base.shifts(from: from, to: to, rotations: [:]))
    }

    @Test func replaceAppliesOnlyWhereReplacedUserIsOnCall() throws {
        var s = base
        s.overrides = [.replace("bob", with: "carol", id: "o1", start: utc("2024-01-08T12:00Z"), end: utc("2024-01-09T12:00Z"))]
        let result = try s.shifts(from: utc("2024-01-08T00:00Z"), to: utc("2024-01-10T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == [
            "alice 2024-01-08T00:00:00Z 2024-01-10T00:00:00Z",
            "bob 2024-01-08T09:00:00Z 2024-01-08T12:00:00Z",
            "carol 2024-01-08T12:00:00Z 2024-01-08T17:00:00Z",
            "carol 2024-01-09T09:00:00Z 2024-01-09T12:00:00Z",
            "bob 2024-01-09T12:00:00Z 2024-01-09T17:00:00Z",
        ])
        let entries = try s.onCall(at: utc("2024-01-08T13:00Z"), rotations: [:])
        #expect(entries.map(\.userId) == ["alice", "carol"])
        #expect(entries[1].reasons == [OnCallReason(kind: .override, overrideId: "o1", overrideAction: .replace, replacedUserId: "bob")])
    }

    @Test func addAndRemove() throws {
        var s = base
        s.overrides = [
            .add("dave", id: "add", start: utc("2024-01-08T20:00Z"), end: utc("2024-01-08T22:00Z")),
            .remove("alice", id: "rm", start: utc("2024-01-08T21:00Z"), end: utc("2024-01-08T23:00Z")),
        ]
        #expect(try users(s.onCall(at: utc("2024-01-08T20:30Z"), rotations: [:])) == ["alice", "dave"])
        #expect(try users(s.onCall(at: utc("2024-01-08T21:30Z"), rotations: [:])) == ["dave"])
        #expect(try users(s.onCall(at: utc("2024-01-08T22:30Z"), rotations: [:])) == [])
        #expect(try users(s.onCall(at: utc("2024-01-08T23:00Z"), rotations: [:])) == ["alice"])
        let result = try s.shifts(from: utc("2024-01-08T18:00Z"), to: utc("2024-01-09T00:00Z"), rotations: [:])
        #expect(result.gaps == [Gap(start: utc("2024-01-08T22:00Z"), end: utc("2024-01-08T23:00Z"))])
    }

    @Test func laterStartingOverrideWinsRegardlessOfListOrder() throws {
        var s = base
        s.overrides = [
            .add("alice-backup", id: "late-add", start: utc("2024-01-08T21:00Z"), end: utc("2024-01-08T22:00Z")),
            .remove("alice-backup", id: "early-remove", start: utc("2024-01-08T20:00Z"), end: utc("2024-01-08T23:00Z")),
        ]
        #expect(try users(s.onCall(at: utc("2024-01-08T21:30Z"), rotations: [:])) == ["alice", "alice-backup"])
    }

    @Test func userOnCallForTwoReasonsHasOneMergedShiftWithBoth() throws {
        var s = base
        s.overrides = [.add("bob", id: "extra", start: utc("2024-01-08T16:00Z"), end: utc("2024-01-08T19:00Z"))]
        let result = try s.shifts(from: utc("2024-01-08T00:00Z"), to: utc("2024-01-09T00:00Z"), rotations: [:])
        let bob = result.shifts.filter { $0.userId == "bob" }
        #expect(render(bob) == ["bob 2024-01-08T09:00:00Z 2024-01-08T19:00:00Z"])
        #expect(bob.first?.reasons == [
            OnCallReason(kind: .rule, ruleId: "biz"),
            OnCallReason(kind: .override, overrideId: "extra", overrideAction: .add),
        ])
    }

    @Test func temporaryScheduleReplacesRulesAndOverridesAndItsGapsAreEmpty() throws {
        var s = base
        s.overrides = [.add("dave", id: "add", start: utc("2024-01-08T00:00Z"), end: utc("2024-01-09T00:00Z"))]
        s.temporarySchedules = [TemporarySchedule(
            id: "t", start: utc("2024-01-08T10:00Z"), end: utc("2024-01-08T18:00Z"),
            shifts: [
                .init(start: utc("2024-01-08T10:00Z"), end: utc("2024-01-08T12:00Z"), userId: "erin"),
                .init(start: utc("2024-01-08T14:00Z"), end: utc("2024-01-08T18:00Z"), userId: "frank"),
            ])]
        #expect(try users(s.onCall(at: utc("2024-01-08T09:59Z"), rotations: [:])) == ["alice", "bob", "dave"])
        #expect(try users(s.onCall(at: utc("2024-01-08T10:00Z"), rotations: [:])) == ["erin"])
        #expect(try s.onCall(at: utc("2024-01-08T13:00Z"), rotations: [:]).isEmpty)
        #expect(try users(s.onCall(at: utc("2024-01-08T18:00Z"), rotations: [:])) == ["alice", "dave"])
        let result = try s.shifts(from: utc("2024-01-08T08:00Z"), to: utc("2024-01-08T20:00Z"), rotations: [:])
        #expect(result.gaps == [Gap(start: utc("2024-01-08T12:00Z"), end: utc("2024-01-08T14:00Z"))])
        #expect(render(result.shifts) == [
            "alice 2024-01-08T08:00:00Z 2024-01-08T10:00:00Z",
            "dave 2024-01-08T08:00:00Z 2024-01-08T10:00:00Z",
            "bob 2024-01-08T09:00:00Z 2024-01-08T10:00:00Z",
            "erin 2024-01-08T10:00:00Z 2024-01-08T12:00:00Z",
            "frank 2024-01-08T14:00:00Z 2024-01-08T18:00:00Z",
            "alice 2024-01-08T18:00:00Z 2024-01-08T20:00:00Z",
            "dave 2024-01-08T18:00:00Z 2024-01-08T20:00:00Z",
        ])
        #expect(result.shifts[3].reasons == [OnCallReason(kind: .temporarySchedule, temporaryScheduleId: "t")])
    }

    @Test func emptyRangeAndUnknownReferencesThrow() {
        #expect(throws: SchedulingError.emptyRange) {
            try base.shifts(from: utc("2024-01-08T00:00Z"), to: utc("2024-01-08T00:00Z"), rotations: [:])
        }
        let s = Schedule(id: "s", timeZone: "UTC", rules: [ScheduleRule(id: "r", target: .rotation("missing"))])
        #expect(throws: SchedulingError.unknownRotation("missing")) { try s.onCall(at: utc("2024-01-08T00:00Z"), rotations: [:]) }
        let zoneless = Schedule(id: "s", timeZone: "Mars/Olympus_Mons")
        #expect(throws: SchedulingError.unknownTimeZone("Mars/Olympus_Mons")) { try zoneless.onCall(at: .now, rotations: [:]) }
    }
}
