import Foundation
@testable import Scheduling

/// Random rotations and schedules for property tests, biased towards DST trouble: zones with
/// 1-hour and 30-minute changes and midnight changes, and local times near 00:00–03:00.
struct RandomConfiguration {
    static let zones = ["America/Chicago", "Europe/London", "Europe/Oslo", "Australia/Lord_Howe", "Asia/Kolkata", "UTC", "America/Santiago"]
    static let users = ["u0", "u1", "u2", "u3", "u4", "u5"]
    /// 2024-01-01T00:00Z.
    static let base = 1_704_067_200.0

    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    mutating func localTime() -> LocalTime {
        let hour = chance(0.5) ? int(0...3) : int(0...23)
        return LocalTime(hour: hour, minute: pick([0, 15, 30, 45]))
    }

    /// An instant in 2024 ± a few months, at whole minutes or with odd seconds.
    mutating func instant() -> Date {
        let minutes = Double(int(-60 * 24 * 60...420 * 24 * 60))
        return Date(timeIntervalSince1970: Self.base + minutes * 60 + (chance(0.2) ? Double(int(1...59)) : 0))
    }

    mutating func rotation(id: String, zone: String) -> Rotation {
        let unit = pick([ShiftLength.Unit.hours, .days, .days, .weeks, .months])
        let count = switch unit {
        case .hours: int(1...12)
        case .days: int(1...6)
        case .weeks: int(1...2)
        case .months: int(1...3)
        }
        let participants = (0..<int(1...5)).map { _ in pick(Self.users) }
        let day = CivilCalendar.date(fromDayNumber: 19_600 + int(0...600))  // 2023-08 … 2025-04
        let time = localTime()
        return Rotation(
            id: id, name: id, timeZone: chance(0.7) ? zone : pick(Self.zones), participants: participants,
            shiftLength: ShiftLength(count, unit),
            anchor: RotationAnchor(
                start: LocalDateTime(year: day.year, month: day.month, day: unit == .months ? min(pick([day.day, 29, 30, 31]), CivilCalendar.daysInMonth(year: day.year, month: day.month)) : day.day,
                                     hour: time.hour, minute: time.minute),
                participantIndex: int(0...(participants.count - 1))),
            advanceMode: chance(0.5) ? .byActiveShift : .byCalendar)
    }

    mutating func window() -> WeeklyWindow {
        let days = Weekday.allCases.filter { _ in chance(0.5) }
        let start = localTime()
        var end = localTime()
        if end == start { end = LocalTime(hour: 24) }
        return WeeklyWindow(days: days.isEmpty ? [pick(Weekday.allCases)] : days, start: start, end: end)
    }

    mutating func override(id: String, from: Date, to: Date) -> ScheduleOverride {
        let span = to.timeIntervalSince(from)
        let start = from.addingTimeInterval(Double(int(-3600...Int(span))))
        let end = start.addingTimeInterval(Double(int(60...max(120, Int(span / 2)))))
        switch int(0...2) {
        case 0: return .add(pick(Self.users), id: id, start: start, end: end)
        case 1: return .remove(pick(Self.users), id: id, start: start, end: end)
        default:
            let removed = pick(Self.users)
            return .replace(removed, with: pick(Self.users.filter { $0 != removed }), id: id, start: start, end: end)
        }
    }

    /// A schedule, its rotations, and a range [from, to) to look at.
    mutating func scenario() -> (schedule: Schedule, rotations: [String: Rotation], from: Date, to: Date) {
        let zone = pick(Self.zones)
        let from = instant()
        let to = from.addingTimeInterval(Double(int(3600...40 * 86_400)))
        var rotations: [String: Rotation] = [:]
        var rules: [ScheduleRule] = []
        for r in 0..<int(0...4) {
            let target: RuleTarget
            if chance(0.6) {
                let rot = rotation(id: "rot\(r)", zone: zone)
                rotations[rot.id] = rot
                target = .rotation(rot.id)
            } else {
                target = .user(pick(Self.users))
            }
            let windows = (0..<(chance(0.2) ? 0 : int(1...3))).map { _ in window() }
            rules.append(ScheduleRule(id: "rule\(r)", target: target, windows: windows))
        }
        let overrides = (0..<int(0...5)).map { override(id: "o\($0)", from: from, to: to) }
        var temporaries: [TemporarySchedule] = []
        if chance(0.3) {
            let start = from.addingTimeInterval(Double(int(0...Int(to.timeIntervalSince(from) / 2))))
            let end = start.addingTimeInterval(Double(int(3600...5 * 86_400)))
            var shifts: [TemporarySchedule.Shift] = []
            var cursor = start
            while cursor < end {
                let length = Double(int(1...12) * 1800)
                let shiftEnd = min(end, cursor.addingTimeInterval(length))
                if chance(0.7) { shifts.append(.init(start: cursor, end: shiftEnd, userId: pick(Self.users))) }
                cursor = shiftEnd
            }
            temporaries.append(TemporarySchedule(id: "tmp", start: start, end: end, shifts: shifts))
        }
        let schedule = Schedule(id: "s", timeZone: zone, rules: rules, overrides: overrides, temporarySchedules: temporaries)
        return (schedule, rotations, from, to)
    }
}
