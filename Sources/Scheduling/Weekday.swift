/// A day of the week, encoded as its lowercase English name ("monday").
public enum Weekday: String, Sendable, Codable, Hashable, CaseIterable {
    case sunday, monday, tuesday, wednesday, thursday, friday, saturday

    /// 0 = Sunday … 6 = Saturday.
    public var index: Int {
        switch self {
        case .sunday: 0
        case .monday: 1
        case .tuesday: 2
        case .wednesday: 3
        case .thursday: 4
        case .friday: 5
        case .saturday: 6
        }
    }

    /// Monday through Friday.
    public static let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
}
