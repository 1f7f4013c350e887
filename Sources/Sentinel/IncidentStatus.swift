/// `New` (not handled yet), `Active` (being handled), `Closed`. An unknown value is refused.
public enum IncidentStatus: String, Sendable, CaseIterable {
    case new = "New"
    case active = "Active"
    case closed = "Closed"

    public init?(text: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) else { return nil }
        self = match
    }
}
