/// A schedule compiled for computation: zones resolved, rotations attached, overrides ordered.
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

    private let rules: [CompiledRule]
    /// In application order: by start, ties in list order; empty spans dropped.
    private let overrides: [TimedOverride]
    private let temporaries: [Temporary]

    init(schedule: Schedule, rotations: [String: Rotation]) throws(SchedulingError) {
        guard let zone = ZoneRules.named(schedule.timeZone) else {
            throw .unknownTimeZone(schedule.timeZone)
        }
        var compiled: [CompiledRule] = []
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
        overrides = schedule.overrides.enumerated()
            .filter { $0.element.start < $0.element.end }
            .sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }
            .map { TimedOverride(start: $0.element.start.timeIntervalSince1970, end: $0.element.end.timeIntervalSince1970, override: $0.element) }
        temporaries = schedule.temporarySchedules.filter { $0.start < $0.end }.map { temporary in
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
        let errors = rotation.validate()
        guard errors.isEmpty, let zone = ZoneRules.named(rotation.timeZone) else {
            throw .invalidRotation(id: rotation.id, errors: errors)
        }
        return RotationTurns(rotation: rotation, zone: zone, activity: activity)
    }

    // MARK: - At one instant

    func onCall(at instant: Double) -> [OnCallEntry] {
        if temporaries.contains(where: { $0.start <= instant && instant < $0.end }) {
            var base: [Assignment] = []
            for temporary in temporaries where temporary.start <= instant && instant < temporary.end {
                for shift in temporary.shifts where shift.start <= instant && instant < shift.end {
                    base.append(shift.assignment)
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
        var active: [ScheduleOverride] = []
        for timed in overrides where timed.start <= instant && instant < timed.end {
            active.append(timed.override)
        }
        return Self.resolve(base: base, overrides: active)
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
        let contributions = ruleContributions(from: from, to: to).sorted { $0.start < $1.start }
        let overridesInRange = overrides.filter { $0.start < to && $0.end > from }
        let temporariesInRange = temporaries.filter { $0.start < to && $0.end > from }
        let temporaryShifts = temporariesInRange.flatMap(\.shifts).filter { $0.start < to && $0.end > from }
            .sorted { $0.start < $1.start }

        var boundaries: [Double] = [from, to]
        for c in contributions { boundaries.append(c.start); boundaries.append(c.end) }
        for o in overridesInRange { boundaries.append(o.start); boundaries.append(o.end) }
        for t in temporariesInRange { boundaries.append(t.start); boundaries.append(t.end) }
        for s in temporaryShifts { boundaries.append(s.start); boundaries.append(s.end) }
        boundaries = boundaries.filter { $0 >= from && $0 <= to }
        boundaries.sort()

        var activeContributions: [Contribution] = []
        var nextContribution = 0
        var activeTemporaryShifts: [Contribution] = []
        var nextTemporaryShift = 0
        var runs = RunBuilder()
        var previous = -Double.infinity
        for b in boundaries where b < to && b > previous {
            previous = b
            while nextContribution < contributions.count, contributions[nextContribution].start <= b {
                activeContributions.append(contributions[nextContribution])
                nextContribution += 1
            }
            activeContributions.removeAll { $0.end <= b }
            while nextTemporaryShift < temporaryShifts.count, temporaryShifts[nextTemporaryShift].start <= b {
                activeTemporaryShifts.append(temporaryShifts[nextTemporaryShift])
                nextTemporaryShift += 1
            }
            activeTemporaryShifts.removeAll { $0.end <= b }

            let entries: [OnCallEntry]
            if temporariesInRange.contains(where: { $0.start <= b && b < $0.end }) {
                entries = Self.resolve(base: activeTemporaryShifts.map(\.assignment), overrides: [])
            } else {
                var active: [ScheduleOverride] = []
                for timed in overridesInRange where timed.start <= b && b < timed.end { active.append(timed.override) }
                entries = Self.resolve(base: activeContributions.map(\.assignment), overrides: active)
            }
            runs.segment(at: b, entries: entries)
        }
        return runs.finish(at: to)
    }
}
