/// Which participant holds each shift of a rotation's grid, in either advance mode.
struct RotationTurns: Sendable {
    let rotation: Rotation
    let grid: RotationGrid
    /// Set for `byActiveShift` under a rule with windows: only shifts with active time take a turn.
    let activity: RuleActivity?

    init(rotation: Rotation, zone: ZoneRules, activity: RuleActivity?) {
        self.rotation = rotation
        self.grid = RotationGrid(rotation: rotation, zone: zone)
        if rotation.advanceMode == .byActiveShift, let activity, !activity.isAlwaysActive {
            self.activity = activity
        } else {
            self.activity = nil
        }
    }

    /// The turn number of shift `k`, counted from the anchor (turn 0): `k` by calendar, or the
    /// signed number of active shifts between the anchor and `k` (see `AdvanceMode`).
    func turn(ofShift k: Int) -> Int {
        guard let activity else { return k }
        return k >= 0 ? activeShiftCount(activity, from: 0, to: k) : -activeShiftCount(activity, from: k, to: 0)
    }

    /// The participant index holding a turn.
    func participantIndex(turn: Int) -> Int {
        floorMod(rotation.anchor.participantIndex + turn, rotation.participants.count)
    }

    /// Number of grid shifts in `[k0, k1)` during which the rule is active at some instant.
    ///
    /// Exact, without walking every window since the anchor: where neither zone changes its
    /// offset, the grid and the weekly windows both repeat after `grid.weeklyPeriod`, so a stretch
    /// of whole periods free of transitions counts the same as the first period of that stretch.
    /// Periods near a transition, and partial periods, are counted window by window. A month or
    /// a week clear of transitions always contains an occurrence of every window.
    func activeShiftCount(_ activity: RuleActivity, from k0: Int, to k1: Int) -> Int {
        guard k0 < k1 else { return 0 }
        guard activity.hasWindows else { return 0 }
        // Window occurrences that touch a shift start within about two days of it.
        let margin = 4 * CivilCalendar.secondsPerDay
        func nextTransition(after instant: Double) -> Double {
            min(grid.zone.nextTransition(after: instant) ?? .infinity, activity.zone.nextTransition(after: instant) ?? .infinity)
        }
        guard let period = grid.weeklyPeriod else {
            var count = 0
            for k in k0..<k1 {
                let start = grid.handoff(k)
                let end = grid.handoff(k + 1)
                count += nextTransition(after: start - margin) > end + margin ? 1 : countByWindows(activity, from: k, to: k + 1)
            }
            return count
        }
        var count = 0
        var k = k0
        var cleanPeriodCount: Int?
        while k < k1 {
            let end = min(k + period.shifts, k1)
            let start = grid.handoff(k)
            let next = nextTransition(after: start - margin)
            let isWholeAndClean = end - k == period.shifts && next > grid.handoff(end) + margin
            if isWholeAndClean, let perPeriod = cleanPeriodCount {
                // Periods j = 0..<m stay clear while start + (j+1)·seconds + margin < next.
                let remaining = (k1 - k) / period.shifts
                var m = remaining
                if next.isFinite {
                    let fit = ((next - margin - start) / period.seconds).rounded(.down)
                    if fit < Double(remaining) {
                        m = Int(fit)
                        if start + Double(m) * period.seconds + margin >= next { m -= 1 }
                    }
                }
                m = max(1, m)
                count += m * perPeriod
                k += m * period.shifts
                continue
            }
            let c = countByWindows(activity, from: k, to: end)
            cleanPeriodCount = isWholeAndClean ? c : nil
            count += c
            k = end
        }
        return count
    }

    /// The same count, by walking every active period in `[h(k0), h(k1))`.
    func countByWindows(_ activity: RuleActivity, from k0: Int, to k1: Int) -> Int {
        guard k0 < k1 else { return 0 }
        var covered = k0 - 1
        var count = 0
        for period in activity.activePeriods(from: grid.handoff(k0), to: grid.handoff(k1)) {
            let first = max(grid.index(containing: period.start), covered + 1)
            var last = grid.index(containing: period.end)
            if grid.handoff(last) >= period.end { last -= 1 }
            if last >= first {
                count += last - first + 1
                covered = last
            }
        }
        return count
    }
}
