import Foundation
@testable import Gateways
import HTTPServer
import Logging
import OutboundHTTP
import Testing

/// The routes Twilio calls, over real sockets: the shared fixture webhooks replayed with their
/// oracle signatures, then signed, forged, unsigned and wrong-URL requests of our own.
@Suite struct TwilioInboundTests {
    /// A server with one Twilio gateway's routes, and a recording stand-in for the paging side.
    final class Harness: Sendable {
        let events = TwilioRecordingEvents()
        let gateway: TwilioGateway
        let server: HTTPServer
        let client = HTTPClient()
        var local: String { "http://127.0.0.1:\(server.localPort)" }

        init(publicURL: String = "https://pager.example.eu", extra: String = "") throws {
            let settings = #"{"name": "main", "kind": "twilio", "accountSid": "ACedf4d5fe3e00e6f515b456eda2e535e3", "authToken": "\#(TwilioFixtures.authToken)", "from": "+447700900500"\#(extra)}"#
            let context = GatewayContext(publicURL: publicURL, http: HTTPClient(), logger: Logger(label: "twilio") { _ in SwiftLogNoOpLogHandler() },
                                         now: { Date() })
            gateway = try TwilioGateway(name: "main", settings: Data(settings.utf8), context: context)
            var router = Router()
            gateway.registerInbound(on: &router, events: events)
            var configuration = ServerConfiguration()
            configuration.host = "127.0.0.1"
            configuration.port = 0
            server = HTTPServer(configuration: configuration, responder: router, logger: Logger(label: "server") { _ in SwiftLogNoOpLogHandler() })
            try server.start()
        }

        func stop() { server.shutdown() }

        /// POSTs `body` to `target` (path and query) on the loopback server.
        func post(_ target: String, body: [UInt8], signature: String?, contentType: String = "application/x-www-form-urlencoded; charset=utf-8") throws -> HTTPClientResponse {
            var headers: [(name: String, value: String)] = [("Content-Type", contentType)]
            if let signature { headers.append(("X-Twilio-Signature", signature)) }
            return try client.send(HTTPClientRequest(method: "POST", url: local + target, headers: headers, body: body))
        }

        /// POSTs `parameters` to `target`, signed as Twilio would for `signedFor` (by default the
        /// public URL of the target).
        func postSigned(_ target: String, _ parameters: [(name: String, value: String)], signedFor: String? = nil,
                        token: String = TwilioFixtures.authToken) throws -> HTTPClientResponse {
            let signature = TwilioSignature.compute(url: signedFor ?? gateway.context.publicURL + target, parameters: parameters, authToken: token)
            return try post(target, body: Array(FormEncoding.encode(parameters).utf8), signature: signature)
        }
    }

    static let callParameters: [(name: String, value: String)] = [
        ("AccountSid", "ACedf4d5fe3e00e6f515b456eda2e535e3"), ("CallSid", "CA0000000000000000000000000000000a"), ("CallStatus", "in-progress"),
        ("Direction", "outbound-api"), ("From", "+447700900500"), ("To", "+447700900123"),
    ]

    /// Tags and attribute names in order: the shape of a TwiML document, without its words.
    static func skeleton(_ xml: String) -> [String] {
        let tag = try! Regex(#"<(/?)([A-Za-z]+)([^>]*?)(/?)>"#)
        let attribute = try! Regex(#"([A-Za-z]+)=""#)
        return xml.matches(of: tag).compactMap { match -> String? in
            let name = String(match.output[2].substring ?? "")
            if name == "xml" { return nil }
            let closing = match.output[1].substring == "/" ? "/" : ""
            let attributes = String(match.output[3].substring ?? "").matches(of: attribute).map { String($0.output[1].substring ?? "") }
            let selfClosing = match.output[4].substring == "/" ? "/" : ""
            return closing + name + (attributes.isEmpty ? "" : "(" + attributes.joined(separator: ",") + ")") + selfClosing
        }
    }

    // MARK: Fixture replays

    @Test func theFixtureWebhooksReplayWithTheirOwnSignatures() throws {
        // The fixtures were signed for https://pager.example.eu/hooks/twilio/…: a proxy maps that
        // onto /providers/twilio/main/…, and callbackURL says so.
        let harness = try Harness(extra: #", "callbackURL": "https://pager.example.eu/hooks/twilio""#)
        defer { harness.stop() }
        harness.events.state.withLock { $0.smsReply = "Alert 4821 <acknowledged> & noted" }
        let index = try #require(TwilioFixtures.json("webhooks_index.json") as? [[String: Any]])
        var answers: [String: HTTPClientResponse] = [:]
        for entry in index {
            let file = try #require((entry["file"] as? String)?.replacingOccurrences(of: "twilio/", with: ""))
            let url = try #require(entry["url"] as? String)
            let signature = try #require((entry["headers"] as? [String: Any])?["X-Twilio-Signature"] as? String)
            let target = "/providers/twilio/main" + url.dropFirst("https://pager.example.eu/hooks/twilio".count)
            let response = try harness.post(target, body: TwilioFixtures.bytes(file), signature: signature,
                                            contentType: try #require(entry["content_type"] as? String))
            #expect(response.status / 100 == 2, "\(file): \(response.status) \(response.text)")
            answers[file] = response
        }
        let events = harness.events
        #expect(events.sms == [InboundSMS(gateway: "main", providerMessageId: "SMf6ae3ba65f81767e3ad95ab0a155e3f3", from: "+447700900123",
                                          to: "+447700900500", text: "ACK 4821 – on it")])
        #expect(answers["inbound_sms_webhook.form"]?.text
            == #"<?xml version="1.0" encoding="UTF-8"?><Response><Message>Alert 4821 &lt;acknowledged&gt; &amp; noted</Message></Response>"#)
        #expect(answers["inbound_sms_webhook.form"]?.header("Content-Type") == "text/xml; charset=utf-8")
        #expect(events.keys == [KeyPress(gateway: "main", callId: "CAd497559f909551ca1f9b7a55dbde3506", digits: "1")])
        let ack = answers["gather_callback.form"]?.text ?? ""
        #expect(Self.skeleton(ack) == Self.skeleton(TwilioFixtures.text("voice_ack.twiml.xml")))
        #expect(ack.contains("Acknowledged. Thank you."))
        #expect(events.reports == [
            DeliveryReport(gateway: "main", providerMessageId: "SM2bd279a090a4f437442a3e3a17741a21", status: .delivered, detail: "twilio delivered"),
            DeliveryReport(gateway: "main", providerMessageId: "SM9db7b5d3195190363fec0d8116a5f3b5", status: .failed, detail: "twilio failed, error 30008"),
            DeliveryReport(gateway: "main", providerMessageId: "SM9db7b5d3195190363fec0d8116a5f3b5", status: .failed, detail: "twilio undelivered, error 30003"),
            DeliveryReport(gateway: "main", providerMessageId: "CAd497559f909551ca1f9b7a55dbde3506", status: .delivered, detail: "twilio call completed, 38 s"),
            DeliveryReport(gateway: "main", providerMessageId: "CAac83c6a4bbd6cd4d50e22458ca6827e6", status: .failed, detail: "twilio call no-answer"),
        ])
    }

    @Test func fixtureWebhooksAreRefusedWithoutTheProxyMapping() throws {
        // Same requests, but the gateway believes Twilio calls /providers/twilio/main/…: the
        // signatures (over /hooks/twilio/…) do not match, and nothing happens.
        let harness = try Harness()
        defer { harness.stop() }
        let index = try #require(TwilioFixtures.json("webhooks_index.json") as? [[String: Any]])
        for entry in index {
            let file = try #require((entry["file"] as? String)?.replacingOccurrences(of: "twilio/", with: ""))
            let url = try #require(entry["url"] as? String)
            let signature = try #require((entry["headers"] as? [String: Any])?["X-Twilio-Signature"] as? String)
            let target = "/providers/twilio/main" + url.dropFirst("https://pager.example.eu/hooks/twilio".count)
            let response = try harness.post(target, body: TwilioFixtures.bytes(file), signature: signature)
            #expect(response.status == 403, "\(file)")
        }
        #expect(harness.events.isUntouched)
    }

    @Test func theJSONBodyVariantIsAcceptedWhenItsHashMatches() throws {
        // Vector 3's body (the vector itself passes in TwilioSignatureTests), sent to our status
        // route with bodySHA256 in the URL, signed over that URL alone.
        let harness = try Harness()
        defer { harness.stop() }
        let vector = try #require(((TwilioFixtures.json("signature_vectors.json") as? [String: Any])?["vectors"] as? [[String: Any]])?[2])
        let body = try #require(vector["raw_body"] as? String)
        let hash = try #require(vector["body_sha256_hex"] as? String)
        let target = "/providers/twilio/main/sms-status?bodySHA256=\(hash)"
        let signature = TwilioSignature.compute(url: "https://pager.example.eu" + target, parameters: [], authToken: TwilioFixtures.authToken)
        let tampered = body.replacingOccurrences(of: "delivered", with: "failed")
        #expect(try harness.post(target, body: Array(tampered.utf8), signature: signature, contentType: "application/json").status == 403)
        #expect(harness.events.isUntouched)
        let response = try harness.post(target, body: Array(body.utf8), signature: signature, contentType: "application/json")
        #expect(response.status == 204)
        #expect(harness.events.reports == [DeliveryReport(gateway: "main", providerMessageId: "SM2bd279a090a4f437442a3e3a17741a21",
                                                          status: .delivered, detail: "twilio delivered")])
    }

    // MARK: Refusals

    static let sms: [(name: String, value: String)] = [
        ("AccountSid", "ACedf4d5fe3e00e6f515b456eda2e535e3"), ("Body", "1a"), ("From", "+447700900123"),
        ("MessageSid", "SM00000000000000000000000000000001"), ("To", "+447700900500"), ("ToZip", ""),
    ]

    @Test func signedRequestsPassAndEveryOtherKindIsRefused() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let body = Array(FormEncoding.encode(Self.sms).utf8)
        let good = TwilioSignature.compute(url: "https://pager.example.eu/providers/twilio/main/sms", parameters: Self.sms,
                                           authToken: TwilioFixtures.authToken)
        var refusals: [HTTPClientResponse] = []
        // Unsigned, empty signature, garbage.
        refusals.append(try harness.post("/providers/twilio/main/sms", body: body, signature: nil))
        refusals.append(try harness.post("/providers/twilio/main/sms", body: body, signature: ""))
        refusals.append(try harness.post("/providers/twilio/main/sms", body: body, signature: "bm90IGEgc2lnbmF0dXJl"))
        // Forged: the body changed after signing ("1a" became "1c"), or signed with another token.
        var changed = Self.sms
        changed[1].value = "1c"
        refusals.append(try harness.post("/providers/twilio/main/sms", body: Array(FormEncoding.encode(changed).utf8), signature: good))
        refusals.append(try harness.postSigned("/providers/twilio/main/sms", Self.sms, token: "another-token"))
        // Wrong URL: signed for another route, another query, http://, or the loopback address
        // the request really came in on (what the Host header says).
        refusals.append(try harness.post("/providers/twilio/main/sms-status", body: body, signature: good))
        refusals.append(try harness.post("/providers/twilio/main/sms?x=1", body: body, signature: good))
        refusals.append(try harness.postSigned("/providers/twilio/main/sms", Self.sms, signedFor: "http://pager.example.eu/providers/twilio/main/sms"))
        refusals.append(try harness.postSigned("/providers/twilio/main/sms", Self.sms, signedFor: harness.local + "/providers/twilio/main/sms"))
        for (index, response) in refusals.enumerated() {
            #expect(response.status == 403, "refusal \(index)")
            #expect(response.header("Content-Type") == "application/problem+json", "refusal \(index)")
        }
        #expect(harness.events.isUntouched)
        // The genuine request, behind the proxy: signed for the public URL, received on loopback.
        let accepted = try harness.post("/providers/twilio/main/sms", body: body, signature: good)
        #expect(accepted.status == 200)
        #expect(accepted.text == #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#)
        #expect(harness.events.sms.map(\.text) == ["1a"])
    }

    @Test func everyRouteChecksTheSignatureFirst() throws {
        let harness = try Harness()
        defer { harness.stop() }
        harness.events.state.withLock { $0.scripts["m-1"] = VoiceScript(text: "Sev 1", acceptsKeys: true) }
        let targets = ["/providers/twilio/main/sms", "/providers/twilio/main/sms-status?page=m-1", "/providers/twilio/main/voice/answer?page=m-1&attempt=1",
                       "/providers/twilio/main/voice/gather?page=m-1&attempt=1", "/providers/twilio/main/voice/status?page=m-1"]
        let parameters = Self.callParameters + [("Digits", "1"), ("MessageSid", "SM1"), ("MessageStatus", "delivered"), ("Body", "1a")]
        for target in targets {
            let forged = TwilioSignature.compute(url: "https://pager.example.eu" + target, parameters: parameters, authToken: "wrong")
            #expect(try harness.post(target, body: Array(FormEncoding.encode(parameters).utf8), signature: forged).status == 403, "\(target)")
            #expect(try harness.post(target, body: Array(FormEncoding.encode(parameters).utf8), signature: nil).status == 403, "\(target)")
        }
        #expect(harness.events.isUntouched)
        for target in targets {
            #expect(try harness.postSigned(target, parameters).status / 100 == 2, "\(target)")
        }
        #expect(harness.events.sms.count == 1 && harness.events.keys.count == 1 && harness.events.reports.count == 2)
    }

    @Test func signedButIncompleteRequestsAreBadRequests() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let noSid = Self.sms.filter { $0.name != "MessageSid" }
        let response = try harness.postSigned("/providers/twilio/main/sms", noSid)
        #expect(response.status == 400 && response.header("Content-Type") == "application/problem+json")
        #expect(try harness.postSigned("/providers/twilio/main/voice/answer", Self.callParameters).status == 400)
        // Malformed percent-encoding cannot be signed (nor checked).
        #expect(try harness.post("/providers/twilio/main/sms", body: Array("Body=%E2%80".utf8), signature: "x").status == 400)
        #expect(harness.events.isUntouched)
    }

    // MARK: Status callbacks

    @Test func statusWordsMapToDeliveryReports() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let messages: [(String, DeliveryReport.Status?)] = [
            ("queued", .sent), ("sending", .sent), ("sent", .sent), ("delivered", .delivered), ("undelivered", .failed),
            ("failed", .failed), ("receiving", nil), ("something-new", nil),
        ]
        for (word, _) in messages {
            let response = try harness.postSigned("/providers/twilio/main/sms-status?page=m", [("MessageSid", "SM-\(word)"), ("MessageStatus", word)])
            #expect(response.status == 204)
        }
        let calls: [(String, DeliveryReport.Status?)] = [
            ("initiated", .sent), ("ringing", .sent), ("in-progress", .sent), ("completed", .delivered), ("busy", .failed),
            ("no-answer", .failed), ("canceled", .failed), ("failed", .failed), ("unheard-of", nil),
        ]
        for (word, _) in calls {
            let response = try harness.postSigned("/providers/twilio/main/voice/status?page=m", [("CallSid", "CA-\(word)"), ("CallStatus", word)])
            #expect(response.status == 204)
        }
        let reports = harness.events.reports
        #expect(reports.map(\.providerMessageId) == messages.filter { $0.1 != nil }.map { "SM-\($0.0)" } + calls.filter { $0.1 != nil }.map { "CA-\($0.0)" })
        #expect(reports.map(\.status) == messages.compactMap(\.1) + calls.compactMap(\.1))
        #expect(reports.allSatisfy { $0.gateway == "main" })
    }
}
