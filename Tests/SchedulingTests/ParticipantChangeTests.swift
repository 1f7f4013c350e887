import Foundation
import Testing
@testable import Scheduling

/// Reordering or removing participants keeps whoever is on call now (daily at 09:00 UTC from
/// Monday 2024-01-01, so on 2024-01-03 participant index 2 is on call).
struct ParticipantChangeTests {
    let r = rotation(zone: "UTC", ["A", "B", "C", "D"], every: 1, .days, anchor: "2024-01-01T09:00")
    let now = utc("2024-01-03T12:00Z")

    @Test func reorderKeepsCurrentPersonAndHandoffs() throws {
        #expect(try r.shift(at: now).userId == "C")
        let updated = try r.replacingParticipants(["D", "C", "B", "A"], keepingOnCallAt: now)
        #expect(try updated.shift(at: now).userId == "C")
        #expect(updated.anchor.start == r.anchor.start)
        // The new order continues from C.
        #expect(try updated.shift(at: utc("2024-01-04T12:00Z")).userId == "B")
        #expect(try updated.shifts(from: utc("2024-01-03T09:00Z"), to: utc("2024-01-06T09:00Z")).map(\.start)
                == r.shifts(from: utc("2024-01-03T09:00Z"), to: utc("2024-01-06T09:00Z")).map(\.start))
    }

    @Test func removingSomeoneElseKeepsCurrentPerson() throws {
        let updated = try r.replacingParticipants(["A", "C", "D"], keepingOnCallAt: now)
        #expect(try updated.shift(at: now).userId == "C")
        #expect(try updated.shift(at: utc("2024-01-04T12:00Z")).userId == "D")
    }

    @Test func removingTheCurrentPersonPassesTheTurnToTheNextInLine() throws {
        let updated = try r.replacingParticipants(["A", "B", "D"], keepingOnCallAt: now)
        #expect(try updated.shift(at: now).userId == "D")
    }

    @Test func repeatedParticipantKeepsTheSameAppearance() throws {
        let dup = rotation(zone: "UTC", ["A", "B", "A", "C"], every: 1, .days, anchor: "2024-01-01T09:00")
        #expect(try dup.shift(at: now).participantIndex == 2)
        let updated = try dup.replacingParticipants(["C", "A", "B", "A"], keepingOnCallAt: now)
        let shift = try updated.shift(at: now)
        #expect(shift.userId == "A")
        #expect(shift.participantIndex == 3)
        #expect(try updated.shift(at: utc("2024-01-04T12:00Z")).userId == "C")
    }

    @Test func byActiveShiftUsesTheRulesTurns() throws {
        // Mon–Fri rule, anchor Monday 1 Jan; on Monday 8 Jan the 6th active shift: index 5 mod 3 = 2.
        let active = rotation(zone: "UTC", ["A", "B", "C"], every: 1, .days, anchor: "2024-01-01T09:00", mode: .byActiveShift)
        let windows = ActiveWindows(timeZone: "UTC", windows: [window(Weekday.weekdays, "09:00", "17:00")])
        let monday = utc("2024-01-08T10:00Z")
        #expect(try active.shift(at: monday, windows: windows).userId == "C")
        let updated = try active.replacingParticipants(["C", "B", "A", "E"], keepingOnCallAt: monday, windows: windows)
        #expect(try updated.shift(at: monday, windows: windows).userId == "C")
        #expect(try updated.shift(at: utc("2024-01-09T10:00Z"), windows: windows).userId == "B")
    }

    @Test func emptyListIsRejected() {
        #expect(throws: SchedulingError.self) { try r.replacingParticipants([], keepingOnCallAt: now) }
    }
}
