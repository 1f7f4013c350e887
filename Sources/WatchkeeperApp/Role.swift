/// What a caller may do. Each role includes the ones below it.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// Reads everything, changes nothing.
    case viewer
    /// Also acts on alerts: acknowledge, resolve, escalate, add notes.
    case responder
    /// Also manages configuration: schedules, policies, services, keys.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .responder: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    public func allows(_ required: Role) -> Bool { self >= required }
}
