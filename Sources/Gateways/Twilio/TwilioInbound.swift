import Foundation
import HTTPServer
import Logging

/// The routes Twilio calls for one gateway: inbound SMS, the voice page's TwiML and key presses,
/// message and call status. Each checks `X-Twilio-Signature` before anything else; an unsigned,
/// forged or wrong-URL request gets 403 and never reaches `events`.
struct TwilioInbound: Sendable {
    let gateway: TwilioGateway
    let events: any InboundEvents

    /// How many times the key menu is read before the call ends.
    static let maximumPlays = 3
    /// Seconds `<Gather>` waits for a key after the prompt.
    static let keyTimeout = 8
    static let choices = "Press 1 to acknowledge, 2 to escalate, 3 to resolve."

    private var logger: Logger { gateway.context.logger }

    func register(on router: inout Router) {
        router.group(gateway.routePrefix) { routes in
            routes.post("/sms") { request, _ in try answer(request, handle: inboundSMS) }
            routes.post("/sms-status") { request, _ in try answer(request, handle: messageStatus) }
            routes.post("/voice/answer") { request, _ in try answer(request, handle: voicePage) }
            routes.post("/voice/gather") { request, _ in try answer(request, handle: keyPress) }
            routes.post("/voice/status") { request, _ in try answer(request, handle: callStatus) }
        }
    }

    /// Authenticates, then hands the request to `handle`.
    private func answer(_ request: HTTPRequest, handle: (TwilioWebhook, HTTPRequest) throws(HTTPError) -> HTTPResponse) throws(HTTPError) -> HTTPResponse {
        let webhook = try TwilioWebhook.authenticate(request, signedURL: signedURL(request), authToken: gateway.settings.authToken.value,
                                                     logger: logger)
        return try handle(webhook, request)
    }

    /// The URL Twilio called: our public URL for the route prefix, then the rest of the target
    /// (path and query) byte for byte as received.
    func signedURL(_ request: HTTPRequest) -> String {
        let target = request.head.target
        let prefix = gateway.routePrefix
        let rest = target.hasPrefix(prefix) ? String(target.dropFirst(prefix.count)) : target
        return gateway.callbackBase + rest
    }

    // MARK: SMS

    private func inboundSMS(_ webhook: TwilioWebhook, _ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let sid = try webhook.required("MessageSid", or: "SmsSid")
        let sms = InboundSMS(gateway: gateway.name, providerMessageId: sid, from: try webhook.required("From"),
                             to: try webhook.required("To"), text: webhook.value("Body") ?? "")
        var twiml = TwilioTwiML(language: gateway.settings.language)
        if let reply = events.smsReceived(sms), !reply.isEmpty { twiml.message(reply) }
        return twiml.response
    }

    private func messageStatus(_ webhook: TwilioWebhook, _ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let sid = try webhook.required("MessageSid", or: "SmsSid")
        let word = try webhook.required("MessageStatus", or: "SmsStatus")
        guard let status = TwilioStatus.message(word) else {
            logger.info("Twilio message status ignored", metadata: ["sid": "\(sid)", "status": "\(word)"])
            return HTTPResponse(status: .noContent)
        }
        var detail = "twilio \(word)"
        if let code = webhook.value("ErrorCode"), !code.isEmpty { detail += ", error \(code)" }
        events.deliveryReported(DeliveryReport(gateway: gateway.name, providerMessageId: sid, status: status, detail: detail))
        return HTTPResponse(status: .noContent)
    }

    // MARK: Voice

    private func voicePage(_ webhook: TwilioWebhook, _ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let page = try pageParameter(request)
        let attempt = attemptParameter(request)
        var twiml = TwilioTwiML(language: gateway.settings.language)
        let answeredBy = webhook.value("AnsweredBy") ?? ""
        if answeredBy == "fax" {
            twiml.hangup()
            return twiml.response
        }
        guard let script = events.voiceScript(messageId: page) else {
            twiml.say("This is Watchkeeper. This page is no longer available. Goodbye.")
            twiml.hangup()
            return twiml.response
        }
        if answeredBy.hasPrefix("machine") {
            // Nobody to press keys: a short message, and the ack timeout escalates as usual.
            twiml.say("This is Watchkeeper. \(Self.sentence(script.text)) Please respond in Watchkeeper. Goodbye.")
            twiml.hangup()
            return twiml.response
        }
        guard script.acceptsKeys else {
            twiml.say("This is Watchkeeper. \(Self.sentence(script.text)) Goodbye.")
            twiml.hangup()
            return twiml.response
        }
        let greeting = attempt == 1 ? "This is Watchkeeper. " : ""
        twiml.gather(action: gateway.voiceGatherURL(messageId: page, attempt: attempt), timeout: Self.keyTimeout,
                     prompt: greeting + Self.sentence(script.text) + " " + Self.choices)
        playAgainOrHangUp(&twiml, page: page, attempt: attempt, farewell: "No key was pressed. Goodbye.")
        return twiml.response
    }

    private func keyPress(_ webhook: TwilioWebhook, _ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let page = try pageParameter(request)
        let attempt = attemptParameter(request)
        let callSid = try webhook.required("CallSid")
        let digits = webhook.value("Digits") ?? ""
        var twiml = TwilioTwiML(language: gateway.settings.language)
        guard !digits.isEmpty else {
            playAgainOrHangUp(&twiml, page: page, attempt: attempt, farewell: "No key was pressed. Goodbye.")
            return twiml.response
        }
        switch events.keyPressed(KeyPress(gateway: gateway.name, callId: callSid, digits: digits)) {
        case .acknowledged: twiml.say("Acknowledged. Thank you.")
        case .escalated: twiml.say("Escalated to the next person. Goodbye.")
        case .resolved: twiml.say("Resolved. Thank you.")
        case .alreadyClosed: twiml.say("This alert is already closed. Goodbye.")
        case .unknownCall: twiml.say("This page is no longer available. Goodbye.")
        case .unknownKey:
            twiml.say("\(digits) is not one of the choices.")
            playAgainOrHangUp(&twiml, page: page, attempt: attempt, farewell: "Goodbye.")
            return twiml.response
        }
        twiml.hangup()
        return twiml.response
    }

    private func callStatus(_ webhook: TwilioWebhook, _ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let sid = try webhook.required("CallSid")
        let word = try webhook.required("CallStatus")
        guard let status = TwilioStatus.call(word) else {
            logger.info("Twilio call status ignored", metadata: ["sid": "\(sid)", "status": "\(word)"])
            return HTTPResponse(status: .noContent)
        }
        var detail = "twilio call \(word)"
        if let answeredBy = webhook.value("AnsweredBy"), !answeredBy.isEmpty { detail += ", answered by \(answeredBy)" }
        if let seconds = webhook.value("CallDuration"), !seconds.isEmpty, word == "completed" { detail += ", \(seconds) s" }
        if let code = webhook.value("ErrorCode"), !code.isEmpty { detail += ", error \(code)" }
        events.deliveryReported(DeliveryReport(gateway: gateway.name, providerMessageId: sid, status: status, detail: detail))
        return HTTPResponse(status: .noContent)
    }

    /// After a silent or wrong menu: read it again (the next attempt), or say goodbye once
    /// `maximumPlays` menus went unanswered.
    private func playAgainOrHangUp(_ twiml: inout TwilioTwiML, page: String, attempt: Int, farewell: String) {
        if attempt < Self.maximumPlays {
            twiml.redirect(gateway.voiceAnswerURL(messageId: page, attempt: attempt + 1))
        } else {
            twiml.say(farewell)
            twiml.hangup()
        }
    }

    private func pageParameter(_ request: HTTPRequest) throws(HTTPError) -> String {
        guard let page = request.query("page"), !page.isEmpty else { throw HTTPError.invalid("page", "page is missing from the URL") }
        return page
    }

    /// 1 when absent or unreadable; a forged value cannot get here (the URL is signed).
    private func attemptParameter(_ request: HTTPRequest) -> Int {
        min(max(request.query("attempt").flatMap { Int($0) } ?? 1, 1), Self.maximumPlays)
    }

    /// `text` ending in a full stop, so the words that follow are read as a new sentence.
    static func sentence(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let last = trimmed.last else { return "" }
        return ".!?".contains(last) ? trimmed : trimmed + "."
    }
}
