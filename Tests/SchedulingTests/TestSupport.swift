import Foundation
@testable import Scheduling

/// Parses a literal UTC instant such as "2024-03-10T08:30:00Z" (seconds optional).
func utc(_ text: String) -> Date {
    let full = text.count == 17 ? text.replacingOccurrences(of: "Z", with: ":00Z") : text
    guard let date = try? Date(full, strategy: .iso8601) else { fatalError("bad test instant \(text)") }
    return date
}

/// Formats an instant as "2024-03-10T08:30:00Z" for readable comparisons.
func iso(_ date: Date) -> String {
    date.formatted(.iso8601)
}

func local(_ text: String) -> LocalDateTime {
    guard let value = LocalDateTime(text) else { fatalError("bad local date-time \(text)") }
    return value
}

func time(_ text: String) -> LocalTime {
    guard let value = LocalTime(text) else { fatalError("bad local time \(text)") }
    return value
}

func rotation(
    _ id: String = "rot", zone: String, _ participants: [String], every count: Int, _ unit: ShiftLength.Unit,
    anchor: String, index: Int = 0, mode: AdvanceMode = .byCalendar
) -> Rotation {
    Rotation(
        id: id, name: id, timeZone: zone, participants: participants, shiftLength: ShiftLength(count, unit),
        anchor: RotationAnchor(start: local(anchor), participantIndex: index), advanceMode: mode)
}

func window(_ days: [Weekday], _ start: String, _ end: String) -> WeeklyWindow {
    WeeklyWindow(days: days, start: time(start), end: time(end))
}

/// Handoff instants of a rotation's shifts starting in [from, to).
func handoffs(_ rotation: Rotation, from: String, to: String) throws -> [String] {
    try rotation.shifts(from: utc(from), to: utc(to)).map { iso($0.start) }
}

/// Users on call, sorted.
func users(_ entries: [OnCallEntry]) -> [String] {
    entries.map(\.userId)
}

/// Shifts rendered as "user start end" lines, for exact comparisons.
func render(_ shifts: [Shift]) -> [String] {
    shifts.map { "\($0.userId) \(iso($0.start)) \(iso($0.end))" }
}

/// SplitMix64: a tiny, seedable generator so every property-test failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
