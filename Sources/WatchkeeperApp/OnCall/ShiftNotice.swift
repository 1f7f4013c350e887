import Foundation

/// One notice about the start of someone's on-call shift: `started` at the start, `reminder` an
/// hour before. Keyed like `shift_notices` (schedule, user, shift start, kind), which makes each
/// go out once.
struct ShiftNotice: Sendable, Hashable {
    enum Kind: String, Sendable, CaseIterable {
        case started
        case reminder

        static let reminderLead: TimeInterval = 3600

        /// When this notice is due for a shift starting at `start`.
        func noticeTime(shiftStart start: Date) -> Date {
            self == .reminder ? start.addingTimeInterval(-Self.reminderLead) : start
        }

        /// The `contact_methods` column that opts a method in to this kind.
        var optInColumn: String { self == .reminder ? "shift_reminders" : "shift_notices" }
    }

    var scheduleId: String
    var userId: String
    var start: Date
    var kind: Kind
}
