import Cryptography
import Foundation
import HTTPServer
import Logging
import OutboundHTTP

/// Vonage (Nexmo): SMS through the legacy SMS API, voice pages through the Voice API with an
/// inline NCCO (script + one DTMF key), and the signed webhooks Vonage calls back
/// (docs/VONAGE.md).
public struct VonageGateway: ConfigurableGateway {
    public static let kind = "vonage"

    public let name: String
    let settings: VonageSettings
    let context: GatewayContext
    /// Signs the application JWTs; nil when voice is not configured.
    let applicationKey: RSAPrivateKey?
    let scripts = VonageScriptSource()
    let replies: VonageReplyLedger

    public init(name: String, settings: Data, context: GatewayContext) throws {
        self.name = name
        self.settings = try JSONDecoder().decode(VonageSettings.self, from: settings)
        self.context = context
        applicationKey = try self.settings.privateKey.map { try RSAPrivateKey(pem: $0.value) }
        // Twice the freshness window: a signed timestamp may be that far from our clock either way.
        replies = VonageReplyLedger(keep: TimeInterval(2 * self.settings.maximumWebhookAgeSeconds))
    }

    public func supports(_ type: ContactMethodType) -> Bool {
        switch type {
        case .sms: true
        case .voice: applicationKey != nil
        case .email, .webhook, .slack, .teams: false
        }
    }

    public func send(_ message: OutgoingMessage) -> DeliveryResult {
        switch message.type {
        case .sms:
            return sendSMS(to: message.address, text: message.text, clientRef: message.id, requestReport: true)
        case .voice:
            return placeCall(message)
        case .email, .webhook, .slack, .teams:
            return .permanentFailure(reason: "vonage cannot send \(message.type.rawValue) messages")
        }
    }

    /// The base of every callback URL Vonage is given.
    var callbackBase: String { "\(context.publicURL)/providers/\(Self.kind)/\(name)" }

    // MARK: SMS

    func sendSMS(to address: String, text: String, clientRef: String, requestReport: Bool, from: String? = nil) -> DeliveryResult {
        guard let to = VonageNumber.wire(address) else { return .permanentFailure(reason: "\(address) is not an E.164 number") }
        var fields: [(name: String, value: String)] = [
            ("api_key", settings.apiKey),
            ("api_secret", settings.apiSecret.value),
            ("from", VonageNumber.sender(from ?? settings.from)),
            ("to", to),
            ("text", text),
            ("type", VonageSMSType(for: text).rawValue),
            // Echoed in the answer and the receipt; Vonage allows 40 characters.
            ("client-ref", String(clientRef.prefix(40))),
            ("ttl", String(settings.smsTTLSeconds * 1000)),
        ]
        if requestReport {
            fields.append(("callback", "\(callbackBase)/dlr"))
            fields.append(("status-report-req", "1"))
        }
        let request = HTTPClientRequest(method: "POST", url: "\(settings.smsBaseURL)/sms/json",
                                        headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                        body: Array(FormEncoding.encode(fields).utf8), timeout: settings.requestTimeoutSeconds)
        let response: HTTPClientResponse
        switch exchange(request) {
        case .failure(let result): return result
        case .success(let answer): response = answer
        }
        guard response.status == 200 else { return httpFailure(response, what: "SMS") }
        return Self.smsResult(response.body)
    }

    /// HTTP 200 can still be a failure: every part's `status` must be "0".
    static func smsResult(_ body: [UInt8]) -> DeliveryResult {
        guard let answer = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let messages = answer["messages"] as? [[String: Any]], !messages.isEmpty else {
            // The message may have gone out; for a page a duplicate beats a loss.
            return .temporaryFailure(reason: "Vonage SMS answered 200 without a readable message list", retryAfter: nil)
        }
        let failures = messages.compactMap { part -> (status: VonageSMSStatus, text: String)? in
            let status = VonageSMSStatus(code: part["status"] as? String ?? "")
            return status.isSuccess ? nil : (status, part["error-text"] as? String ?? status.meaning)
        }
        guard let first = failures.first(where: { !$0.status.isTemporary }) ?? failures.first else {
            return .accepted(providerMessageId: messages.first?["message-id"] as? String)
        }
        let reason = "Vonage SMS status \(first.status.code) (\(first.status.meaning)): \(first.text)"
        if first.status.isTemporary { return .temporaryFailure(reason: reason, retryAfter: nil) }
        return first.status.isGatewayProblem ? .gatewayFailure(reason: reason) : .permanentFailure(reason: reason)
    }

    // MARK: Voice

    func placeCall(_ message: OutgoingMessage) -> DeliveryResult {
        guard let applicationKey, let applicationId = settings.applicationId else {
            return .gatewayFailure(reason: "voice is not configured for Vonage gateway \(name)")
        }
        guard let to = VonageNumber.wire(message.address) else { return .permanentFailure(reason: "\(message.address) is not an E.164 number") }
        guard let from = VonageNumber.wire(settings.from) else { return .gatewayFailure(reason: "calls need a number as 'from', not a sender ID") }
        let script = scripts.script(messageId: message.id) ?? Self.fallbackScript(message)
        let body: [String: any Sendable] = [
            "to": [["type": "phone", "number": to]],
            "from": ["type": "phone", "number": from],
            "ncco": VonageNCCO.page(script: script, language: settings.voiceLanguage, inputURL: inputURL(messageId: message.id),
                                    keyTimeout: settings.keyTimeoutSeconds),
            "event_url": ["\(callbackBase)/event"],
            "event_method": "POST",
            "ringing_timer": settings.ringingTimerSeconds,
            "length_timer": 300,
            // An answering machine cannot acknowledge: hang up, the page fails and escalation moves on.
            "machine_detection": "hangup",
        ]
        let now = Int(context.now().timeIntervalSince1970)
        let token: String
        do {
            token = try JWT.signRS256(claims: VonageApplicationClaims(applicationId: applicationId, issuedAt: now, expiresAt: now + 300,
                                                                      tokenId: UUID().uuidString.lowercased()),
                                      key: applicationKey)
        } catch {
            return .gatewayFailure(reason: "cannot sign the Vonage application JWT: \(error)")
        }
        let request = HTTPClientRequest(method: "POST", url: "\(settings.voiceBaseURL)/v1/calls",
                                        headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"),
                                                  ("Accept", "application/json")],
                                        body: VonageNCCO.json(body), timeout: settings.requestTimeoutSeconds)
        let response: HTTPClientResponse
        switch exchange(request) {
        case .failure(let result): return result
        case .success(let answer): response = answer
        }
        guard response.status == 201 || response.status == 200 else { return httpFailure(response, what: "call") }
        guard let answer = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let uuid = answer["uuid"] as? String, !uuid.isEmpty else {
            return .temporaryFailure(reason: "Vonage accepted the call without a uuid", retryAfter: nil)
        }
        return .accepted(providerMessageId: uuid)
    }

    /// Without the server's script: the alerts' summaries (never the text, whose links cannot be read out).
    static func fallbackScript(_ message: OutgoingMessage) -> VoiceScript {
        let words = message.summaries.isEmpty ? message.subject : message.summaries.joined(separator: ". ")
        return VoiceScript(text: words.isEmpty ? message.text : words, acceptsKeys: message.kind == .alert && !message.alertIds.isEmpty)
    }

    func inputURL(messageId: String, repeated: Int = 0) -> String {
        "\(callbackBase)/input/\(PercentEncoding.encode(messageId))" + (repeated > 0 ? "?repeat=\(repeated)" : "")
    }

    // MARK: HTTP

    private enum Exchange {
        case success(HTTPClientResponse)
        case failure(DeliveryResult)
    }

    private func exchange(_ request: HTTPClientRequest) -> Exchange {
        do throws(HTTPClientError) {
            return .success(try context.http.send(request))
        } catch .invalidRequest(let reason) {
            return .failure(.gatewayFailure(reason: "cannot call Vonage: \(reason)"))
        } catch {
            return .failure(.temporaryFailure(reason: "Vonage: \(error)", retryAfter: nil))
        }
    }

    /// 429 and 5xx are worth another try; any other status means the request itself is wrong
    /// (auth, a bad number) and will fail again.
    private func httpFailure(_ response: HTTPClientResponse, what: String) -> DeliveryResult {
        let detail = Self.errorDetail(response)
        let reason = "Vonage \(what) answered HTTP \(response.status)" + (detail.isEmpty ? "" : ": \(detail)")
        if response.status == 429 || response.status >= 500 {
            return .temporaryFailure(reason: reason, retryAfter: response.retryAfter(now: context.now()))
        }
        // Refused keys or JWT: our account's problem, not the callee's.
        if response.status == 401 || response.status == 403 { return .gatewayFailure(reason: reason) }
        return .permanentFailure(reason: reason)
    }

    /// The `title`/`detail` of Vonage's problem documents, or `error-text`; never the whole body.
    private static func errorDetail(_ response: HTTPClientResponse) -> String {
        guard let answer = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else { return "" }
        return ["title", "detail", "error_title", "error-text"].compactMap { answer[$0] as? String }.joined(separator: ": ")
    }
}
