import Foundation
import Scheduling

/// A schedule as stored, ready for computation: the schedule (with the overrides and temporary
/// schedules of the range it was loaded for), the rotations its rules use, and the names of every
/// user it can put on call.
struct LoadedSchedule: Sendable {
    var schedule: Schedule
    var description: String?
    var rotations: [String: Rotation]
    var userNames: [String: String]

    /// Every user this schedule could put on call: rule users, rotation participants, override
    /// and temporary-shift users.
    var candidateUserIds: Set<String> {
        var ids = Set(schedule.references.userIds)
        for rotation in rotations.values { ids.formUnion(rotation.participants) }
        return ids
    }
}
