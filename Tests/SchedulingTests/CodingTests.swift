import Foundation
import Testing
@testable import Scheduling

/// The JSON the API layer will store and return.
struct CodingTests {
    @Test func rotationUsesReadableFields() throws {
        let r = rotation(zone: "Europe/Oslo", ["a", "b"], every: 2, .weeks, anchor: "2024-01-01T09:30", index: 1, mode: .byActiveShift)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(r), as: UTF8.self)
        #expect(json == #"{"advanceMode":"byActiveShift","anchor":{"participantIndex":1,"start":"2024-01-01T09:30"},"id":"rot","name":"rot","participants":["a","b"],"shiftLength":{"count":2,"unit":"weeks"},"timeZone":"Europe\/Oslo"}"#)
        #expect(try JSONDecoder().decode(Rotation.self, from: Data(json.utf8)) == r)
    }

    @Test func scheduleAndResultsRoundTrip() throws {
        let s = Schedule(
            id: "s", name: "SOC", timeZone: "UTC",
            rules: [ScheduleRule(id: "r", target: .user("u"), windows: [window([.sunday], "22:00", "06:00")])],
            overrides: [.replace("u", with: "v", id: "o", start: utc("2024-01-07T23:00Z"), end: utc("2024-01-08T01:00Z"))])
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(Schedule.self, from: encoder.encode(s)) == s)
        let result = try s.shifts(from: utc("2024-01-07T00:00Z"), to: utc("2024-01-09T00:00Z"), rotations: [:])
        #expect(try decoder.decode(ScheduleShifts.self, from: encoder.encode(result)) == result)
        let windowJSON = String(decoding: try encoder.encode(s.rules[0].windows[0]), as: UTF8.self)
        #expect(windowJSON.contains(#""start":"22:00""#) && windowJSON.contains(#""days":["sunday"]"#))
    }

    @Test func malformedLocalTimesAreRejected() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LocalTime.self, from: Data(#""9h30""#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LocalDateTime.self, from: Data(#""2024-01-01 09:30""#.utf8)) }
        #expect(LocalTime("7:05") == LocalTime(hour: 7, minute: 5))
    }
}
