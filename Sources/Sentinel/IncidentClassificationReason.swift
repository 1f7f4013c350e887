/// Why an incident was closed with its classification; see `IncidentClassification.validPairs`.
public enum IncidentClassificationReason: String, Sendable, CaseIterable {
    case suspiciousActivity = "SuspiciousActivity"
    case suspiciousButExpected = "SuspiciousButExpected"
    case incorrectAlertLogic = "IncorrectAlertLogic"
    case inaccurateData = "InaccurateData"

    public init?(text: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) else { return nil }
        self = match
    }
}
