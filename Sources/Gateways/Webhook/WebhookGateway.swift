import Foundation
import OutboundHTTP

/// Pages to URLs (kind "webhook"): a signed JSON POST for `webhook` contact methods, a Block Kit
/// message for `slack` incoming webhooks and an Adaptive Card for `teams` Workflows webhooks. The
/// contact method's address is the URL.
public struct WebhookGateway: ConfigurableGateway {
    public static let kind = "webhook"
    public let name: String
    let settings: WebhookSettings
    let context: GatewayContext

    public init(name: String, settings: Data, context: GatewayContext) throws {
        self.name = name
        self.settings = try JSONDecoder().decode(WebhookSettings.self, from: settings)
        self.context = context
    }

    public func supports(_ type: ContactMethodType) -> Bool { type == .webhook || type == .slack || type == .teams }

    public func send(_ message: OutgoingMessage) -> DeliveryResult {
        let now = context.now()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("User-Agent", "Watchkeeper")]
        let body: [UInt8]
        do {
            switch message.type {
            case .webhook:
                body = Array(try encoder.encode(WebhookPayload(message, sentAt: now)))
                let timestamp = Int(now.timeIntervalSince1970)
                headers.append((WebhookSignature.timestampHeader, String(timestamp)))
                headers.append((WebhookSignature.signatureHeader, WebhookSignature.sign(body: body, timestamp: timestamp, secret: settings.signingSecret.value)))
            case .slack:
                body = Array(try encoder.encode(SlackPayload(message)))
            case .teams:
                body = Array(try encoder.encode(TeamsPayload(message, sentAt: WebhookPayload.rfc3339(now))))
            case .sms, .voice, .email:
                return .permanentFailure(reason: "the webhook gateway does not send \(message.type.rawValue)")
            }
        } catch {
            return .permanentFailure(reason: "cannot encode the message: \(error)")
        }
        let request = HTTPClientRequest(method: "POST", url: message.address, headers: headers, body: body, timeout: settings.timeout)
        do throws(HTTPClientError) {
            let response = try context.http.send(request)
            return Self.result(of: response, now: now)
        } catch {
            context.logger.warning("webhook gateway \(name): \(message.id) to \(message.contactMethodId): \(error)")
            if case .invalidRequest = error { return .permanentFailure(reason: error.description) }
            return .temporaryFailure(reason: error.description, retryAfter: nil)
        }
    }

    /// 2xx accepted; 408, 429 and 5xx worth another try (with the receiver's Retry-After); any
    /// other answer (Slack's 404 no_service, 410 channel_is_archived, 403 action_prohibited, a
    /// redirect) will not get better by itself.
    static func result(of response: HTTPClientResponse, now: Date) -> DeliveryResult {
        let detail = "HTTP \(response.status)" + (response.body.isEmpty ? "" : ": " + String(response.text.prefix(200)))
        switch response.status {
        case 200..<300: return .accepted(providerMessageId: nil)
        case 408, 429, 500..<600: return .temporaryFailure(reason: detail, retryAfter: response.retryAfter(now: now))
        default: return .permanentFailure(reason: detail)
        }
    }
}
