/// The five classification/reason pairs Sentinel accepts when closing an incident (the portal
/// offers exactly these; any other pair is a 400).
public enum ClosingClassification: String, Sendable, CaseIterable, Codable {
    case truePositiveSuspiciousActivity = "TruePositive/SuspiciousActivity"
    case benignPositiveSuspiciousButExpected = "BenignPositive/SuspiciousButExpected"
    case falsePositiveIncorrectAlertLogic = "FalsePositive/IncorrectAlertLogic"
    case falsePositiveInaccurateData = "FalsePositive/InaccurateData"
    case undetermined = "Undetermined"

    public var classification: String { String(rawValue.split(separator: "/")[0]) }
    /// nil for Undetermined, which takes no reason.
    public var reason: String? { rawValue.contains("/") ? String(rawValue.split(separator: "/")[1]) : nil }

    /// The pair for ARM's two fields; nil for a combination Sentinel refuses.
    public init?(classification: String, reason: String?) {
        self.init(rawValue: reason.map { "\(classification)/\($0)" } ?? classification)
    }
}
