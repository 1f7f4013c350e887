import Foundation

extension Schedule {
    /// Everyone on call at `instant`, sorted by user id, each with the reasons.
    /// - Parameter rotations: the rotations rules refer to, by id.
    public func onCall(at instant: Date, rotations: [String: Rotation]) throws(SchedulingError) -> [OnCallEntry] {
        try ScheduleEvaluator(schedule: self, rotations: rotations).onCall(at: instant.timeIntervalSince1970)
    }

    /// Per-user merged shifts and the gaps in `[from, to)`; together they tile the range.
    public func shifts(from: Date, to: Date, rotations: [String: Rotation]) throws(SchedulingError) -> ScheduleShifts {
        guard from < to else { throw .emptyRange }
        let evaluator = try ScheduleEvaluator(schedule: self, rotations: rotations)
        let result = evaluator.shifts(from: from.timeIntervalSince1970, to: to.timeIntervalSince1970)
        return ScheduleShifts(from: from, to: to, shifts: result.shifts, gaps: result.gaps)
    }
}
