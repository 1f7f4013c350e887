/// When a schedule rule is active: its weekly windows laid onto the schedule zone's calendar.
struct RuleActivity: Sendable {
    /// A window relative to the local midnight of the day it starts on.
    private struct DayWindow: Sendable {
        /// Bit `i` set when the window starts on weekday `i` (0 = Sunday).
        var days: UInt8
        var start: Double
        var end: Double
    }

    let zone: ZoneRules
    /// No windows: active at every instant.
    let isAlwaysActive: Bool
    /// Sorted by start; a flat array keeps construction cheap (it happens per rule per call).
    private let windows: [DayWindow]

    init(windows: [WeeklyWindow], zone: ZoneRules) {
        self.zone = zone
        isAlwaysActive = windows.isEmpty
        var compiled: [DayWindow] = []
        compiled.reserveCapacity(windows.count)
        for window in windows where window.start.secondsOfDay != window.end.secondsOfDay {
            var days: UInt8 = 0
            for day in window.days { days |= 1 << UInt8(day.index) }
            if days != 0 {
                compiled.append(DayWindow(days: days, start: Double(window.start.secondsOfDay), end: Double(window.endSecondsFromStartDay)))
            }
        }
        if compiled.count > 1 { compiled.sort { $0.start < $1.start } }
        self.windows = compiled
    }

    /// True when at least one window has a day and a non-zero length.
    var hasWindows: Bool { !windows.isEmpty }

    /// True when a window covers `instant`. A window starting on local day `d` ends by day `d+1`'s
    /// midnight (plus a possible DST gap), so days `d-2…d` of the instant's local day suffice.
    func isActive(at instant: Double) -> Bool {
        if isAlwaysActive { return true }
        let day = CivilCalendar.dayNumber(localSeconds: zone.local(instant))
        for d in (day - 2)...day {
            let midnight = Double(d) * CivilCalendar.secondsPerDay
            let bit = UInt8(1) << UInt8(CivilCalendar.weekdayIndex(dayNumber: d))
            for window in windows where window.days & bit != 0 {
                if zone.instant(local: midnight + window.start) > instant { break }
                if instant < zone.instant(local: midnight + window.end) { return true }
            }
        }
        return false
    }

    /// The maximal active periods overlapping `[from, to)`, clipped to it, sorted and disjoint
    /// (windows that overlap or touch, such as Mon 22:00–24:00 and Tue 00:00–06:00, merge).
    func activePeriods(from: Double, to: Double) -> [(start: Double, end: Double)] {
        guard from < to else { return [] }
        if isAlwaysActive { return [(from, to)] }
        var raw: [(start: Double, end: Double)] = []
        let firstDay = CivilCalendar.dayNumber(localSeconds: zone.local(from)) - 2
        let lastDay = CivilCalendar.dayNumber(localSeconds: zone.local(to)) + 1
        for d in firstDay...lastDay {
            let midnight = Double(d) * CivilCalendar.secondsPerDay
            let bit = UInt8(1) << UInt8(CivilCalendar.weekdayIndex(dayNumber: d))
            for window in windows where window.days & bit != 0 {
                let start = zone.instant(local: midnight + window.start)
                // A window wholly inside a spring-forward gap can end before it starts: it is empty.
                let end = zone.instant(local: midnight + window.end)
                let clippedStart = max(start, from)
                let clippedEnd = min(end, to)
                if clippedStart < clippedEnd { raw.append((clippedStart, clippedEnd)) }
            }
        }
        raw.sort { $0.start < $1.start }
        var merged: [(start: Double, end: Double)] = []
        merged.reserveCapacity(raw.count)
        for period in raw {
            if let last = merged.last, period.start <= last.end {
                merged[merged.count - 1].end = max(last.end, period.end)
            } else {
                merged.append(period)
            }
        }
        return merged
    }
}
