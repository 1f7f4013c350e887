import Foundation

/// A "webhook" gateway's object in the gateways file (docs/EMAIL-AND-CHAT.md).
struct WebhookSettings: Decodable, Sendable {
    /// Key of the `X-Watchkeeper-Signature` HMAC on plain webhooks.
    var signingSecret: Secret
    var timeout: TimeInterval

    private enum CodingKeys: String, CodingKey { case signingSecret, timeout }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        signingSecret = try container.decode(Secret.self, forKey: .signingSecret)
        guard signingSecret.value.utf8.count >= 16 else {
            throw DecodingError.dataCorruptedError(forKey: .signingSecret, in: container, debugDescription: "must be at least 16 bytes")
        }
        timeout = try container.decodeIfPresent(TimeInterval.self, forKey: .timeout) ?? 10
        guard timeout > 0, timeout <= 120 else {
            throw DecodingError.dataCorruptedError(forKey: .timeout, in: container, debugDescription: "must be between 0 and 120 seconds")
        }
    }
}
