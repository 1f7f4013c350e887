/// A recurring weekly period in the schedule's zone: on each of `days`, from `start` to `end`
/// local time. When `end` is earlier than `start` the window crosses midnight and ends on the next
/// day; it still belongs to the day it starts on (a Sunday 22:00–06:00 window runs into Monday).
/// `end` may be "24:00" (until midnight); `start == end` is invalid (use 00:00–24:00 for a whole day).
/// Local times follow the gap/fall-back rules, so 01:00–04:00 lasts 2 h on a spring-forward day
/// and 4 h on a fall-back day.
public struct WeeklyWindow: Sendable, Codable, Hashable {
    public var days: [Weekday]
    public var start: LocalTime
    public var end: LocalTime

    public init(days: [Weekday], start: LocalTime, end: LocalTime) {
        self.days = days
        self.start = start
        self.end = end
    }

    /// Seconds from the start day's local midnight to the end.
    var endSecondsFromStartDay: Int {
        end.secondsOfDay > start.secondsOfDay ? end.secondsOfDay : end.secondsOfDay + 86_400
    }
}
