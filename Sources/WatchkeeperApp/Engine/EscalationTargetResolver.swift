import Foundation
import Paging
import Scheduling
import Storage

/// Turns a step's targets into the users they name at one instant: a user is themselves, a
/// rotation is whoever holds its current shift, a schedule is everyone on call in it. Reads
/// inside the caller's transaction, so one resolution sees one snapshot.
enum EscalationTargetResolver {
    /// The users a step pages, in target order without repeats, and a note per target that named
    /// nobody (for the timeline).
    struct Resolution: Sendable, Equatable {
        var userIds: [String]
        var emptyTargets: [String]
    }

    static func resolve(_ targets: [EscalationPolicy.Step.Target], at instant: Date, db: Connection) throws -> Resolution {
        var userIds: [String] = []
        var empty: [String] = []
        for target in targets {
            let found: [String]
            switch target.kind {
            case .user:
                found = try db.queryOne("SELECT 1 FROM users WHERE id = ?", [.text(target.id)]) != nil ? [target.id] : []
            case .rotation:
                if let rotation = try ScheduleLoader.rotation(id: target.id, db: db), !rotation.participants.isEmpty {
                    found = [try rotation.shift(at: instant).userId]
                } else {
                    found = []
                }
            case .schedule:
                if let loaded = try ScheduleLoader.schedule(id: target.id, overlapping: instant..<instant.addingTimeInterval(1), db: db) {
                    found = try loaded.schedule.onCall(at: instant, rotations: loaded.rotations).map(\.userId)
                } else {
                    found = []
                }
            }
            if found.isEmpty { empty.append("\(target.kind.rawValue) \(target.id)") }
            for id in found where !userIds.contains(id) { userIds.append(id) }
        }
        return Resolution(userIds: userIds, emptyTargets: empty)
    }
}
