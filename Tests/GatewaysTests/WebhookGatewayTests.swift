import Cryptography
import Foundation
import Gateways
import Testing

@Suite struct WebhookGatewayTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func aSignedJSONPostWithEveryAlertAndAckLink() throws {
        let receiver = try WebhookReceiver(now: Self.now)
        defer { receiver.stop() }
        let message = WebhookReceiver.page(.webhook, to: receiver.base + "/hook", text: "Two alerts\nhttps://pager.example.eu/a/tok_1",
                                           alertIds: ["alt_1", "alt_2"],
                                           ackLinks: ["https://pager.example.eu/a/tok_1", "https://pager.example.eu/a/tok_2"])
        #expect(try receiver.gateway().send(message) == .accepted(providerMessageId: nil))
        let request = try #require(receiver.received.first)
        #expect(request.headers["x-watchkeeper-timestamp"] == "1795000000")
        #expect(request.headers["x-watchkeeper-signature"]?.hasPrefix("sha256=") == true)
        let json = request.json
        #expect(json["id"] as? String == "msg_01JWH")
        #expect(json["kind"] as? String == "alert")
        #expect(json["subject"] as? String == "Sev 1: ransomware on FIN-DB-01")
        #expect(json["text"] as? String == "Two alerts\nhttps://pager.example.eu/a/tok_1")
        #expect(json["sentAt"] as? String == "2026-11-18T11:06:40Z")
        #expect(json["userId"] as? String == "usr_ana" && json["contactMethodId"] as? String == "cm_hook")
        let alerts = try #require(json["alerts"] as? [[String: String]])
        #expect(alerts == [["id": "alt_1", "ackLink": "https://pager.example.eu/a/tok_1"], ["id": "alt_2", "ackLink": "https://pager.example.eu/a/tok_2"]])
    }

    @Test func theDocumentedVerificationAcceptsOnlyTheSignedBodyAndFreshTimestamps() {
        let body = Array("{\"id\":\"msg_1\"}".utf8)
        let signature = WebhookSignature.sign(body: body, timestamp: 1_795_000_000, secret: WebhookReceiver.secret)
        // The scheme, spelled out: hex HMAC-SHA256 over "<timestamp>.<body>".
        #expect(signature == "sha256=" + Hex.encode(HMAC.sha256(key: Array(WebhookReceiver.secret.utf8), message: Array("1795000000.{\"id\":\"msg_1\"}".utf8))))
        #expect(WebhookSignature.verify(body: body, timestamp: "1795000000", signature: signature, secret: WebhookReceiver.secret, now: Self.now))
        #expect(!WebhookSignature.verify(body: body + [0x20], timestamp: "1795000000", signature: signature, secret: WebhookReceiver.secret, now: Self.now))
        #expect(!WebhookSignature.verify(body: body, timestamp: "1795000001", signature: signature, secret: WebhookReceiver.secret, now: Self.now))
        #expect(!WebhookSignature.verify(body: body, timestamp: "1795000000", signature: signature, secret: "another-secret-of-16", now: Self.now))
        #expect(!WebhookSignature.verify(body: body, timestamp: "1795000000", signature: signature, secret: WebhookReceiver.secret,
                                         now: Self.now.addingTimeInterval(301)))
        #expect(!WebhookSignature.verify(body: body, timestamp: nil, signature: signature, secret: WebhookReceiver.secret, now: Self.now))
    }

    @Test func answersMapToRetriesOrGivingUp() throws {
        let receiver = try WebhookReceiver(now: Self.now)
        defer { receiver.stop() }
        let gateway = try receiver.gateway()
        #expect(gateway.send(WebhookReceiver.page(.webhook, to: receiver.base + "/throttled"))
            == .temporaryFailure(reason: "HTTP 429: rate_limited", retryAfter: 7))
        #expect(gateway.send(WebhookReceiver.page(.webhook, to: receiver.base + "/broken"))
            == .temporaryFailure(reason: "HTTP 500: rollup_error", retryAfter: nil))
        #expect(gateway.send(WebhookReceiver.page(.slack, to: receiver.base + "/gone")) == .permanentFailure(reason: "HTTP 404: no_service"))
        #expect(gateway.send(WebhookReceiver.page(.slack, to: receiver.base + "/archived")) == .permanentFailure(reason: "HTTP 410: channel_is_archived"))
        #expect(receiver.received.map(\.path) == ["/throttled", "/broken", "/gone", "/archived"])
    }

    @Test func aSlowReceiverIsATemporaryTimeout() throws {
        let receiver = try WebhookReceiver(now: Self.now)
        defer { receiver.stop() }
        let result = try receiver.gateway(timeout: 0.3).send(WebhookReceiver.page(.teams, to: receiver.base + "/slow"))
        #expect(result == .temporaryFailure(reason: "timed out", retryAfter: nil))
    }

    @Test func aClosedPortIsTemporaryAndABadURLPermanent() throws {
        let receiver = try WebhookReceiver(now: Self.now)
        let url = receiver.base + "/hook"
        let gateway = try receiver.gateway()
        receiver.stop()
        guard case .temporaryFailure = gateway.send(WebhookReceiver.page(.webhook, to: url)) else { Issue.record("connection refused is temporary"); return }
        guard case .permanentFailure = gateway.send(WebhookReceiver.page(.webhook, to: "ftp://127.0.0.1/x")) else { Issue.record("ftp is refused"); return }
        guard case .permanentFailure = gateway.send(WebhookReceiver.page(.email, to: "ana@example.org")) else { Issue.record("e-mail is not ours"); return }
    }

    @Test func settingsAreChecked() throws {
        let context = GatewayContext(publicURL: "https://pager.example.eu", http: .init(), logger: .init(label: "t"), now: { Self.now })
        #expect(throws: (any Error).self) { try WebhookGateway(name: "h", settings: Data("{}".utf8), context: context) }
        #expect(throws: (any Error).self) { try WebhookGateway(name: "h", settings: Data("{\"signingSecret\":\"short\"}".utf8), context: context) }
        #expect(throws: (any Error).self) {
            try WebhookGateway(name: "h", settings: Data("{\"signingSecret\":\"env:WK_TEST_UNSET_VARIABLE\"}".utf8), context: context)
        }
        let gateway = try WebhookGateway(name: "h", settings: Data("{\"signingSecret\":\"0123456789abcdef\"}".utf8), context: context)
        #expect(gateway.supports(.webhook) && gateway.supports(.slack) && gateway.supports(.teams))
        #expect(!gateway.supports(.email) && !gateway.supports(.sms) && !gateway.supports(.voice))
        #expect(GatewayKinds.named("webhook") is WebhookGateway.Type)
    }
}
