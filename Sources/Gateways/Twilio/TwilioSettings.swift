import Foundation

/// A `"kind": "twilio"` entry of the gateways file. Only `accountSid`, `authToken` and one of
/// `from` / `messagingServiceSid` are required; the rest have defaults fit for paging.
struct TwilioSettings: Decodable, Sendable {
    var accountSid: String
    /// The account's Auth Token: the password of the REST calls and the key of `X-Twilio-Signature`.
    var authToken: Secret
    /// The sender number in E.164; required for voice, optional for SMS with a Messaging Service.
    var from: String?
    var messagingServiceSid: String?
    var baseURL: String
    /// Seconds Twilio may hold an SMS in its queue before dropping it: a page that waited an hour
    /// is worse than a failed one (the outbox moves on to the next method). Twilio allows 1–36000.
    var validityPeriod: Int
    /// Answering-machine detection: a machine gets a short message instead of the key menu.
    var machineDetection: Bool
    /// Seconds a call rings before Twilio gives up (`no-answer`); Twilio allows up to 600.
    var callTimeout: Int
    /// Seconds for one REST call, connect included.
    var requestTimeout: Double
    /// Where Twilio reaches this gateway's routes, when a reverse proxy maps another path onto
    /// `/providers/twilio/{name}`; by default `{publicURL}/providers/twilio/{name}`. Signatures
    /// are checked against this URL, never the Host header.
    var callbackURL: String?
    /// The `<Say>` language.
    var language: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case accountSid, authToken, from, messagingServiceSid, baseURL, validityPeriod, machineDetection, callTimeout,
             requestTimeout, callbackURL, language
    }

    static var keyNames: [String] { CodingKeys.allCases.map(\.rawValue) }

    /// Any key in the object, to refuse the unknown ones (a misspelt "messagingServiceSID" would
    /// otherwise be silently ignored).
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        for key in all.allKeys.sorted(by: { $0.stringValue < $1.stringValue })
        where CodingKeys(rawValue: key.stringValue) == nil && key.stringValue != "name" && key.stringValue != "kind" {
            let known = (["name", "kind"] + Self.keyNames).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(forKey: key, in: all, debugDescription: "unknown key '\(key.stringValue)' (known: \(known))")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accountSid = try container.decode(String.self, forKey: .accountSid)
        authToken = try container.decode(Secret.self, forKey: .authToken)
        from = try container.decodeIfPresent(String.self, forKey: .from)
        messagingServiceSid = try container.decodeIfPresent(String.self, forKey: .messagingServiceSid)
        baseURL = try container.decodeIfPresent(String.self, forKey: .baseURL) ?? "https://api.twilio.com"
        validityPeriod = try container.decodeIfPresent(Int.self, forKey: .validityPeriod) ?? 600
        machineDetection = try container.decodeIfPresent(Bool.self, forKey: .machineDetection) ?? true
        callTimeout = try container.decodeIfPresent(Int.self, forKey: .callTimeout) ?? 30
        requestTimeout = try container.decodeIfPresent(Double.self, forKey: .requestTimeout) ?? 10
        callbackURL = try container.decodeIfPresent(String.self, forKey: .callbackURL)
        language = try container.decodeIfPresent(String.self, forKey: .language) ?? "en-GB"

        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        if let url = callbackURL, url.hasSuffix("/") { callbackURL = String(url.dropLast()) }
        if from?.isEmpty == true { from = nil }
        if messagingServiceSid?.isEmpty == true { messagingServiceSid = nil }

        func invalid(_ key: CodingKeys, _ detail: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: detail)
        }
        guard accountSid.hasPrefix("AC"), accountSid.count > 2, accountSid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw invalid(.accountSid, "accountSid must be the account's SID (AC followed by letters and digits)")
        }
        guard from != nil || messagingServiceSid != nil else {
            throw invalid(.from, "a Twilio gateway needs \"from\" (a number in E.164) or \"messagingServiceSid\"")
        }
        if let sid = messagingServiceSid, !sid.hasPrefix("MG") {
            throw invalid(.messagingServiceSid, "messagingServiceSid must start with MG")
        }
        guard baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://") else {
            throw invalid(.baseURL, "baseURL must be an http(s) URL")
        }
        guard (1...36000).contains(validityPeriod) else {
            throw invalid(.validityPeriod, "validityPeriod must be 1–36000 seconds (Twilio's range)")
        }
        guard (1...600).contains(callTimeout) else {
            throw invalid(.callTimeout, "callTimeout must be 1–600 seconds (Twilio's maximum is 600)")
        }
        guard requestTimeout > 0 else { throw invalid(.requestTimeout, "requestTimeout must be positive") }
        if let url = callbackURL, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            throw invalid(.callbackURL, "callbackURL must be an http(s) URL")
        }
    }
}
