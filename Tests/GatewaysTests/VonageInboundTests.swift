import Cryptography
import FakeGateways
import Foundation
@testable import Gateways
import HTTPServer
import Logging
import OutboundHTTP
import Testing

/// The gateway's webhook routes on a real server, called over loopback as Vonage would call them.
@Suite struct VonageInboundTests {
    /// Our server with the gateway's routes, the recording events, and a fake Vonage for replies.
    final class Harness: Sendable {
        let events = VonageRecordingEvents()
        let fake: VonageFakeServer
        let server: HTTPServer
        let client = HTTPClient()
        let prefix = "/providers/vonage/vonage-backup"

        init(now: Date = VonageTestSupport.inboundSMSTime) throws {
            fake = try VonageFakeServer(apiKey: VonageTestSupport.apiKey, apiSecret: VonageTestSupport.apiSecret,
                                        applicationId: VonageTestSupport.applicationId, publicKey: nil,
                                        callbackBase: "https://pager.example.eu/providers/vonage/vonage-backup")
            let gateway = try VonageTestSupport.gateway(smsBaseURL: fake.base, voiceBaseURL: fake.base, voice: false, now: now)
            var router = Router()
            gateway.registerInbound(on: &router, events: events)
            var configuration = ServerConfiguration()
            configuration.host = "127.0.0.1"
            configuration.port = 0
            configuration.shutdownGracePeriod = .seconds(1)
            server = HTTPServer(configuration: configuration, responder: router, logger: VonageTestSupport.quietLogger)
            try server.start()
        }

        func stop() {
            server.shutdown()
            fake.stop()
        }

        func request(_ method: String, _ path: String, body: [UInt8] = [], headers: [(name: String, value: String)] = []) throws -> HTTPClientResponse {
            try client.send(HTTPClientRequest(method: method, url: "http://127.0.0.1:\(server.localPort)\(prefix)\(path)", headers: headers, body: body))
        }

        func postJSON(_ path: String, _ body: [UInt8]) throws -> HTTPClientResponse {
            try request("POST", path, body: body, headers: [("Content-Type", "application/json")])
        }

        func postForm(_ path: String, _ parameters: [String: String]) throws -> HTTPClientResponse {
            let body = FormEncoding.encode(parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            return try request("POST", path, body: Array(body.utf8), headers: [("Content-Type", "application/x-www-form-urlencoded")])
        }

        /// A voice webhook with Vonage's JWT over `body` (or the given Authorization).
        func postVoice(_ path: String, _ body: [UInt8], authorization: String? = nil) throws -> HTTPClientResponse {
            let authorization = authorization ?? "Bearer \(VonageTestSupport.webhookJWT(body: body))"
            return try request("POST", path, body: body, headers: [("Content-Type", "application/json"), ("Authorization", authorization)])
        }
    }

    private static func json(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    private static func expectRefused(_ response: HTTPClientResponse, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 403, comment, sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/problem+json", comment, sourceLocation: sourceLocation)
    }

    // MARK: Inbound SMS

    @Test func signedInboundSMSArrivesInEveryFlavour() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let json = Array(try VonageTestSupport.fixture("inbound_sms_webhook.json"))
        let query = String(decoding: try VonageTestSupport.fixture("inbound_sms_webhook.query"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try harness.postJSON("/sms", json).status == 200)
        #expect(try harness.request("GET", "/sms?\(query)").status == 200)
        #expect(try harness.request("POST", "/sms", body: Array(query.utf8), headers: [("Content-Type", "application/x-www-form-urlencoded")]).status == 200)
        let expected = InboundSMS(gateway: "vonage-backup", providerMessageId: "1D0000012E5AB3C9", from: "+447700900123",
                                  to: "+447700900500", text: "ACK 4821 & on it")
        // The same message three times: each is handed on; InboundEvents de-duplicates by id.
        #expect(harness.events.sms == [expected, expected, expected])
        // No reply asked for, none sent.
        #expect(harness.fake.requests.isEmpty)
    }

    @Test func forgedUnsignedAndStaleSMSAreRefused() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let fixture = VonageTestSupport.stringValues(try VonageTestSupport.jsonFixture("inbound_sms_webhook.json"))
        var forged = fixture
        forged["text"] = "1c"
        Self.expectRefused(try harness.postJSON("/sms", Self.json(forged)), "forged")
        var unsigned = fixture
        unsigned["sig"] = nil
        Self.expectRefused(try harness.postForm("/sms", unsigned), "unsigned")
        Self.expectRefused(try harness.request("GET", "/sms?msisdn=447700900123&text=1a&messageId=X"), "unsigned GET")
        var otherSecret = fixture
        otherSecret["sig"] = VonageSMSSignature(secret: "not-ours", method: .sha256).signature(of: fixture)
        Self.expectRefused(try harness.postJSON("/sms", Self.json(otherSecret)), "another secret")
        let late = try Harness(now: VonageTestSupport.inboundSMSTime.addingTimeInterval(600))
        defer { late.stop() }
        Self.expectRefused(try late.postJSON("/sms", Self.json(fixture)), "stale")
        #expect(harness.events.nothingReceived && late.events.nothingReceived)
        // Not JSON at all.
        #expect(try harness.request("POST", "/sms", body: Array("{".utf8), headers: [("Content-Type", "application/json")]).status == 400)
        #expect(harness.events.nothingReceived)
    }

    @Test func aReplyGoesBackBySMSFromTheNumberTexted() throws {
        let harness = try Harness()
        defer { harness.stop() }
        harness.events.state.withLock { $0.reply = "Acknowledged alert 1" }
        let signed = VonageTestSupport.signed(["msisdn": "447700900123", "to": "447700900777", "messageId": "1D0000012E5AB3CA",
                                               "text": "1a", "type": "text", "keyword": "1A", "api-key": VonageTestSupport.apiKey,
                                               "message-timestamp": "2026-03-10 09:16:40"])
        #expect(try harness.postForm("/sms", signed).status == 200)
        #expect(harness.events.sms.map(\.text) == ["1a"])
        let sent = try #require(harness.fake.waitForRequests(1).first)
        #expect(sent.form["to"] == "447700900123")
        #expect(sent.form["from"] == "447700900777")
        #expect(sent.form["text"] == "Acknowledged alert 1")
        #expect(sent.form["client-ref"] == "reply-1D0000012E5AB3CA")
        #expect(sent.form["callback"] == nil && sent.form["status-report-req"] == nil)

        // A replay is handed on (InboundEvents answers it again) but sends no second reply: the
        // next reply to reach Vonage is the one for the next message.
        #expect(try harness.postForm("/sms", signed).status == 200)
        #expect(harness.events.sms.count == 2)
        var next = signed
        next["messageId"] = "1D0000012E5AB3CB"
        #expect(try harness.postForm("/sms", VonageTestSupport.signed(next)).status == 200)
        let replies = harness.fake.waitForRequests(2)
        #expect(replies.map { $0.form["client-ref"] } == ["reply-1D0000012E5AB3CA", "reply-1D0000012E5AB3CB"])
        #expect(harness.fake.violations.isEmpty, "\(harness.fake.violations)")
    }

    @Test func theReplyLedgerRemembersForTwiceTheFreshnessWindow() {
        let ledger = VonageReplyLedger(keep: 600)
        let start = VonageTestSupport.inboundSMSTime
        #expect(ledger.claim("A", now: start))
        #expect(!ledger.claim("A", now: start.addingTimeInterval(600)))
        #expect(ledger.claim("B", now: start.addingTimeInterval(1)))
        // Past the window a replay is refused as stale before it gets here; the entry may go.
        #expect(ledger.claim("A", now: start.addingTimeInterval(601)))
    }

    @Test func laterPartsOfALongTextAndBinaryMessagesAreAcknowledgedButNotHandedOn() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let part = ["msisdn": "447700900123", "to": "447700900500", "text": "part", "type": "text", "concat": "true", "concat-ref": "7",
                    "concat-total": "2", "api-key": VonageTestSupport.apiKey]
        var first = part
        first["messageId"] = "P1"
        first["concat-part"] = "1"
        var second = part
        second["messageId"] = "P2"
        second["concat-part"] = "2"
        #expect(try harness.postForm("/sms", VonageTestSupport.signed(second)).status == 200)
        #expect(try harness.postForm("/sms", VonageTestSupport.signed(first)).status == 200)
        var binary = part
        binary["messageId"] = "B1"
        binary["type"] = "binary"
        binary["concat"] = nil
        #expect(try harness.postForm("/sms", VonageTestSupport.signed(binary)).status == 200)
        #expect(harness.events.sms.map(\.providerMessageId) == ["P1"])
    }

    // MARK: Delivery receipts

    @Test func deliveryReceiptsMapToDeliveryReports() throws {
        let harness = try Harness(now: Date(timeIntervalSince1970: 1_773_133_971))
        defer { harness.stop() }
        #expect(try harness.postJSON("/dlr", Array(try VonageTestSupport.fixture("dlr_delivered.json"))).status == 200)
        let receipt = VonageTestSupport.stringValues(try VonageTestSupport.jsonFixture("dlr_delivered.json"))
        let cases: [(String, String, DeliveryReport.Status)] = [
            ("accepted", "0", .sent), ("buffered", "0", .sent), ("failed", "9", .failed), ("rejected", "9", .failed),
            ("expired", "5", .failed), ("unknown", "99", .failed),
        ]
        for (index, (word, code, _)) in cases.enumerated() {
            var parameters = receipt
            parameters["status"] = word
            parameters["err-code"] = code
            parameters["messageId"] = "M\(index)"
            let signed = VonageTestSupport.signed(parameters, at: Date(timeIntervalSince1970: 1_773_133_971))
            // Both POST flavours and GET, as the dashboard may be set.
            let response = switch index % 3 {
            case 0: try harness.postForm("/dlr", signed)
            case 1: try harness.postJSON("/dlr", Self.json(signed))
            default: try harness.request("GET", "/dlr?" + FormEncoding.encode(signed.map { ($0.key, $0.value) }))
            }
            #expect(response.status == 200, "\(word)")
        }
        let reports = harness.events.reports
        #expect(reports.first == DeliveryReport(gateway: "vonage-backup", providerMessageId: "1C00000A3F8E2B17", status: .delivered,
                                                detail: "delivered (err-code 0)"))
        #expect(reports.dropFirst().map(\.status) == cases.map(\.2))
        #expect(reports.dropFirst().map(\.providerMessageId) == (0..<cases.count).map { "M\($0)" })
        #expect(reports[3].detail == "failed (err-code 9)")

        var forged = receipt
        forged["status"] = "failed"
        Self.expectRefused(try harness.postJSON("/dlr", Self.json(forged)))
        #expect(harness.events.reports.count == cases.count + 1)
    }

    // MARK: Voice

    @Test func aKeyPressActsAndIsAnswered() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let body = Array(try VonageTestSupport.fixture("voice_input_event.json"))
        let answer = try harness.postVoice("/input/msg_7Hk2", body)
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "application/json")
        let ncco = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [[String: Any]])
        #expect(ncco.count == 1 && ncco[0]["action"] as? String == "talk" && ncco[0]["text"] as? String == "Acknowledged. Goodbye.")
        #expect(harness.events.keys == [KeyPress(gateway: "vonage-backup", callId: "15f79a16-c6b6-4f7c-b43b-703a0e33194e", digits: "1")])

        // The legacy flat payload, resolving.
        harness.events.state.withLock { $0.outcome = .resolved }
        let legacy = Self.json(["dtmf": "3", "timed_out": false, "uuid": "call-2", "conversation_uuid": "CON-2"])
        let resolved = try harness.postVoice("/input/msg_7Hk2", legacy)
        let said = try #require(try JSONSerialization.jsonObject(with: Data(resolved.body)) as? [[String: Any]])
        #expect(said.first?["text"] as? String == "Resolved. Goodbye.")
        #expect(harness.events.keys.last == KeyPress(gateway: "vonage-backup", callId: "call-2", digits: "3"))
    }

    @Test func noKeyOrAWrongKeyRepeatsThePageTwiceAtMost() throws {
        let harness = try Harness()
        defer { harness.stop() }
        harness.events.state.withLock {
            $0.scripts["msg_7Hk2"] = VoiceScript(text: "Watchkeeper alert: disk full.", acceptsKeys: true)
            $0.outcome = .unknownKey
        }
        let silence = Self.json(["dtmf": ["digits": "", "timed_out": true], "uuid": "call-1"])
        let first = try #require(try JSONSerialization.jsonObject(with: Data(try harness.postVoice("/input/msg_7Hk2", silence).body)) as? [[String: Any]])
        #expect(first.count == 2)
        #expect(first[0]["text"] as? String == "Watchkeeper alert: disk full. Press 1 to acknowledge, 2 to escalate, 3 to resolve.")
        #expect(first[1]["eventUrl"] as? [String] == ["https://pager.example.eu/providers/vonage/vonage-backup/input/msg_7Hk2?repeat=1"])
        #expect(harness.events.keys.isEmpty)

        let wrongKey = Self.json(["dtmf": ["digits": "7", "timed_out": false], "uuid": "call-1"])
        let second = try #require(try JSONSerialization.jsonObject(with: Data(try harness.postVoice("/input/msg_7Hk2?repeat=1", wrongKey).body)) as? [[String: Any]])
        #expect(second[0]["text"] as? String == "Sorry, that key is not a choice. Watchkeeper alert: disk full. Press 1 to acknowledge, 2 to escalate, 3 to resolve.")
        #expect(second[1]["eventUrl"] as? [String] == ["https://pager.example.eu/providers/vonage/vonage-backup/input/msg_7Hk2?repeat=2"])
        #expect(harness.events.keys.map(\.digits) == ["7"])

        let last = try #require(try JSONSerialization.jsonObject(with: Data(try harness.postVoice("/input/msg_7Hk2?repeat=2", silence).body)) as? [[String: Any]])
        #expect(last.count == 1 && last[0]["text"] as? String == "Goodbye.")
    }

    @Test func unsignedOrForgedVoiceWebhooksAreRefused() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let body = Array(try VonageTestSupport.fixture("voice_input_event.json"))
        Self.expectRefused(try harness.request("POST", "/input/msg_7Hk2", body: body, headers: [("Content-Type", "application/json")]), "unsigned")
        let forged = "Bearer \(VonageTestSupport.webhookJWT(body: body, secret: "not-ours"))"
        Self.expectRefused(try harness.postVoice("/input/msg_7Hk2", body, authorization: forged), "forged")
        // A valid token lifted onto another body.
        let other = Self.json(["dtmf": ["digits": "3"], "uuid": "15f79a16-c6b6-4f7c-b43b-703a0e33194e"])
        Self.expectRefused(try harness.postVoice("/input/msg_7Hk2", other, authorization: "Bearer \(VonageTestSupport.webhookJWT(body: body))"), "other body")
        let stale = "Bearer \(VonageTestSupport.webhookJWT(body: body, issuedAt: VonageTestSupport.inboundSMSTime.addingTimeInterval(-900)))"
        Self.expectRefused(try harness.postVoice("/input/msg_7Hk2", body, authorization: stale), "stale")
        let event = Self.json(["uuid": "call-1", "status": "answered"])
        Self.expectRefused(try harness.request("POST", "/event", body: event, headers: [("Content-Type", "application/json")]), "unsigned event")
        #expect(harness.events.nothingReceived)
    }

    @Test func callEventsBecomeDeliveryReports() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let words = ["started", "ringing", "answered", "human", "completed", "busy", "failed", "rejected", "timeout", "unanswered", "cancelled", "machine"]
        for word in words {
            var event: [String: Any] = ["uuid": "call-\(word)", "status": word, "conversation_uuid": "CON-1", "timestamp": "2026-03-10T09:15:02.418Z"]
            if word == "failed" { event["reason"] = "no route" }
            #expect(try harness.postVoice("/event", Self.json(event)).status == 200, "\(word)")
        }
        let reports = harness.events.reports
        #expect(reports.map(\.providerMessageId) == words.filter { $0 != "human" }.map { "call-\($0)" })
        #expect(reports.map(\.status) == [.sent, .sent, .delivered, .delivered, .failed, .failed, .failed, .failed, .failed, .failed, .failed])
        #expect(reports.first { $0.providerMessageId == "call-failed" }?.detail == "call failed (no route)")
    }
}
