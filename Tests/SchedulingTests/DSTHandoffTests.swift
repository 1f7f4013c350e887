import Foundation
import Testing
@testable import Scheduling

/// Handoffs around DST changes. Every expected instant was derived by hand from the zone rules:
/// America/Chicago CST −6 / CDT −5 (2024: spring 10 Mar 02:00→03:00 at 08:00Z, fall 3 Nov 02:00→01:00 at 07:00Z);
/// Europe/London GMT / BST +1 (31 Mar 01:00Z, 27 Oct 01:00Z); Europe/Oslo CET +1 / CEST +2 (same instants);
/// Australia/Lord_Howe +10:30 / +11 (2024: fall 7 Apr 02:00→01:30 at 6 Apr 15:00Z, spring 6 Oct 02:00→02:30 at 5 Oct 15:30Z);
/// Asia/Kolkata +5:30 all year.
struct DSTHandoffTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var zone: String
        var count: Int
        var unit: ShiftLength.Unit
        var anchor: String
        var from: String
        var to: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // Chicago
        Case(name: "Chicago daily 09:00 spring: the 9–10 Mar shift is 23 h", zone: "America/Chicago", count: 1, unit: .days,
             anchor: "2024-03-08T09:00", from: "2024-03-08T15:00Z", to: "2024-03-12T14:01Z",
             expected: ["2024-03-08T15:00:00Z", "2024-03-09T15:00:00Z", "2024-03-10T14:00:00Z", "2024-03-11T14:00:00Z", "2024-03-12T14:00:00Z"]),
        Case(name: "Chicago daily 09:00 fall: the 2–3 Nov shift is 25 h", zone: "America/Chicago", count: 1, unit: .days,
             anchor: "2024-11-01T09:00", from: "2024-11-01T14:00Z", to: "2024-11-04T15:01Z",
             expected: ["2024-11-01T14:00:00Z", "2024-11-02T14:00:00Z", "2024-11-03T15:00:00Z", "2024-11-04T15:00:00Z"]),
        Case(name: "Chicago daily 02:30: nonexistent on 10 Mar, moves to 03:30 CDT", zone: "America/Chicago", count: 1, unit: .days,
             anchor: "2024-03-08T02:30", from: "2024-03-08T08:30Z", to: "2024-03-11T07:31Z",
             expected: ["2024-03-08T08:30:00Z", "2024-03-09T08:30:00Z", "2024-03-10T08:30:00Z", "2024-03-11T07:30:00Z"]),
        Case(name: "Chicago daily 01:30: repeated on 3 Nov, first (CDT) occurrence", zone: "America/Chicago", count: 1, unit: .days,
             anchor: "2024-11-01T01:30", from: "2024-11-01T06:30Z", to: "2024-11-05T07:31Z",
             expected: ["2024-11-01T06:30:00Z", "2024-11-02T06:30:00Z", "2024-11-03T06:30:00Z", "2024-11-04T07:30:00Z", "2024-11-05T07:30:00Z"]),
        Case(name: "Chicago weekly Sunday 00:00 spring: 167 h", zone: "America/Chicago", count: 1, unit: .weeks,
             anchor: "2024-03-03T00:00", from: "2024-03-03T06:00Z", to: "2024-03-17T05:01Z",
             expected: ["2024-03-03T06:00:00Z", "2024-03-10T06:00:00Z", "2024-03-17T05:00:00Z"]),
        Case(name: "Chicago weekly Sunday 00:00 fall: 169 h", zone: "America/Chicago", count: 1, unit: .weeks,
             anchor: "2024-10-27T00:00", from: "2024-10-27T05:00Z", to: "2024-11-10T06:01Z",
             expected: ["2024-10-27T05:00:00Z", "2024-11-03T05:00:00Z", "2024-11-10T06:00:00Z"]),
        Case(name: "Chicago weekly Sunday 02:30 lands in the gap", zone: "America/Chicago", count: 1, unit: .weeks,
             anchor: "2024-03-03T02:30", from: "2024-03-03T08:30Z", to: "2024-03-17T07:31Z",
             expected: ["2024-03-03T08:30:00Z", "2024-03-10T08:30:00Z", "2024-03-17T07:30:00Z"]),
        Case(name: "Chicago 3-hour rotation counts elapsed hours across spring-forward", zone: "America/Chicago", count: 3, unit: .hours,
             anchor: "2024-03-10T00:00", from: "2024-03-10T06:00Z", to: "2024-03-10T12:01Z",
             expected: ["2024-03-10T06:00:00Z", "2024-03-10T09:00:00Z", "2024-03-10T12:00:00Z"]),
        Case(name: "Chicago 3-hour rotation counts elapsed hours across fall-back", zone: "America/Chicago", count: 3, unit: .hours,
             anchor: "2024-11-03T00:00", from: "2024-11-03T05:00Z", to: "2024-11-03T11:01Z",
             expected: ["2024-11-03T05:00:00Z", "2024-11-03T08:00:00Z", "2024-11-03T11:00:00Z"]),
        Case(name: "Chicago hourly anchored in the gap (02:30 → 03:30 CDT)", zone: "America/Chicago", count: 3, unit: .hours,
             anchor: "2024-03-10T02:30", from: "2024-03-10T08:30Z", to: "2024-03-10T11:31Z",
             expected: ["2024-03-10T08:30:00Z", "2024-03-10T11:30:00Z"]),
        Case(name: "Chicago monthly on the 10th at 02:30: gap in March only", zone: "America/Chicago", count: 1, unit: .months,
             anchor: "2024-02-10T02:30", from: "2024-02-10T08:30Z", to: "2024-04-10T07:31Z",
             expected: ["2024-02-10T08:30:00Z", "2024-03-10T08:30:00Z", "2024-04-10T07:30:00Z"]),
        // London
        Case(name: "London daily 01:00: start of the gap on 31 Mar → 02:00 BST", zone: "Europe/London", count: 1, unit: .days,
             anchor: "2024-03-30T01:00", from: "2024-03-30T01:00Z", to: "2024-04-01T00:01Z",
             expected: ["2024-03-30T01:00:00Z", "2024-03-31T01:00:00Z", "2024-04-01T00:00:00Z"]),
        Case(name: "London monthly from 31 Jan 09:00 clamps to 29 Feb and 30 Apr", zone: "Europe/London", count: 1, unit: .months,
             anchor: "2024-01-31T09:00", from: "2024-01-31T09:00Z", to: "2024-05-31T08:01Z",
             expected: ["2024-01-31T09:00:00Z", "2024-02-29T09:00:00Z", "2024-03-31T08:00:00Z", "2024-04-30T08:00:00Z", "2024-05-31T08:00:00Z"]),
        Case(name: "London monthly from 31 Jan 2023 clamps to 28 Feb", zone: "Europe/London", count: 1, unit: .months,
             anchor: "2023-01-31T09:00", from: "2023-01-31T09:00Z", to: "2023-03-31T08:01Z",
             expected: ["2023-01-31T09:00:00Z", "2023-02-28T09:00:00Z", "2023-03-31T08:00:00Z"]),
        Case(name: "London monthly 01:30 on the 31st: in the gap on 31 Mar", zone: "Europe/London", count: 1, unit: .months,
             anchor: "2024-01-31T01:30", from: "2024-01-31T01:30Z", to: "2024-04-30T00:31Z",
             expected: ["2024-01-31T01:30:00Z", "2024-02-29T01:30:00Z", "2024-03-31T01:30:00Z", "2024-04-30T00:30:00Z"]),
        Case(name: "London monthly 01:30 on the 27th: repeated on 27 Oct, first (BST)", zone: "Europe/London", count: 1, unit: .months,
             anchor: "2024-09-27T01:30", from: "2024-09-27T00:30Z", to: "2024-11-27T01:31Z",
             expected: ["2024-09-27T00:30:00Z", "2024-10-27T00:30:00Z", "2024-11-27T01:30:00Z"]),
        Case(name: "London 2-month rotation from 31 Aug: 31 Oct, 31 Dec, then clamps to 29 Feb", zone: "Europe/London", count: 2, unit: .months,
             anchor: "2023-08-31T12:00", from: "2023-08-31T11:00Z", to: "2024-03-01T00:00Z",
             expected: ["2023-08-31T11:00:00Z", "2023-10-31T12:00:00Z", "2023-12-31T12:00:00Z", "2024-02-29T12:00:00Z"]),
        // Oslo
        Case(name: "Oslo daily 02:30: gap on 31 Mar → 03:30 CEST", zone: "Europe/Oslo", count: 1, unit: .days,
             anchor: "2024-03-30T02:30", from: "2024-03-30T01:30Z", to: "2024-04-01T00:31Z",
             expected: ["2024-03-30T01:30:00Z", "2024-03-31T01:30:00Z", "2024-04-01T00:30:00Z"]),
        Case(name: "Oslo daily 02:30: repeated on 27 Oct, first (CEST), then a 25 h shift", zone: "Europe/Oslo", count: 1, unit: .days,
             anchor: "2024-10-26T02:30", from: "2024-10-26T00:30Z", to: "2024-10-28T01:31Z",
             expected: ["2024-10-26T00:30:00Z", "2024-10-27T00:30:00Z", "2024-10-28T01:30:00Z"]),
        Case(name: "Oslo weekly Monday 08:00 across spring: 167 h", zone: "Europe/Oslo", count: 1, unit: .weeks,
             anchor: "2024-03-25T08:00", from: "2024-03-25T07:00Z", to: "2024-04-01T06:01Z",
             expected: ["2024-03-25T07:00:00Z", "2024-04-01T06:00:00Z"]),
        Case(name: "Oslo 2-hour rotation across fall-back", zone: "Europe/Oslo", count: 2, unit: .hours,
             anchor: "2024-10-27T00:00", from: "2024-10-26T22:00Z", to: "2024-10-27T04:01Z",
             expected: ["2024-10-26T22:00:00Z", "2024-10-27T00:00:00Z", "2024-10-27T02:00:00Z", "2024-10-27T04:00:00Z"]),
        // Lord Howe: 30-minute DST
        Case(name: "Lord Howe daily 02:15: gap on 6 Oct → 02:45, then a 23.5 h shift", zone: "Australia/Lord_Howe", count: 1, unit: .days,
             anchor: "2024-10-04T02:15", from: "2024-10-03T15:45Z", to: "2024-10-06T15:16Z",
             expected: ["2024-10-03T15:45:00Z", "2024-10-04T15:45:00Z", "2024-10-05T15:45:00Z", "2024-10-06T15:15:00Z"]),
        Case(name: "Lord Howe daily 09:00 spring: 23.5 h", zone: "Australia/Lord_Howe", count: 1, unit: .days,
             anchor: "2024-10-05T09:00", from: "2024-10-04T22:30Z", to: "2024-10-06T22:01Z",
             expected: ["2024-10-04T22:30:00Z", "2024-10-05T22:00:00Z", "2024-10-06T22:00:00Z"]),
        Case(name: "Lord Howe daily 01:45: repeated on 7 Apr, first (+11), then 24.5 h", zone: "Australia/Lord_Howe", count: 1, unit: .days,
             anchor: "2024-04-05T01:45", from: "2024-04-04T14:45Z", to: "2024-04-07T15:16Z",
             expected: ["2024-04-04T14:45:00Z", "2024-04-05T14:45:00Z", "2024-04-06T14:45:00Z", "2024-04-07T15:15:00Z"]),
        Case(name: "Lord Howe 3-hour rotation across spring: 00:00, 03:30, 06:30 local", zone: "Australia/Lord_Howe", count: 3, unit: .hours,
             anchor: "2024-10-06T00:00", from: "2024-10-05T13:30Z", to: "2024-10-05T19:31Z",
             expected: ["2024-10-05T13:30:00Z", "2024-10-05T16:30:00Z", "2024-10-05T19:30:00Z"]),
        Case(name: "Lord Howe weekly Sunday 02:15 in the gap", zone: "Australia/Lord_Howe", count: 1, unit: .weeks,
             anchor: "2024-09-29T02:15", from: "2024-09-28T15:45Z", to: "2024-10-12T15:16Z",
             expected: ["2024-09-28T15:45:00Z", "2024-10-05T15:45:00Z", "2024-10-12T15:15:00Z"]),
        Case(name: "Lord Howe monthly on the 6th at 02:15", zone: "Australia/Lord_Howe", count: 1, unit: .months,
             anchor: "2024-09-06T02:15", from: "2024-09-05T15:45Z", to: "2024-11-05T15:16Z",
             expected: ["2024-09-05T15:45:00Z", "2024-10-05T15:45:00Z", "2024-11-05T15:15:00Z"]),
        // Kolkata: no DST, +5:30
        Case(name: "Kolkata daily 09:00 is always 03:30Z", zone: "Asia/Kolkata", count: 1, unit: .days,
             anchor: "2024-03-08T09:00", from: "2024-03-08T03:30Z", to: "2024-03-11T03:31Z",
             expected: ["2024-03-08T03:30:00Z", "2024-03-09T03:30:00Z", "2024-03-10T03:30:00Z", "2024-03-11T03:30:00Z"]),
        Case(name: "Kolkata weekly Sunday 00:00", zone: "Asia/Kolkata", count: 1, unit: .weeks,
             anchor: "2024-10-27T00:00", from: "2024-10-26T18:30Z", to: "2024-11-09T18:31Z",
             expected: ["2024-10-26T18:30:00Z", "2024-11-02T18:30:00Z", "2024-11-09T18:30:00Z"]),
        Case(name: "Kolkata monthly from 31 Jan clamps", zone: "Asia/Kolkata", count: 1, unit: .months,
             anchor: "2024-01-31T09:00", from: "2024-01-31T03:30Z", to: "2024-04-30T03:31Z",
             expected: ["2024-01-31T03:30:00Z", "2024-02-29T03:30:00Z", "2024-03-31T03:30:00Z", "2024-04-30T03:30:00Z"]),
        Case(name: "Kolkata 5-hour rotation", zone: "Asia/Kolkata", count: 5, unit: .hours,
             anchor: "2024-03-10T00:00", from: "2024-03-09T18:30Z", to: "2024-03-10T04:31Z",
             expected: ["2024-03-09T18:30:00Z", "2024-03-09T23:30:00Z", "2024-03-10T04:30:00Z"]),
    ]

    @Test(arguments: cases)
    func handoffsMatchHandDerivedInstants(_ c: Case) throws {
        let r = rotation(zone: c.zone, ["a", "b", "c"], every: c.count, c.unit, anchor: c.anchor)
        #expect(try handoffs(r, from: c.from, to: c.to) == c.expected)
    }

    @Test(arguments: cases)
    func shiftAtEachHandoffStartsThere(_ c: Case) throws {
        let r = rotation(zone: c.zone, ["a", "b", "c"], every: c.count, c.unit, anchor: c.anchor)
        for (k, start) in c.expected.enumerated() {
            let shift = try r.shift(at: utc(start))
            #expect(iso(shift.start) == start)
            #expect(shift.participantIndex == k % 3)
            // Half-open: one second earlier belongs to the previous shift.
            let before = try r.shift(at: utc(start).addingTimeInterval(-1))
            #expect(iso(before.end) == start)
            #expect(before.participantIndex == (k + 2) % 3)
        }
    }

    @Test func hoursRotationShiftsAlwaysLastTheirElapsedLength() throws {
        // An `hours` rotation counts elapsed hours, so a 3-hour shift is never 2 or 4 hours long;
        // its local end times move instead (00:00 → 04:00 CDT on spring-forward day).
        let r = rotation(zone: "America/Chicago", ["a", "b"], every: 3, .hours, anchor: "2024-03-09T00:00")
        for range in [("2024-03-09T06:00Z", "2024-03-11T06:00Z"), ("2024-11-02T06:00Z", "2024-11-04T06:00Z")] {
            let shifts = try r.shifts(from: utc(range.0), to: utc(range.1))
            #expect(shifts.count == 16)
            for shift in shifts { #expect(shift.end.timeIntervalSince(shift.start) == 3 * 3600) }
        }
    }

    @Test func rotationAnchoredLongAgoStillLandsOnTheLocalTime() throws {
        // 20 years of daily handoffs computed arithmetically, not by iteration.
        let r = rotation(zone: "Europe/Oslo", ["a", "b", "c"], every: 1, .days, anchor: "2004-01-01T08:00")
        let shift = try r.shift(at: utc("2024-07-01T12:00Z"))
        #expect(iso(shift.start) == "2024-07-01T06:00:00Z")
        #expect(iso(shift.end) == "2024-07-02T06:00:00Z")
        // 2004-01-01 → 2024-07-01 is 7487 days; 7487 mod 3 = 2.
        #expect(shift.userId == "c")
    }
}
