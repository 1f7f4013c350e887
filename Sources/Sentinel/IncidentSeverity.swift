/// A Sentinel incident's or alert's severity, most severe first. An unknown value is refused
/// (400 naming the field): guessing could page nobody for a real incident.
public enum IncidentSeverity: String, Sendable, CaseIterable, Comparable {
    case high = "High"
    case medium = "Medium"
    case low = "Low"
    case informational = "Informational"

    /// Case-insensitive, as Logic Apps' accessors are.
    public init?(text: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) else { return nil }
        self = match
    }

    var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// `a < b`: a is less severe.
    public static func < (lhs: IncidentSeverity, rhs: IncidentSeverity) -> Bool { lhs.rank > rhs.rank }
}
