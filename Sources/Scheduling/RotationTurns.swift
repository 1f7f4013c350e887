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
    func activeShiftCount(_ activity: RuleActivity, from k0: Int, to k1: Int) -> Int {
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
