/// A schedule's own fields, as stored in `schedules.body`; its rules, overrides and temporary
/// schedules are separate resources under it.
struct ScheduleHeader: Codable, Sendable, Equatable {
    var id: String
    var name: String
    /// IANA zone in which rule windows are read.
    var timeZone: String
    var description: String?
}
