/// Who is on call: rules (users or rotations in weekly windows), then overrides, all replaced by
/// a temporary schedule while one is active.
public struct Schedule: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var name: String
    /// IANA time zone in which rule windows are read.
    public var timeZone: String
    public var rules: [ScheduleRule]
    public var overrides: [ScheduleOverride]
    public var temporarySchedules: [TemporarySchedule]

    public init(
        id: String, name: String = "", timeZone: String, rules: [ScheduleRule] = [],
        overrides: [ScheduleOverride] = [], temporarySchedules: [TemporarySchedule] = []
    ) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.rules = rules
        self.overrides = overrides
        self.temporarySchedules = temporarySchedules
    }
}
