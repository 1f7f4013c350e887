import Foundation

/// A temporary change to who is on call during `[start, end)`.
///
/// Overrides apply after the rules, in order of `start` (ties in list order), each to the result
/// of the previous ones, so a later-starting override wins where two conflict. They have no
/// effect while a temporary schedule is active.
public struct ScheduleOverride: Sendable, Codable, Hashable, Identifiable {
    public enum Action: String, Sendable, Codable, Hashable {
        /// Put `addUserId` on call as well.
        case add
        /// Take `removeUserId` off call.
        case remove
        /// Where `removeUserId` is on call, take them off and put `addUserId` on instead;
        /// elsewhere nothing changes.
        case replace
    }

    public var id: String
    public var start: Date
    /// Exclusive; after `start`.
    public var end: Date
    public var action: Action
    /// Required for `add` and `replace`.
    public var addUserId: String?
    /// Required for `remove` and `replace`.
    public var removeUserId: String?

    public init(id: String, start: Date, end: Date, action: Action, addUserId: String? = nil, removeUserId: String? = nil) {
        self.id = id
        self.start = start
        self.end = end
        self.action = action
        self.addUserId = addUserId
        self.removeUserId = removeUserId
    }

    public static func add(_ userId: String, id: String, start: Date, end: Date) -> ScheduleOverride {
        ScheduleOverride(id: id, start: start, end: end, action: .add, addUserId: userId)
    }

    public static func remove(_ userId: String, id: String, start: Date, end: Date) -> ScheduleOverride {
        ScheduleOverride(id: id, start: start, end: end, action: .remove, removeUserId: userId)
    }

    public static func replace(_ removed: String, with added: String, id: String, start: Date, end: Date) -> ScheduleOverride {
        ScheduleOverride(id: id, start: start, end: end, action: .replace, addUserId: added, removeUserId: removed)
    }
}
