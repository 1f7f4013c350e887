import Foundation
import Scheduling

/// Scheduling figures: on-call for 1,000 varied schedules at one instant, and a year of shifts
/// for a schedule with 5 rules and 100 overrides. Each is the median of several runs, after a
/// warm-up run that also fills the per-zone table cache.
func schedulingBenchmarks() throws -> [BenchmarkFigure] {
    let instant = Date(timeIntervalSince1970: 1_733_140_800)  // 2024-12-02T12:00Z, a Monday
    let (schedules, rotations) = benchmarkSchedules(count: 1000, around: instant)
    let onCallMs = try medianMilliseconds(runs: 9) {
        var people = 0
        for schedule in schedules { people += try schedule.onCall(at: instant, rotations: rotations).count }
        precondition(people > 0)
    }

    let (yearSchedule, yearRotations) = benchmarkYearSchedule(start: instant)
    let yearEnd = instant.addingTimeInterval(365 * 86_400)
    let yearMs = try medianMilliseconds(runs: 9) {
        let result = try yearSchedule.shifts(from: instant, to: yearEnd, rotations: yearRotations)
        precondition(!result.shifts.isEmpty)
    }
    return [
        BenchmarkFigure(name: "on-call of 1,000 varied schedules at one instant", value: onCallMs, unit: "ms", goal: "< 10 ms"),
        BenchmarkFigure(name: "one year of shifts, 5 rules + 100 overrides", value: yearMs, unit: "ms", goal: "< 5 ms"),
    ]
}

private func medianMilliseconds(runs: Int, _ body: () throws -> Void) throws -> Double {
    try body()
    var samples: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<runs {
        let elapsed = try clock.measure(body)
        samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
    samples.sort()
    return samples[samples.count / 2]
}

private let benchmarkZones = ["America/Chicago", "Europe/London", "Europe/Oslo", "Australia/Lord_Howe", "Asia/Kolkata", "America/New_York", "UTC"]

/// Deterministic variety: zones, units, both advance modes, business-hours, overnight and
/// always-on rules, anchors from days to a year before the instant, ~10 overrides each and an
/// occasional temporary schedule.
private func benchmarkSchedules(count: Int, around instant: Date) -> ([Schedule], [String: Rotation]) {
    var rotations: [String: Rotation] = [:]
    var schedules: [Schedule] = []
    let units: [(Int, ShiftLength.Unit)] = [(1, .days), (1, .weeks), (12, .hours), (2, .days), (1, .months), (8, .hours)]
    for i in 0..<count {
        let zone = benchmarkZones[i % benchmarkZones.count]
        var rules: [ScheduleRule] = []
        for r in 0..<(1 + i % 4) {
            let windows: [WeeklyWindow]
            switch (i + r) % 3 {
            case 0: windows = [WeeklyWindow(days: Weekday.weekdays, start: LocalTime(hour: 9), end: LocalTime(hour: 17))]
            case 1: windows = [WeeklyWindow(days: [.sunday, .monday, .tuesday, .wednesday, .thursday], start: LocalTime(hour: 22), end: LocalTime(hour: 6))]
            default: windows = []
            }
            if (i + r) % 4 == 3 {
                rules.append(ScheduleRule(id: "r\(r)", target: .user("user\((i + r) % 50)"), windows: windows))
                continue
            }
            let (length, unit) = units[(i + r) % units.count]
            let anchorDay = 20_060 - ((i * 37 + r * 11) % 365)  // up to a year before 2024-12-02
            let date = LocalDateTime(dayNumberForBenchmark: anchorDay, hour: windows.first?.start.hour ?? 9)
            let rotation = Rotation(
                id: "rot-\(i)-\(r)", timeZone: zone, participants: (0..<(3 + (i + r) % 6)).map { "user\(($0 * 7 + i) % 50)" },
                shiftLength: ShiftLength(length, unit), anchor: RotationAnchor(start: date, participantIndex: 0),
                advanceMode: (i + r) % 2 == 0 ? .byActiveShift : .byCalendar)
            rotations[rotation.id] = rotation
            rules.append(ScheduleRule(id: "r\(r)", target: .rotation(rotation.id), windows: windows))
        }
        let overrides = (0..<10).map { o -> ScheduleOverride in
            let start = instant.addingTimeInterval(Double((o - 5) * 86_400 + (i % 7) * 3600))
            let end = start.addingTimeInterval(Double(2 + o % 5) * 3600)
            return o % 3 == 0
                ? .replace("user\(o)", with: "user\(o + 10)", id: "o\(o)", start: start, end: end)
                : .add("user\((o + i) % 50)", id: "o\(o)", start: start, end: end)
        }
        var temporaries: [TemporarySchedule] = []
        if i % 10 == 0 {
            let start = instant.addingTimeInterval(-3600 * Double(i % 48))
            temporaries.append(TemporarySchedule(id: "t", start: start, end: start.addingTimeInterval(86_400), shifts: [
                .init(start: start, end: start.addingTimeInterval(43_200), userId: "user1"),
            ]))
        }
        schedules.append(Schedule(id: "s\(i)", timeZone: zone, rules: rules, overrides: overrides, temporarySchedules: temporaries))
    }
    return (schedules, rotations)
}

/// 5 rules (business hours, nights, weekends, an hourly follow-the-sun rotation and an always-on
/// manager) and 100 overrides spread over the year.
private func benchmarkYearSchedule(start: Date) -> (Schedule, [String: Rotation]) {
    let zone = "Europe/Oslo"
    func rotation(_ id: String, _ length: ShiftLength, _ mode: AdvanceMode, hour: Int) -> Rotation {
        Rotation(
            id: id, timeZone: zone, participants: ["a", "b", "c", "d", "e", "f", "g"], shiftLength: length,
            anchor: RotationAnchor(start: LocalDateTime(year: 2024, month: 9, day: 2, hour: hour), participantIndex: 0),
            advanceMode: mode)
    }
    let rotations = [
        rotation("day", ShiftLength(1, .days), .byActiveShift, hour: 8),
        rotation("night", ShiftLength(1, .weeks), .byCalendar, hour: 17),
        rotation("weekend", ShiftLength(1, .weeks), .byCalendar, hour: 0),
        rotation("sun", ShiftLength(6, .hours), .byCalendar, hour: 0),
    ]
    let rules = [
        ScheduleRule(id: "business", target: .rotation("day"), windows: [WeeklyWindow(days: Weekday.weekdays, start: LocalTime(hour: 8), end: LocalTime(hour: 17))]),
        ScheduleRule(id: "nights", target: .rotation("night"), windows: [WeeklyWindow(days: [.monday, .tuesday, .wednesday, .thursday], start: LocalTime(hour: 17), end: LocalTime(hour: 8))]),
        ScheduleRule(id: "weekend", target: .rotation("weekend"), windows: [WeeklyWindow(days: [.friday], start: LocalTime(hour: 17), end: LocalTime(hour: 24)), WeeklyWindow(days: [.saturday, .sunday], start: LocalTime(hour: 0), end: LocalTime(hour: 24)), WeeklyWindow(days: [.monday], start: LocalTime(hour: 0), end: LocalTime(hour: 8))]),
        ScheduleRule(id: "follow-the-sun", target: .rotation("sun")),
        ScheduleRule(id: "manager", target: .user("manager"), windows: [WeeklyWindow(days: Weekday.weekdays, start: LocalTime(hour: 9), end: LocalTime(hour: 11, minute: 30))]),
    ]
    let overrides = (0..<100).map { o -> ScheduleOverride in
        let begin = start.addingTimeInterval(Double(o) * 3.6 * 86_400 + Double(o % 24) * 3600)
        let end = begin.addingTimeInterval(Double(4 + o % 40) * 3600)
        switch o % 3 {
        case 0: return .add("backup\(o % 5)", id: "o\(o)", start: begin, end: end)
        case 1: return .remove(["a", "b", "c"][o % 3], id: "o\(o)", start: begin, end: end)
        default: return .replace(["d", "e", "f", "g"][o % 4], with: "backup\(o % 5)", id: "o\(o)", start: begin, end: end)
        }
    }
    let schedule = Schedule(id: "year", timeZone: zone, rules: rules, overrides: overrides)
    return (schedule, Dictionary(uniqueKeysWithValues: rotations.map { ($0.id, $0) }))
}

private extension LocalDateTime {
    init(dayNumberForBenchmark dayNumber: Int, hour: Int) {
        // 1970-01-01 plus dayNumber days, via Foundation's UTC calendar (set-up only, not timed).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(dayNumber) * 86_400))
        self.init(year: date.year!, month: date.month!, day: date.day!, hour: hour)
    }
}
