import HTTPServer

/// The five classification/reason pairs Sentinel accepts when an incident is closed (any other
/// pair is a 400 there, so it is refused here before anything is stored).
struct SentinelWriteClassification: Codable, Sendable, Equatable {
    var classification: String
    /// Nil only for `Undetermined`.
    var reason: String?

    static let valid: [SentinelWriteClassification] = [
        .init(classification: "TruePositive", reason: "SuspiciousActivity"),
        .init(classification: "BenignPositive", reason: "SuspiciousButExpected"),
        .init(classification: "FalsePositive", reason: "IncorrectAlertLogic"),
        .init(classification: "FalsePositive", reason: "InaccurateData"),
        .init(classification: "Undetermined", reason: nil),
    ]

    /// Used when a resolve names no classification (WATCHKEEPER_SENTINEL_CLASSIFICATION overrides).
    static let standardDefault = SentinelWriteClassification(classification: "Undetermined", reason: nil)

    /// The pair, or a 400 naming the field.
    static func validated(classification: String, reason: String?) throws -> SentinelWriteClassification {
        let pair = SentinelWriteClassification(classification: classification, reason: reason?.isEmpty == true ? nil : reason)
        guard valid.contains(pair) else {
            if !valid.contains(where: { $0.classification == classification }) {
                throw HTTPError.invalid("classification", "must be one of TruePositive, BenignPositive, FalsePositive, Undetermined")
            }
            throw HTTPError.invalid("classificationReason", "does not go with \(classification); valid pairs: "
                                    + valid.map { "\($0.classification)/\($0.reason ?? "(none)")" }.joined(separator: ", "))
        }
        return pair
    }

    /// `TruePositive/SuspiciousActivity` style text (the setting's format).
    static func parse(_ text: String) throws -> SentinelWriteClassification {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        return try validated(classification: parts.first ?? "", reason: parts.count > 1 ? parts[1] : nil)
    }
}
