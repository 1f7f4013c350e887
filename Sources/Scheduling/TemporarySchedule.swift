import Foundation

/// Explicit shifts that, during `[start, end)`, replace the schedule's rules and overrides.
/// Inside the span, exactly the users of the shifts covering an instant are on call; a gap
/// between shifts means nobody is. Overlapping temporary schedules put the union on call.
public struct TemporarySchedule: Sendable, Codable, Hashable, Identifiable {
    /// One explicit shift `[start, end)` of `userId`, inside the temporary schedule's span.
    public struct Shift: Sendable, Codable, Hashable {
        public var start: Date
        public var end: Date
        public var userId: String

        public init(start: Date, end: Date, userId: String) {
            self.start = start
            self.end = end
            self.userId = userId
        }
    }

    public var id: String
    public var start: Date
    /// Exclusive; after `start`.
    public var end: Date
    public var shifts: [Shift]

    public init(id: String, start: Date, end: Date, shifts: [Shift]) {
        self.id = id
        self.start = start
        self.end = end
        self.shifts = shifts
    }
}
