/// How a closed incident was judged. Sentinel accepts only five classification/reason pairs
/// when closing (400 otherwise); `validPairs` lists them, `isValid` checks one.
public enum IncidentClassification: String, Sendable, CaseIterable {
    case undetermined = "Undetermined"
    case truePositive = "TruePositive"
    case benignPositive = "BenignPositive"
    case falsePositive = "FalsePositive"

    public init?(text: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) else { return nil }
        self = match
    }

    /// The five pairs the portal offers; Undetermined is the only one without a reason.
    public static let validPairs: [(classification: IncidentClassification, reason: IncidentClassificationReason?)] = [
        (.truePositive, .suspiciousActivity),
        (.benignPositive, .suspiciousButExpected),
        (.falsePositive, .incorrectAlertLogic),
        (.falsePositive, .inaccurateData),
        (.undetermined, nil),
    ]

    public static func isValid(_ classification: IncidentClassification, _ reason: IncidentClassificationReason?) -> Bool {
        validPairs.contains { $0.classification == classification && $0.reason == reason }
    }
}
