import Foundation
import Scheduling
import Sentinel
import Testing

/// Time-window conditions follow the schedules' zone rules: overnight windows belong to the day
/// they start on, a local time in a spring-forward gap moves forward by the gap, and a repeated
/// fall-back local time means its first occurrence.
@Suite struct RoutingTimeWindowTests {
    static let facts = IncidentFacts(severity: "Low", title: "t")

    /// True when a rule with this single window matches at the UTC instant `iso`.
    func inWindow(_ zone: String, _ days: [Weekday], _ start: String, _ end: String, at iso: String) throws -> Bool {
        let window = ActiveWindows(timeZone: zone, windows: [WeeklyWindow(days: days, start: LocalTime(start)!, end: LocalTime(end)!)])
        let evaluator = try RoutingEvaluator(rules: [RoutingRule(id: "w", name: "window", conditions: .init(timeWindow: window),
                                                                 actions: .init(urgency: .low))])
        let instant = try #require(ISO8601DateFormatter().date(from: iso))
        return evaluator.decide(Self.facts, at: instant) { _, _ in false }.ruleId == "w"
    }

    @Test func overnightWindowBelongsToItsStartDay() throws {
        // Friday 22:00 – Saturday 06:00 in London, winter (UTC+0).
        let check = { (iso: String) in try self.inWindow("Europe/London", [.friday], "22:00", "06:00", at: iso) }
        #expect(try !check("2026-01-09T21:59:00Z"))
        #expect(try check("2026-01-09T22:00:00Z"))
        #expect(try check("2026-01-10T05:59:00Z"))
        #expect(try !check("2026-01-10T06:00:00Z"))
        // Saturday night is not in it: the window starts on Fridays only.
        #expect(try !check("2026-01-10T23:00:00Z"))
        // Thursday night into Friday is not either.
        #expect(try !check("2026-01-09T03:00:00Z"))
    }

    @Test func chicagoSpringForwardShortensTheWindowAndMovesAGapStart() throws {
        // 8 March 2026: 02:00 CST becomes 03:00 CDT (08:00Z). 01:00–04:00 lasts two hours.
        let check = { (iso: String) in try self.inWindow("America/Chicago", [.sunday], "01:00", "04:00", at: iso) }
        #expect(try !check("2026-03-08T06:59:00Z"))
        #expect(try check("2026-03-08T07:00:00Z"))  // 01:00 CST
        #expect(try check("2026-03-08T08:59:00Z"))  // 03:59 CDT
        #expect(try !check("2026-03-08T09:00:00Z"))  // 04:00 CDT
        // 02:30 does not exist that night: the window starts at 03:30 CDT (08:30Z).
        let gap = { (iso: String) in try self.inWindow("America/Chicago", [.sunday], "02:30", "05:00", at: iso) }
        #expect(try !gap("2026-03-08T08:29:00Z"))
        #expect(try gap("2026-03-08T08:30:00Z"))
        #expect(try gap("2026-03-08T09:59:00Z"))
        #expect(try !gap("2026-03-08T10:00:00Z"))
    }

    @Test func chicagoFallBackLengthensTheWindowAndUsesTheFirstOccurrence() throws {
        // 1 November 2026: 02:00 CDT becomes 01:00 CST (07:00Z). 01:00–04:00 lasts four hours.
        let check = { (iso: String) in try self.inWindow("America/Chicago", [.sunday], "01:00", "04:00", at: iso) }
        #expect(try !check("2026-11-01T05:59:00Z"))
        #expect(try check("2026-11-01T06:00:00Z"))  // 01:00 CDT, the first 01:00
        #expect(try check("2026-11-01T07:30:00Z"))  // 01:30 CST, the second 01:30
        #expect(try check("2026-11-01T09:59:00Z"))  // 03:59 CST
        #expect(try !check("2026-11-01T10:00:00Z"))  // 04:00 CST
        // 01:30–01:45 happens twice; the window is the first time only.
        let repeated = { (iso: String) in try self.inWindow("America/Chicago", [.sunday], "01:30", "01:45", at: iso) }
        #expect(try repeated("2026-11-01T06:30:00Z"))
        #expect(try !repeated("2026-11-01T06:45:00Z"))
        #expect(try !repeated("2026-11-01T07:35:00Z"))
    }

    @Test func chicagoOvernightWindowAcrossFallBack() throws {
        // Saturday 31 October 22:00 CDT (03:00Z) to Sunday 06:00 CST (12:00Z): nine hours.
        let check = { (iso: String) in try self.inWindow("America/Chicago", [.saturday], "22:00", "06:00", at: iso) }
        #expect(try !check("2026-11-01T02:59:00Z"))
        #expect(try check("2026-11-01T03:00:00Z"))
        #expect(try check("2026-11-01T11:59:00Z"))
        #expect(try !check("2026-11-01T12:00:00Z"))
    }

    @Test func londonSpringForward() throws {
        // 29 March 2026: 01:00 GMT becomes 02:00 BST (01:00Z). 00:30–02:30 lasts one hour.
        let check = { (iso: String) in try self.inWindow("Europe/London", [.sunday], "00:30", "02:30", at: iso) }
        #expect(try !check("2026-03-29T00:29:00Z"))
        #expect(try check("2026-03-29T00:30:00Z"))
        #expect(try check("2026-03-29T01:29:00Z"))  // 02:29 BST
        #expect(try !check("2026-03-29T01:30:00Z"))  // 02:30 BST
        // 01:30 does not exist: a window from 01:30 starts at 02:30 BST (01:30Z).
        let gap = { (iso: String) in try self.inWindow("Europe/London", [.sunday], "01:30", "03:00", at: iso) }
        #expect(try !gap("2026-03-29T01:29:00Z"))
        #expect(try gap("2026-03-29T01:30:00Z"))
        #expect(try !gap("2026-03-29T02:00:00Z"))  // 03:00 BST
    }

    @Test func londonFallBack() throws {
        // 25 October 2026: 02:00 BST becomes 01:00 GMT (01:00Z). 01:00–03:00 lasts three hours.
        let check = { (iso: String) in try self.inWindow("Europe/London", [.sunday], "01:00", "03:00", at: iso) }
        #expect(try !check("2026-10-24T23:59:00Z"))
        #expect(try check("2026-10-25T00:00:00Z"))  // 01:00 BST
        #expect(try check("2026-10-25T01:30:00Z"))  // 01:30 GMT, the second time
        #expect(try check("2026-10-25T02:59:00Z"))
        #expect(try !check("2026-10-25T03:00:00Z"))  // 03:00 GMT
    }

    @Test func weekdaysDuringSummerTimeUseTheSummerOffset() throws {
        // Weekdays 09:00–17:00 London: in July 09:00 BST is 08:00Z.
        let check = { (iso: String) in try self.inWindow("Europe/London", Weekday.weekdays, "09:00", "17:00", at: iso) }
        #expect(try !check("2026-07-15T07:59:00Z"))
        #expect(try check("2026-07-15T08:00:00Z"))
        #expect(try !check("2026-07-15T16:00:00Z"))
        #expect(try !check("2026-07-18T10:00:00Z"))  // Saturday
    }
}
