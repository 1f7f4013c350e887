import Foundation
import HTTPServer
import Logging

/// The webhooks Vonage calls, under `/providers/vonage/{name}/`. Each checks the signature first
/// (`sig` on SMS webhooks, the HS256 JWT on voice webhooks); anything unsigned, forged or stale is
/// answered 403 and reaches nobody. Replays of a valid request are handed on: `InboundEvents`
/// is idempotent per provider id.
extension VonageGateway {
    public func registerInbound(on router: inout Router, events: any InboundEvents) {
        scripts.attach(events)
        let prefix = "/providers/\(Self.kind)/\(name)"
        let inboundSMS: RouteHandler = { request, _ in try receiveSMS(request, events: events) }
        router.get(prefix + "/sms", inboundSMS)
        router.post(prefix + "/sms", inboundSMS)
        let receipt: RouteHandler = { request, _ in try receiveReceipt(request, events: events) }
        router.get(prefix + "/dlr", receipt)
        router.post(prefix + "/dlr", receipt)
        router.post(prefix + "/input/:messageId") { request, context in
            try receiveInput(request, messageId: try context.parameter("messageId"), events: events)
        }
        router.post(prefix + "/event") { request, _ in try receiveCallEvent(request, events: events) }
    }

    // MARK: SMS webhooks

    func receiveSMS(_ request: HTTPRequest, events: any InboundEvents) throws -> HTTPResponse {
        let parameters = try signedParameters(request)
        guard let messageId = parameters["messageId"], !messageId.isEmpty else { throw HTTPError.invalid("messageId", "messageId is missing") }
        guard let sender = parameters["msisdn"], !sender.isEmpty else { throw HTTPError.invalid("msisdn", "msisdn is missing") }
        let ourNumber = parameters["to"] ?? ""
        // A long text arrives as one webhook per part; reply codes fit in the first.
        if let part = parameters["concat-part"], part != "1" { return HTTPResponse(status: .ok) }
        // Binary messages (WAP push, SIM updates) carry no text anyone typed.
        if parameters["type"] == "binary" { return HTTPResponse(status: .ok) }
        let sms = InboundSMS(gateway: name, providerMessageId: messageId, from: VonageNumber.e164(sender),
                             to: VonageNumber.e164(ourNumber), text: parameters["text"] ?? "")
        if let reply = events.smsReceived(sms), replies.claim(messageId, now: context.now()) {
            // Vonage has no inline reply: send one, after answering, so a slow send never makes
            // Vonage retry the webhook.
            let gateway = self
            Thread.detachNewThread {
                let result = gateway.sendSMS(to: sender, text: reply, clientRef: "reply-\(messageId)", requestReport: false,
                                             from: ourNumber.isEmpty ? nil : ourNumber)
                if case .accepted = result { return }
                gateway.context.logger.warning("Vonage reply SMS not sent", metadata: ["gateway": "\(gateway.name)", "result": "\(result)"])
            }
        }
        return HTTPResponse(status: .ok)
    }

    func receiveReceipt(_ request: HTTPRequest, events: any InboundEvents) throws -> HTTPResponse {
        let parameters = try signedParameters(request)
        guard let messageId = parameters["messageId"], !messageId.isEmpty else { throw HTTPError.invalid("messageId", "messageId is missing") }
        guard let word = parameters["status"], !word.isEmpty else { throw HTTPError.invalid("status", "status is missing") }
        guard let status = Self.receiptStatus(word) else {
            context.logger.info("Vonage receipt with an unknown status ignored", metadata: ["gateway": "\(name)", "status": "\(word)"])
            return HTTPResponse(status: .ok)
        }
        events.deliveryReported(DeliveryReport(gateway: name, providerMessageId: messageId, status: status,
                                               detail: "\(word) (err-code \(parameters["err-code"] ?? "none"))"))
        return HTTPResponse(status: .ok)
    }

    static func receiptStatus(_ word: String) -> DeliveryReport.Status? {
        switch word.lowercased() {
        case "delivered": .delivered
        case "accepted", "buffered": .sent
        case "failed", "rejected", "expired", "unknown": .failed
        default: nil
        }
    }

    private func signedParameters(_ request: HTTPRequest) throws -> [String: String] {
        let parameters = try VonageWebhookParameters.parse(request)
        let signature = VonageSMSSignature(secret: settings.signatureSecret.value, method: settings.signatureMethod)
        if let reason = signature.rejection(of: parameters, now: context.now(), maximumAge: TimeInterval(settings.maximumWebhookAgeSeconds)) {
            throw refusal(reason, request)
        }
        return parameters
    }

    // MARK: Voice webhooks

    func receiveInput(_ request: HTTPRequest, messageId: String, events: any InboundEvents) throws -> HTTPResponse {
        let event = try signedJSON(request)
        guard let uuid = event["uuid"] as? String, !uuid.isEmpty else { throw HTTPError.invalid("uuid", "uuid is missing") }
        // Current payloads nest the result ({"dtmf": {"digits", "timed_out"}}); older ones are flat.
        let digits = ((event["dtmf"] as? [String: Any])?["digits"] as? String) ?? (event["dtmf"] as? String) ?? ""
        let repeated = request.query("repeat").flatMap(Int.init) ?? 0
        guard !digits.isEmpty else { return ncco(reprompt(messageId: messageId, repeated: repeated, apology: nil)) }
        switch events.keyPressed(KeyPress(gateway: name, callId: uuid, digits: digits)) {
        case .acknowledged: return ncco(VonageNCCO.say("Acknowledged. Goodbye.", language: settings.voiceLanguage))
        case .escalated: return ncco(VonageNCCO.say("Escalated to the next step. Goodbye.", language: settings.voiceLanguage))
        case .resolved: return ncco(VonageNCCO.say("Resolved. Goodbye.", language: settings.voiceLanguage))
        case .alreadyClosed: return ncco(VonageNCCO.say("This alert is already closed. Goodbye.", language: settings.voiceLanguage))
        case .unknownCall: return ncco(VonageNCCO.say("This call is not a known page. Goodbye.", language: settings.voiceLanguage))
        case .unknownKey: return ncco(reprompt(messageId: messageId, repeated: repeated, apology: "Sorry, that key is not a choice."))
        }
    }

    /// The script and the choices once more, then goodbye: a page is never read in a loop.
    private func reprompt(messageId: String, repeated: Int, apology: String?) -> [[String: any Sendable]] {
        guard repeated < 2, let script = scripts.script(messageId: messageId), script.acceptsKeys else {
            return VonageNCCO.say([apology, "Goodbye."].compactMap { $0 }.joined(separator: " "), language: settings.voiceLanguage)
        }
        let text = [apology, script.text, VonageNCCO.choices].compactMap { $0 }.joined(separator: " ")
        return VonageNCCO.prompt(text: text, language: settings.voiceLanguage,
                                 inputURL: inputURL(messageId: messageId, repeated: repeated + 1), keyTimeout: settings.keyTimeoutSeconds)
    }

    func receiveCallEvent(_ request: HTTPRequest, events: any InboundEvents) throws -> HTTPResponse {
        let event = try signedJSON(request)
        guard let uuid = event["uuid"] as? String, !uuid.isEmpty else { throw HTTPError.invalid("uuid", "uuid is missing") }
        guard let word = event["status"] as? String, let status = Self.callStatus(word) else {
            // Other events (input, record, transfer, human) change nothing we track.
            return HTTPResponse(status: .ok)
        }
        var detail = "call \(word)"
        if let reason = event["reason"] as? String { detail += " (\(reason))" }
        events.deliveryReported(DeliveryReport(gateway: name, providerMessageId: uuid, status: status, detail: detail))
        return HTTPResponse(status: .ok)
    }

    static func callStatus(_ word: String) -> DeliveryReport.Status? {
        switch word {
        case "started", "ringing": .sent
        case "answered", "completed": .delivered
        // "machine": machine_detection is "hangup", so nobody heard the page.
        case "busy", "failed", "rejected", "timeout", "unanswered", "cancelled", "machine": .failed
        default: nil
        }
    }

    private func signedJSON(_ request: HTTPRequest) throws -> [String: Any] {
        let check = VonageWebhookJWT(secret: settings.signatureSecret.value, apiKey: settings.apiKey, applicationId: settings.applicationId,
                                     maximumAge: TimeInterval(settings.maximumWebhookAgeSeconds))
        if let reason = check.rejection(authorization: request.headers["Authorization"], body: request.body, now: context.now()) {
            throw refusal(reason, request)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
            throw HTTPError(.badRequest, detail: "the body is not a JSON object")
        }
        return object
    }

    private func ncco(_ actions: [[String: any Sendable]]) -> HTTPResponse {
        HTTPResponse(status: .ok, contentType: "application/json", body: VonageNCCO.json(actions))
    }

    private func refusal(_ reason: String, _ request: HTTPRequest) -> HTTPError {
        context.logger.warning("Vonage webhook refused", metadata: ["gateway": "\(name)", "path": "\(request.path)", "reason": "\(reason)"])
        return HTTPError(.forbidden, detail: reason)
    }
}
