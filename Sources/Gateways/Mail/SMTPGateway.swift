import Foundation
import OutboundHTTP

/// E-mail pages through an SMTP submission server (kind "smtp"): one multipart/alternative
/// message per page, text and HTML, each with the ack links.
public struct SMTPGateway: ConfigurableGateway {
    public static let kind = "smtp"
    public let name: String
    let settings: SMTPSettings
    let client: SMTPClient
    let context: GatewayContext

    public init(name: String, settings: Data, context: GatewayContext) throws {
        self.name = name
        self.settings = try JSONDecoder().decode(SMTPSettings.self, from: settings)
        // The same trust store as HTTPS calls (tests point both at their own CA).
        self.client = SMTPClient(caBundlePath: context.http.caBundlePath)
        self.context = context
    }

    public func supports(_ type: ContactMethodType) -> Bool { type == .email }

    public func send(_ message: OutgoingMessage) -> DeliveryResult {
        guard message.type == .email else { return .permanentFailure(reason: "the smtp gateway sends e-mail only, not \(message.type.rawValue)") }
        guard let recipient = SMTPMailbox(parsing: message.address), recipient.displayName == nil else {
            return .permanentFailure(reason: "\"\(message.address)\" is not an e-mail address")
        }
        let messageId = Self.messageId(for: message.id, domain: settings.from.domain)
        let content = MailContent(subject: message.subject, text: message.text, ackLinks: message.ackLinks)
        let mail = SMTPMessage(
            from: settings.from, to: [recipient], subject: message.subject, date: context.now(), messageId: messageId,
            text: content.text, html: content.html,
            // RFC 3834: automatic mail; auto-responders must not answer it.
            extraHeaders: [("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All")])
        let request = SMTPClientRequest(
            url: settings.url, from: settings.from.address, recipients: [recipient.address], message: mail.rendered(),
            username: settings.username, password: settings.password?.value, requireTLS: settings.starttls, timeout: settings.timeout)
        do throws(SMTPClientError) {
            try client.send(request)
            return .accepted(providerMessageId: "<\(messageId)>")
        } catch {
            context.logger.warning("smtp gateway \(name): \(message.id) to \(message.contactMethodId): \(error)")
            switch error {
            // 530/534/535/538: the server refuses our login, whoever the mail is for.
            case .rejected(let code, _) where [530, 534, 535, 538].contains(code): return .gatewayFailure(reason: error.description)
            default: return error.isPermanent ? .permanentFailure(reason: error.description)
                                              : .temporaryFailure(reason: error.description, retryAfter: nil)
            }
        }
    }

    /// Our message id (stable across retries, so a repeat after a crash threads as the same
    /// mail) at the sender's domain.
    static func messageId(for id: String, domain: String) -> String {
        let local = String(id.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "-_.".unicodeScalars.contains($0)) })
        return (local.isEmpty ? "watchkeeper" : local) + "@" + domain
    }
}
