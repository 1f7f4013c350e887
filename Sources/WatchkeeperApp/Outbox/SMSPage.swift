import Gateways

/// The words of an SMS: summary first, then the ack link and the reply codes, fitted by
/// `SMSText.fit` (GSM-7 when possible, at most 3 segments, the summary cut first).
enum SMSPage {
    /// One alert: "SOC Tier 1: Ransomware on FIN-DB-01 [Sev1]", its link, "Reply 4a ack, 4c close, 4e escalate".
    static func alert(body: String, link: String?, code: Int) -> SMSText {
        SMSText.fit(summary: body, tail: [link, hint(code: code)].compactMap { $0 })
    }

    /// A bundle: "3 new alerts on SOC Tier 1: 4) …; 5) …; 6) …", the first alert's link and "Reply 4a ack
    /// one, aa ack all, cc close all". One link only: one per alert would not fit in 3 segments; the
    /// codes reach every alert, and the link's page leads to the first.
    static func bundle(subject: String, summaries: [String], codes: [Int], firstLink: String?) -> SMSText {
        let items = zip(codes, summaries).map { "\($0)) \($1)" }.joined(separator: "; ")
        return SMSText.fit(summary: "\(subject): \(items)", tail: [firstLink, "Reply \(codes.first ?? 1)a ack one, aa ack all, cc close all"].compactMap { $0 })
    }

    /// Anything else (status updates, verification codes, notices, tests): the body and its links.
    static func other(body: String, links: [String]) -> SMSText {
        SMSText.fit(summary: body, tail: links)
    }

    static func hint(code: Int) -> String {
        "Reply \(code)a ack, \(code)c close, \(code)e escalate"
    }
}
