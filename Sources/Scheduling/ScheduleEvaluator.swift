import Foundation

/// A schedule compiled for computation: zones resolved, rules and rotations attached.
/// Built per call; everything is derived from its inputs.
struct ScheduleEvaluator: Sendable {
    /// One user put on call, and why.
    struct Assignment: Sendable {
        var userId: String
        var reason: OnCallReason
    }

    /// An assignment over `[start, end)`.
    struct Contribution: Sendable {
        var start: Double
        var end: Double
        var assignment: Assignment
    }

    private struct CompiledRule: Sendable {
        var rule: ScheduleRule
        var activity: RuleActivity
        var turns: RotationTurns?
    }

    private struct TimedOverride: Sendable {
        var start: Double
        var end: Double
        var override: ScheduleOverride
    }

    private struct Temporary: Sendable {
        var start: Double
        var end: Double
        /// Shifts clipped to the temporary schedule's span.
        var shifts: [Contribution]
    }

    private let schedule: Schedule
    private let rules: [CompiledRule]

    init(schedule: Schedule, rotations: [String: Rotation]) throws(SchedulingError) {
        guard let zone = ZoneRules.named(schedule.timeZone) else {
            throw .unknownTimeZone(schedule.timeZone)
        }
        self.schedule = schedule
        var compiled: [CompiledRule] = []
        compiled.reserveCapacity(schedule.rules.count)
        for rule in schedule.rules {
            let activity = RuleActivity(windows: rule.windows, zone: zone)
            var turns: RotationTurns?
            if rule.target.kind == .rotation {
                guard let rotation = rotations[rule.target.id] else { throw .unknownRotation(rule.target.id) }
                turns = try Self.turns(for: rotation, activity: activity)
            }
            compiled.append(CompiledRule(rule: rule, activity: activity, turns: turns))
        }
        rules = compiled
    }

    /// Overrides in application order (by start, ties in list order), empty spans dropped.
    private func timedOverrides() -> [TimedOverride] {
        schedule.overrides.enumerated()
            .filter { $0.element.start < $0.element.end }
            .sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }
            .map { TimedOverride(start: $0.element.start.timeIntervalSince1970, end: $0.element.end.timeIntervalSince1970, override: $0.element) }
    }

    private func timedTemporaries() -> [Temporary] {
        schedule.temporarySchedules.filter { $0.start < $0.end }.map { temporary in
            let start = temporary.start.timeIntervalSince1970
            let end = temporary.end.timeIntervalSince1970
            let reason = OnCallReason(kind: .temporarySchedule, temporaryScheduleId: temporary.id)
            let shifts = temporary.shifts.compactMap { shift -> Contribution? in
                let s = max(shift.start.timeIntervalSince1970, start)
                let e = min(shift.end.timeIntervalSince1970, end)
                return s < e ? Contribution(start: s, end: e, assignment: Assignment(userId: shift.userId, reason: reason)) : nil
            }
            return Temporary(start: start, end: end, shifts: shifts)
        }
    }

    /// Checks a rotation and prepares its turns under a rule.
    static func turns(for rotation: Rotation, activity: RuleActivity?) throws(SchedulingError) -> RotationTurns {
        guard let zone = ZoneRules.named(rotation.timeZone), rotation.isComputable else {
            throw .invalidRotation(id: rotation.id, errors: rotation.validate())
        }
        return RotationTurns(rotation: rotation, zone: zone, activity: activity)
    }

    // MARK: - At one instant

    func onCall(at instant: Double) -> [OnCallEntry] {
        let at = Date(timeIntervalSince1970: instant)
        if schedule.temporarySchedules.contains(where: { $0.start <= at && at < $0.end }) {
            var base: [Assignment] = []
            for temporary in schedule.temporarySchedules where temporary.start <= at && at < temporary.end {
                let reason = OnCallReason(kind: .temporarySchedule, temporaryScheduleId: temporary.id)
                for shift in temporary.shifts where shift.start <= at && at < shift.end {
                    base.append(Assignment(userId: shift.userId, reason: reason))
                }
            }
            return Self.resolve(base: base, overrides: [])
        }
        var base: [Assignment] = []
        for compiled in rules where compiled.activity.isActive(at: instant) {
            if let turns = compiled.turns {
                let k = turns.grid.index(containing: instant)
                base.append(Self.assignment(compiled.rule, turns, participant: turns.participantIndex(turn: turns.turn(ofShift: k))))
            } else {
                base.append(Assignment(userId: compiled.rule.target.id, reason: OnCallReason(kind: .rule, ruleId: compiled.rule.id)))
            }
        }
        var active: [(offset: Int, element: ScheduleOverride)] = []
        for (i, override) in schedule.overrides.enumerated() where override.start <= at && at < override.end {
            active.append((i, override))
        }
        if active.count > 1 { active.sort { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) } }
        return Self.resolve(base: base, overrides: active.map(\.element))
    }

    private static func assignment(_ rule: ScheduleRule, _ turns: RotationTurns, participant: Int) -> Assignment {
        Assignment(
            userId: turns.rotation.participants[participant],
            reason: OnCallReason(kind: .rule, ruleId: rule.id, rotationId: turns.rotation.id, participantIndex: participant))
    }

    /// Applies overrides, in order, to what the rules put on call. Sorted by user id.
    static func resolve(base: [Assignment], overrides: [ScheduleOverride]) -> [OnCallEntry] {
        var entries: [OnCallEntry] = []
        func put(_ userId: String, _ reason: OnCallReason) {
            if let i = entries.firstIndex(where: { $0.userId == userId }) {
                if !entries[i].reasons.contains(reason) { entries[i].reasons.append(reason) }
            } else {
                entries.append(OnCallEntry(userId: userId, reasons: [reason]))
            }
        }
        for assignment in base { put(assignment.userId, assignment.reason) }
        for override in overrides {
            switch override.action {
            case .add:
                if let user = override.addUserId {
                    put(user, OnCallReason(kind: .override, overrideId: override.id, overrideAction: .add))
                }
            case .remove:
                if let user = override.removeUserId { entries.removeAll { $0.userId == user } }
            case .replace:
                // Only where the replaced user is actually on call.
                if let removed = override.removeUserId, let added = override.addUserId,
                   entries.contains(where: { $0.userId == removed }) {
                    entries.removeAll { $0.userId == removed }
                    put(added, OnCallReason(kind: .override, overrideId: override.id, overrideAction: .replace, replacedUserId: removed))
                }
            }
        }
        entries.sort { $0.userId < $1.userId }
        return entries
    }

    // MARK: - Over a range

    /// What the rules alone put on call in `[from, to)`, as intervals.
    private func ruleContributions(from: Double, to: Double) -> [Contribution] {
        var result: [Contribution] = []
        for compiled in rules {
            let periods = compiled.activity.activePeriods(from: from, to: to)
            guard let turns = compiled.turns else {
                let assignment = Assignment(userId: compiled.rule.target.id, reason: OnCallReason(kind: .rule, ruleId: compiled.rule.id))
                for period in periods { result.append(Contribution(start: period.start, end: period.end, assignment: assignment)) }
                continue
            }
            // Every active grid shift between two touched ones is itself touched by a period in
            // the range, so after the first, turns advance by one per newly touched shift.
            var last: (shift: Int, turn: Int)?
            for period in periods {
                var start = period.start
                var k = turns.grid.index(containing: start)
                while start < period.end {
                    let end = min(period.end, turns.grid.handoff(k + 1))
                    let turn: Int
                    if let last, last.shift == k {
                        turn = last.turn
                    } else if let last, turns.activity != nil {
                        turn = last.turn + 1
                    } else {
                        turn = turns.turn(ofShift: k)
                    }
                    last = (k, turn)
                    result.append(Contribution(
                        start: start, end: end,
                        assignment: Self.assignment(compiled.rule, turns, participant: turns.participantIndex(turn: turn))))
                    start = end
                    k += 1
                }
            }
        }
        return result
    }

    func shifts(from: Double, to: Double) -> (shifts: [Shift], gaps: [Gap]) {
        let contributions = ruleContributions(from: from, to: to)
        // Sort and sweep indices: contributions are large values, indices are cheap to move.
        let order = contributions.indices.sorted { contributions[$0].start < contributions[$1].start }
        let overridesInRange = timedOverrides().filter { $0.start < to && $0.end > from }
        let temporariesInRange = timedTemporaries().filter { $0.start < to && $0.end > from }
        let temporaryShifts = temporariesInRange.flatMap(\.shifts).filter { $0.start < to && $0.end > from }
            .sorted { $0.start < $1.start }

        var boundaries: [Double] = [from, to]
        for c in contributions { boundaries.append(c.start); boundaries.append(c.end) }
        for o in overridesInRange { boundaries.append(o.start); boundaries.append(o.end) }
        for t in temporariesInRange { boundaries.append(t.start); boundaries.append(t.end) }
        for s in temporaryShifts { boundaries.append(s.start); boundaries.append(s.end) }
        boundaries = boundaries.filter { $0 >= from && $0 <= to }
        boundaries.sort()

        var activeContributions: [Int] = []
        var nextContribution = 0
        var activeTemporaryShifts: [Contribution] = []
        var nextTemporaryShift = 0
        var activeOverrides: [TimedOverride] = []
        var nextOverride = 0
        var base: [Assignment] = []
        var runs = RunBuilder()
        var previous = -Double.infinity
        for b in boundaries where b < to && b > previous {
            previous = b
            while nextContribution < order.count, contributions[order[nextContribution]].start <= b {
                activeContributions.append(order[nextContribution])
                nextContribution += 1
            }
            activeContributions.removeAll { contributions[$0].end <= b }
            while nextTemporaryShift < temporaryShifts.count, temporaryShifts[nextTemporaryShift].start <= b {
                activeTemporaryShifts.append(temporaryShifts[nextTemporaryShift])
                nextTemporaryShift += 1
            }
            activeTemporaryShifts.removeAll { $0.end <= b }

            // Overrides enter in application order, so the active list keeps that order.
            while nextOverride < overridesInRange.count, overridesInRange[nextOverride].start <= b {
                activeOverrides.append(overridesInRange[nextOverride])
                nextOverride += 1
            }
            activeOverrides.removeAll { $0.end <= b }

            let entries: [OnCallEntry]
            base.removeAll(keepingCapacity: true)
            if temporariesInRange.contains(where: { $0.start <= b && b < $0.end }) {
                for shift in activeTemporaryShifts { base.append(shift.assignment) }
                entries = Self.resolve(base: base, overrides: [])
            } else {
                for i in activeContributions { base.append(contributions[i].assignment) }
                entries = Self.resolve(base: base, overrides: activeOverrides.map(\.override))
            }
            runs.segment(at: b, entries: entries)
        }
        return runs.finish(at: to)
    }
}
