import Foundation

extension Rotation {
    /// The calendar shifts (handoff to handoff) overlapping `[from, to)`, clipped to it.
    /// On its own a rotation always follows its calendar grid; see `AdvanceMode`.
    public func shifts(from: Date, to: Date) throws(SchedulingError) -> [RotationShift] {
        guard from < to else { throw .emptyRange }
        let turns = try ScheduleEvaluator.turns(for: self, activity: nil)
        let lower = from.timeIntervalSince1970
        let upper = to.timeIntervalSince1970
        var result: [RotationShift] = []
        var k = turns.grid.index(containing: lower)
        var start = lower
        while start < upper {
            let end = min(turns.grid.handoff(k + 1), upper)
            let index = turns.participantIndex(turn: k)
            result.append(RotationShift(
                participantIndex: index, userId: participants[index],
                start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: end)))
            start = end
            k += 1
        }
        return result
    }

    /// The whole shift containing `instant` (not clipped), and who holds it.
    /// - Parameter windows: for a `byActiveShift` rotation, the rule it is used in; without it the
    ///   calendar grid decides.
    public func shift(at instant: Date, windows: ActiveWindows? = nil) throws(SchedulingError) -> RotationShift {
        let turns = try turns(windows)
        let t = instant.timeIntervalSince1970
        let k = turns.grid.index(containing: t)
        let index = turns.participantIndex(turn: turns.turn(ofShift: k))
        return RotationShift(
            participantIndex: index, userId: participants[index],
            start: Date(timeIntervalSince1970: turns.grid.handoff(k)),
            end: Date(timeIntervalSince1970: turns.grid.handoff(k + 1)))
    }

    /// This rotation with `newParticipants`, its anchor index adjusted so that whoever holds the
    /// shift containing `instant` still holds it, when they remain in the list. The anchor time and
    /// so every handoff stay the same.
    ///
    /// When the current user appears several times, their n-th appearance maps to the n-th in the
    /// new list (or the last one there). When they were removed, the turn passes to the next
    /// participant after them in the old order who remains; if none does, to the new list's first.
    /// - Parameter windows: for a `byActiveShift` rotation, the rule it is used in (turns depend on it).
    public func replacingParticipants(
        _ newParticipants: [String], keepingOnCallAt instant: Date, windows: ActiveWindows? = nil
    ) throws(SchedulingError) -> Rotation {
        var updated = self
        updated.participants = newParticipants
        updated.anchor.participantIndex = 0
        let newErrors = updated.validate()
        guard newErrors.isEmpty else { throw .invalidRotation(id: id, errors: newErrors) }

        let turns = try turns(windows)
        let turn = turns.turn(ofShift: turns.grid.index(containing: instant.timeIntervalSince1970))
        let oldIndex = turns.participantIndex(turn: turn)
        let user = participants[oldIndex]
        let newIndex: Int
        let positions = newParticipants.indices.filter { newParticipants[$0] == user }
        if !positions.isEmpty {
            let occurrence = participants[..<oldIndex].filter { $0 == user }.count
            newIndex = positions[min(occurrence, positions.count - 1)]
        } else {
            let successor = (1..<participants.count).lazy
                .map { self.participants[(oldIndex + $0) % self.participants.count] }
                .first { newParticipants.contains($0) }
            newIndex = successor.flatMap { newParticipants.firstIndex(of: $0) } ?? 0
        }
        updated.anchor.participantIndex = floorMod(newIndex - turn, newParticipants.count)
        return updated
    }

    private func turns(_ windows: ActiveWindows?) throws(SchedulingError) -> RotationTurns {
        var activity: RuleActivity?
        if let windows {
            guard let zone = ZoneRules.named(windows.timeZone) else { throw .unknownTimeZone(windows.timeZone) }
            activity = RuleActivity(windows: windows.windows, zone: zone)
        }
        return try ScheduleEvaluator.turns(for: self, activity: activity)
    }
}
