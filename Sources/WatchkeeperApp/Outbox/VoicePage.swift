/// The words of a voice call, read out by the provider's text-to-speech: no links (nobody can
/// click a spoken URL); the keys are the gateway's to announce ("press 1 to acknowledge…").
enum VoicePage {
    /// A page: "Watchkeeper alert. SOC Tier 1: Ransomware on FIN-DB-01 [Sev1]"; a bundle:
    /// "Watchkeeper: 3 new alerts on SOC Tier 1. a. b. c"; anything else: its body.
    static func script(isPage: Bool, body: String, serviceName: String?, summaries: [String]) -> String {
        guard isPage else { return body }
        guard summaries.count > 1 else { return "Watchkeeper alert. \(body)" }
        return "Watchkeeper: \(summaries.count) new alerts on \(serviceName ?? "a service"). " + summaries.joined(separator: ". ")
    }
}
