/// How long one rotation shift is: `count` × `unit`.
public struct ShiftLength: Sendable, Codable, Hashable {
    /// The calendar unit of a shift.
    public enum Unit: String, Sendable, Codable, Hashable {
        /// Elapsed hours: a 3-hour shift always lasts 3 h, so after a DST change the local
        /// handoff times move by the change.
        case hours
        /// Local days: handoffs keep the anchor's local time, so shifts spanning a DST change
        /// last 23 h / 25 h (23.5 h / 24.5 h on Australia/Lord_Howe) per day.
        case days
        /// Seven local days each, like `days`.
        case weeks
        /// Calendar months: same local day-of-month and time as the anchor, clamped to the
        /// month's last day when that day does not exist (anchor on the 31st → 30 April, 28/29 February).
        case months
    }

    /// At least 1.
    public var count: Int
    public var unit: Unit

    public init(_ count: Int, _ unit: Unit) {
        self.count = count
        self.unit = unit
    }
}
