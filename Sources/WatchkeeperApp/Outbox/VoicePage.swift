import Gateways

/// The words of a voice call, read out by the provider's text-to-speech: no links (nobody can
/// click a spoken URL); the keys are the gateway's to announce ("press 1 to acknowledge…").
enum VoicePage {
    /// A page: "Watchkeeper alert. SOC Tier 1: Ransomware on FIN-DB-01 [Sev1]"; a bundle:
    /// "Watchkeeper: 3 new alerts on SOC Tier 1. a. b. c"; a verification code digit by digit
    /// ("4 8 2 1 9 0", not "four hundred eighty-two thousand…"); anything else: its body.
    static func script(kind: MessageKind, body: String, serviceName: String?, summaries: [String]) -> String {
        switch kind {
        case .alert:
            guard summaries.count > 1 else { return "Watchkeeper alert. \(body)" }
            return "Watchkeeper: \(summaries.count) new alerts on \(serviceName ?? "a service"). " + summaries.joined(separator: ". ")
        case .verification:
            var spoken = ""
            var previousWasDigit = false
            for character in body {
                let isDigit = character.isASCII && character.isNumber
                if isDigit && previousWasDigit { spoken.append(" ") }
                spoken.append(character)
                previousWasDigit = isDigit
            }
            return spoken
        default:
            return body
        }
    }
}
