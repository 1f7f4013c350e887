import Foundation
import HTTPServer
import Logging
import OutboundHTTP

/// Twilio SMS (Messages API) and voice (Calls API with TwiML served by `TwilioInbound`), and the
/// routes Twilio calls back under `/providers/twilio/{name}/`. Settings: `TwilioSettings`;
/// operator's guide: docs/TWILIO.md.
public struct TwilioGateway: ConfigurableGateway {
    public static let kind = "twilio"

    public let name: String
    let settings: TwilioSettings
    let context: GatewayContext

    public init(name: String, settings: Data, context: GatewayContext) throws {
        self.name = name
        self.settings = try JSONDecoder().decode(TwilioSettings.self, from: settings)
        self.context = context
    }

    /// The path our routes live under, as it appears on the wire.
    var routePrefix: String { "/providers/twilio/\(PercentEncoding.encode(name))" }

    /// The public URL Twilio calls for `routePrefix`: callback URLs we hand out and the URLs
    /// signatures are checked against.
    var callbackBase: String { settings.callbackURL ?? context.publicURL + routePrefix }

    public func supports(_ type: ContactMethodType) -> Bool {
        switch type {
        case .sms: true
        // A call needs a caller id; a Messaging Service cannot place calls.
        case .voice: settings.from != nil
        case .email, .webhook, .slack, .teams: false
        }
    }

    public func send(_ message: OutgoingMessage) -> DeliveryResult {
        let resource: String
        let fields: [(name: String, value: String)]
        switch message.type {
        case .sms:
            resource = "Messages.json"
            fields = smsFields(message)
        case .voice:
            guard let from = settings.from else {
                return .permanentFailure(reason: "configuration error: Twilio gateway \(name) has no \"from\" number to call from")
            }
            resource = "Calls.json"
            fields = callFields(message, from: from)
        case .email, .webhook, .slack, .teams:
            return .permanentFailure(reason: "Twilio gateway \(name) cannot send \(message.type.rawValue) messages")
        }
        let credentials = Data("\(settings.accountSid):\(settings.authToken.value)".utf8).base64EncodedString()
        let request = HTTPClientRequest(
            method: "POST",
            url: "\(settings.baseURL)/2010-04-01/Accounts/\(PercentEncoding.encode(settings.accountSid))/\(resource)",
            headers: [("Authorization", "Basic \(credentials)"),
                      ("Content-Type", "application/x-www-form-urlencoded"),
                      ("Accept", "application/json")],
            body: Array(FormEncoding.encode(fields).utf8),
            timeout: settings.requestTimeout)
        let result: DeliveryResult
        do {
            result = TwilioAnswer.result(try context.http.send(request), now: context.now())
        } catch .invalidRequest(let reason) {
            result = .permanentFailure(reason: "configuration error: cannot call Twilio at \(settings.baseURL): \(reason)")
        } catch {
            // Timed out or no connection: the request may or may not have been taken, but a
            // duplicate page is better than a missed one (providers-contract.md §4.5).
            result = .temporaryFailure(reason: "Twilio unreachable: \(error)", retryAfter: nil)
        }
        log(result, for: message)
        return result
    }

    func smsFields(_ message: OutgoingMessage) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [("To", message.address)]
        if let from = settings.from { fields.append(("From", from)) }
        if let service = settings.messagingServiceSid { fields.append(("MessagingServiceSid", service)) }
        fields.append(("Body", message.text))
        fields.append(("StatusCallback", smsStatusURL(messageId: message.id)))
        fields.append(("ValidityPeriod", String(settings.validityPeriod)))
        return fields
    }

    func callFields(_ message: OutgoingMessage, from: String) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [
            ("To", message.address),
            ("From", from),
            ("Url", voiceAnswerURL(messageId: message.id, attempt: 1)),
            ("StatusCallback", callStatusURL(messageId: message.id)),
        ]
        // Repeated, one per event (a list is not understood).
        for event in ["initiated", "answered", "completed"] { fields.append(("StatusCallbackEvent", event)) }
        fields.append(("Timeout", String(settings.callTimeout)))
        if settings.machineDetection { fields.append(("MachineDetection", "Enable")) }
        return fields
    }

    func smsStatusURL(messageId: String) -> String {
        "\(callbackBase)/sms-status?page=\(PercentEncoding.encode(messageId))"
    }

    func callStatusURL(messageId: String) -> String {
        "\(callbackBase)/voice/status?page=\(PercentEncoding.encode(messageId))"
    }

    func voiceAnswerURL(messageId: String, attempt: Int) -> String {
        "\(callbackBase)/voice/answer?page=\(PercentEncoding.encode(messageId))&attempt=\(attempt)"
    }

    func voiceGatherURL(messageId: String, attempt: Int) -> String {
        "\(callbackBase)/voice/gather?page=\(PercentEncoding.encode(messageId))&attempt=\(attempt)"
    }

    private func log(_ result: DeliveryResult, for message: OutgoingMessage) {
        let metadata: Logger.Metadata = ["gateway": "\(name)", "message": "\(message.id)", "type": "\(message.type.rawValue)"]
        switch result {
        case .accepted(let sid):
            context.logger.debug("Twilio accepted", metadata: metadata.merging(["sid": "\(sid ?? "-")"]) { $1 })
        case .temporaryFailure(let reason, _):
            context.logger.warning("Twilio send failed, will retry", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
        case .permanentFailure(let reason), .gatewayFailure(let reason):
            context.logger.error("Twilio send failed", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
        }
    }

    public func registerInbound(on router: inout Router, events: any InboundEvents) {
        TwilioInbound(gateway: self, events: events).register(on: &router)
    }
}
