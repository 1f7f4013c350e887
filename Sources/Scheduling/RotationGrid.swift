/// The handoff instants `h(k)` of a rotation for every integer `k`, with `h(0)` at the anchor,
/// computed arithmetically (no iteration from the anchor).
struct RotationGrid: Sendable {
    private enum Kind: Sendable {
        /// `hours`: elapsed time from the anchor instant.
        case elapsed(anchor: Double, period: Double)
        /// `days` / `weeks`: the anchor's local time on every `step`-th local day.
        case days(anchorDay: Int, timeOfDay: Double, step: Int)
        /// `months`: the anchor's local day (clamped) and time in every `step`-th month.
        case months(anchorMonth: Int, day: Int, timeOfDay: Double, step: Int)
    }

    let zone: ZoneRules
    private let kind: Kind

    init(rotation: Rotation, zone: ZoneRules) {
        self.zone = zone
        let anchor = rotation.anchor.start
        let count = rotation.shiftLength.count
        let timeOfDay = Double(anchor.time.secondsOfDay)
        switch rotation.shiftLength.unit {
        case .hours:
            kind = .elapsed(anchor: zone.instant(local: anchor.localSeconds), period: Double(count) * 3600)
        case .days:
            kind = .days(anchorDay: anchor.dayNumber, timeOfDay: timeOfDay, step: count)
        case .weeks:
            kind = .days(anchorDay: anchor.dayNumber, timeOfDay: timeOfDay, step: 7 * count)
        case .months:
            kind = .months(anchorMonth: anchor.year * 12 + anchor.month - 1, day: anchor.day, timeOfDay: timeOfDay, step: count)
        }
    }

    /// How the grid repeats while UTC offsets stay constant: every `shifts` shifts it advances by
    /// `seconds`, a whole number of weeks, so a weekly window pattern lines up again.
    /// Nil for months, which have no fixed length.
    var weeklyPeriod: (shifts: Int, seconds: Double)? {
        switch kind {
        case .elapsed(_, let period):
            let hours = Int(period / 3600)
            let shifts = 168 / gcd(hours, 168)
            return (shifts, Double(shifts) * period)
        case .days(_, _, let step):
            let shifts = 7 / gcd(step, 7)
            return (shifts, Double(shifts * step) * CivilCalendar.secondsPerDay)
        case .months:
            return nil
        }
    }

    private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The instant of handoff `k` (start of shift `k`).
    func handoff(_ k: Int) -> Double {
        switch kind {
        case .elapsed(let anchor, let period):
            return anchor + Double(k) * period
        case .days(let anchorDay, let timeOfDay, let step):
            return zone.instant(local: Double(anchorDay + k * step) * CivilCalendar.secondsPerDay + timeOfDay)
        case .months(let anchorMonth, let anchorDay, let timeOfDay, let step):
            let month = anchorMonth + k * step
            let year = floorDiv(month, 12)
            let monthOfYear = floorMod(month, 12) + 1
            let day = min(anchorDay, CivilCalendar.daysInMonth(year: year, month: monthOfYear))
            let dayNumber = CivilCalendar.dayNumber(year: year, month: monthOfYear, day: day)
            return zone.instant(local: Double(dayNumber) * CivilCalendar.secondsPerDay + timeOfDay)
        }
    }

    /// The `k` with `h(k) <= instant < h(k+1)`. Handoffs are strictly increasing (consecutive
    /// local handoffs are at least a day apart, far more than any DST shift), so an estimate from
    /// local time needs at most a step or two of correction.
    func index(containing instant: Double) -> Int {
        var k: Int
        switch kind {
        case .elapsed(let anchor, let period):
            k = Int(((instant - anchor) / period).rounded(.down))
        case .days(let anchorDay, let timeOfDay, let step):
            let elapsedLocal = zone.local(instant) - (Double(anchorDay) * CivilCalendar.secondsPerDay + timeOfDay)
            k = Int((elapsedLocal / (Double(step) * CivilCalendar.secondsPerDay)).rounded(.down))
        case .months(let anchorMonth, _, _, let step):
            let date = CivilCalendar.date(fromDayNumber: CivilCalendar.dayNumber(localSeconds: zone.local(instant)))
            k = floorDiv(date.year * 12 + date.month - 1 - anchorMonth, step)
        }
        while handoff(k + 1) <= instant { k += 1 }
        while handoff(k) > instant { k -= 1 }
        return k
    }
}
