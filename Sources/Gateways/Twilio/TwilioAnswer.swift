import Foundation
import OutboundHTTP

/// What Twilio's answer to a Messages or Calls create means for the outbox
/// (shared/research/providers-contract.md §1.2, §4.5).
enum TwilioAnswer {
    /// Error codes on a 4xx that say "not now" rather than "never": the sender's queue is full,
    /// or too many requests at once.
    static let temporaryCodes: Set<Int> = [
        14107, // SMS rate limit exceeded
        20429, // too many concurrent requests
        21611, // the From number's queue is full
    ]

    static func result(_ response: HTTPClientResponse, now: Date) -> DeliveryResult {
        let error = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
        let code = error?.code
        let described = describe(status: response.status, error: error)
        switch response.status {
        case 200...299:
            // Sent: even without a readable id, a retry would page twice.
            let created = try? JSONDecoder().decode(Created.self, from: Data(response.body))
            return .accepted(providerMessageId: created?.sid)
        case 401, 403:
            return .gatewayFailure(reason: "configuration error: Twilio refused the credentials (\(described)); check accountSid and authToken")
        case 429:
            return .temporaryFailure(reason: "Twilio is throttling (\(described))", retryAfter: response.retryAfter(now: now))
        case 500...599:
            return .temporaryFailure(reason: "Twilio server error (\(described))", retryAfter: response.retryAfter(now: now))
        default:
            if let code, temporaryCodes.contains(code) {
                return .temporaryFailure(reason: "Twilio is busy (\(described))", retryAfter: response.retryAfter(now: now))
            }
            // The account may not send there (geo permissions, trial limits): another gateway may.
            if let code, accountCodes.contains(code) { return .gatewayFailure(reason: permanentReason(code: code, described: described)) }
            return .permanentFailure(reason: permanentReason(code: code, described: described))
        }
    }

    private static let accountCodes: Set<Int> = [21408, 21215, 21216, 21608]

    private static func permanentReason(code: Int?, described: String) -> String {
        switch code {
        case 21610: "the recipient has unsubscribed from this sender (replied STOP); they must text START to receive SMS again (\(described))"
        case 21211, 21217, 21614, 21635: "the number cannot receive this (\(described))"
        case 21408, 21215, 21216, 21608: "configuration error: Twilio does not allow sending there from this account (\(described))"
        default: "Twilio refused the message (\(described))"
        }
    }

    private static func describe(status: Int, error: ErrorBody?) -> String {
        var text = "HTTP \(status)"
        if let code = error?.code { text += ", error \(code)" }
        if let message = error?.message, !message.isEmpty { text += ": \(message)" }
        return text
    }

    /// `{code, message, more_info, status}`.
    private struct ErrorBody: Decodable {
        var code: Int?
        var message: String?
    }

    /// The created Message or Call resource; only its SID matters here.
    private struct Created: Decodable {
        var sid: String?
    }
}
