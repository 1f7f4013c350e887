import Foundation

/// A `"kind": "vonage"` object of the gateways file. Numbers are E.164; the leading "+" is
/// optional here and dropped on the wire, as Vonage wants.
struct VonageSettings: Decodable, Sendable {
    var apiKey: String
    var apiSecret: Secret
    /// Signs inbound SMS and delivery receipts (`sig`) and the JWTs on voice webhooks.
    var signatureSecret: Secret
    var signatureMethod: VonageSignatureMethod
    /// Voice needs both; without them the gateway sends SMS only.
    var applicationId: String?
    var privateKey: Secret?
    var from: String
    var smsBaseURL: String
    var voiceBaseURL: String
    /// How long Vonage may keep trying to deliver an SMS: a page that arrives an hour late is noise.
    var smsTTLSeconds: Int
    var voiceLanguage: String
    var ringingTimerSeconds: Int
    /// Seconds the callee has to press a key after the script was read.
    var keyTimeoutSeconds: Int
    /// Whole exchange with Vonage, connect included.
    var requestTimeoutSeconds: Double
    /// How far a signed webhook's timestamp (or JWT `iat`) may be from our clock.
    var maximumWebhookAgeSeconds: Int

    enum CodingKeys: String, CodingKey {
        case apiKey, apiSecret, signatureSecret, signatureMethod, applicationId, privateKey, from, smsBaseURL, voiceBaseURL
        case smsTTLSeconds, voiceLanguage, ringingTimerSeconds, keyTimeoutSeconds, requestTimeoutSeconds, maximumWebhookAgeSeconds
    }

    /// A misspelt optional setting would silently fall back to its default: refuse unknown keys.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let everyKey = try decoder.container(keyedBy: AnyKey.self)
        for key in everyKey.allKeys where CodingKeys(stringValue: key.stringValue) == nil && !["name", "kind"].contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(forKey: key, in: everyKey, debugDescription: "unknown setting '\(key.stringValue)' for a vonage gateway")
        }
        apiKey = try container.decode(String.self, forKey: .apiKey)
        apiSecret = try container.decode(Secret.self, forKey: .apiSecret)
        signatureSecret = try container.decode(Secret.self, forKey: .signatureSecret)
        signatureMethod = try container.decodeIfPresent(VonageSignatureMethod.self, forKey: .signatureMethod) ?? .sha256
        applicationId = try container.decodeIfPresent(String.self, forKey: .applicationId)
        privateKey = try container.decodeIfPresent(Secret.self, forKey: .privateKey)
        from = try container.decode(String.self, forKey: .from)
        smsBaseURL = Self.trimmed(try container.decodeIfPresent(String.self, forKey: .smsBaseURL) ?? "https://rest.nexmo.com")
        voiceBaseURL = Self.trimmed(try container.decodeIfPresent(String.self, forKey: .voiceBaseURL) ?? "https://api.nexmo.com")
        smsTTLSeconds = try container.decodeIfPresent(Int.self, forKey: .smsTTLSeconds) ?? 900
        voiceLanguage = try container.decodeIfPresent(String.self, forKey: .voiceLanguage) ?? "en-GB"
        ringingTimerSeconds = try container.decodeIfPresent(Int.self, forKey: .ringingTimerSeconds) ?? 30
        keyTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .keyTimeoutSeconds) ?? 8
        requestTimeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .requestTimeoutSeconds) ?? 10
        maximumWebhookAgeSeconds = try container.decodeIfPresent(Int.self, forKey: .maximumWebhookAgeSeconds) ?? 300

        func invalid(_ key: CodingKeys, _ reason: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
        }
        guard !apiKey.isEmpty else { throw invalid(.apiKey, "apiKey is empty") }
        guard !from.isEmpty else { throw invalid(.from, "from is empty") }
        guard (applicationId == nil) == (privateKey == nil) else {
            throw invalid(.applicationId, "voice needs both applicationId and privateKey")
        }
        // The API allows 1–120 s of ringing and at most 10 s of waiting for a key.
        guard (1...120).contains(ringingTimerSeconds) else { throw invalid(.ringingTimerSeconds, "ringingTimerSeconds must be 1–120") }
        guard (1...10).contains(keyTimeoutSeconds) else { throw invalid(.keyTimeoutSeconds, "keyTimeoutSeconds must be 1–10") }
        guard smsTTLSeconds >= 20 else { throw invalid(.smsTTLSeconds, "smsTTLSeconds must be at least 20") }
        guard requestTimeoutSeconds > 0 else { throw invalid(.requestTimeoutSeconds, "requestTimeoutSeconds must be positive") }
        guard maximumWebhookAgeSeconds > 0 else { throw invalid(.maximumWebhookAgeSeconds, "maximumWebhookAgeSeconds must be positive") }
        for (key, url) in [(CodingKeys.smsBaseURL, smsBaseURL), (.voiceBaseURL, voiceBaseURL)] {
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else { throw invalid(key, "\(key.stringValue) must be an http(s) URL") }
        }
    }

    private static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
