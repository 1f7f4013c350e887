import Foundation
import Testing
@testable import Scheduling

/// Windows that cross midnight belong to the day they start on (London is on GMT in January;
/// 2024-01-07 is a Sunday).
struct OvernightWindowTests {
    let sundayNight = Schedule(id: "s", timeZone: "Europe/London", rules: [
        ScheduleRule(id: "r", target: .user("night"), windows: [window([.sunday], "22:00", "06:00")]),
    ])

    @Test(arguments: [
        ("2024-01-07T21:59Z", false),
        ("2024-01-07T22:00Z", true),
        ("2024-01-08T05:59Z", true),
        ("2024-01-08T06:00Z", false),  // half-open
        ("2024-01-07T05:00Z", false),  // Sunday early morning belongs to Saturday's window, not listed
        ("2024-01-08T22:30Z", false),  // Monday night is not listed
    ])
    func sundayNightRunsIntoMonday(_ instant: String, _ expected: Bool) throws {
        #expect(try !sundayNight.onCall(at: utc(instant), rotations: [:]).isEmpty == expected)
    }

    @Test func sundayNightShiftEndsMondayMorning() throws {
        let result = try sundayNight.shifts(from: utc("2024-01-06T00:00Z"), to: utc("2024-01-09T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == ["night 2024-01-07T22:00:00Z 2024-01-08T06:00:00Z"])
        #expect(result.gaps.map { "\(iso($0.start)) \(iso($0.end))" } == [
            "2024-01-06T00:00:00Z 2024-01-07T22:00:00Z",
            "2024-01-08T06:00:00Z 2024-01-09T00:00:00Z",
        ])
    }

    @Test func touchingWindowsMergeIntoOneShift() throws {
        let s = Schedule(id: "s", timeZone: "Europe/London", rules: [
            ScheduleRule(id: "r", target: .user("u"), windows: [
                window([.monday], "22:00", "24:00"),
                window([.tuesday], "00:00", "06:00"),
            ]),
        ])
        let result = try s.shifts(from: utc("2024-01-08T00:00Z"), to: utc("2024-01-10T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == ["u 2024-01-08T22:00:00Z 2024-01-09T06:00:00Z"])
    }

    @Test func saturdayNightIntoSundayAndSundayNightIntoMonday() throws {
        let s = Schedule(id: "s", timeZone: "Europe/London", rules: [
            ScheduleRule(id: "r", target: .user("u"), windows: [window([.saturday, .sunday], "22:00", "06:00")]),
        ])
        let result = try s.shifts(from: utc("2024-01-06T00:00Z"), to: utc("2024-01-09T00:00Z"), rotations: [:])
        #expect(render(result.shifts) == [
            "u 2024-01-06T22:00:00Z 2024-01-07T06:00:00Z",
            "u 2024-01-07T22:00:00Z 2024-01-08T06:00:00Z",
        ])
    }
}
