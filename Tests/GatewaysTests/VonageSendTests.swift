import Cryptography
import FakeGateways
import Foundation
@testable import Gateways
import HTTPServer
import Testing

/// Sends through a fake Vonage on loopback that checks every request against the contract.
@Suite struct VonageSendTests {
    private static func fake() throws -> VonageFakeServer {
        let key = try RSAPrivateKey(pem: VonageTestSupport.applicationKeyPEM)
        return try VonageFakeServer(apiKey: VonageTestSupport.apiKey, apiSecret: VonageTestSupport.apiSecret,
                                    applicationId: VonageTestSupport.applicationId, publicKey: key.publicKey,
                                    callbackBase: "https://pager.example.eu/providers/vonage/vonage-backup")
    }

    private static func gateway(_ fake: VonageFakeServer, extra: [String: Any] = [:]) throws -> VonageGateway {
        try VonageTestSupport.gateway(smsBaseURL: fake.base, voiceBaseURL: fake.base, extra: extra)
    }

    @Test func registersItsKind() {
        #expect(GatewayKinds.named("vonage") == VonageGateway.self)
    }

    @Test func settingsNeedCredentialsAndBothHalvesOfVoice() throws {
        let context = VonageTestSupport.context(now: Date())
        #expect(throws: (any Error).self) {
            try VonageGateway(name: "v", settings: Data(#"{"apiKey":"k","apiSecret":"s","from":"447700900500"}"#.utf8), context: context)
        }
        #expect(throws: (any Error).self) {
            try VonageGateway(name: "v", settings: Data(#"{"apiKey":"k","apiSecret":"s","signatureSecret":"x","from":"1","applicationId":"a"}"#.utf8), context: context)
        }
        #expect(throws: (any Error).self) {
            try VonageGateway(name: "v", settings: Data(#"{"apiKey":"k","apiSecret":"s","signatureSecret":"x","from":"1","signatureMethod":"md4"}"#.utf8), context: context)
        }
        #expect(throws: (any Error).self) {
            try VonageTestSupport.gateway(extra: ["signatureMetod": "md5hash"])
        }
        let smsOnly = try VonageTestSupport.gateway(voice: false)
        #expect(smsOnly.supports(.sms) && !smsOnly.supports(.voice) && !smsOnly.supports(.email))
        #expect(try VonageTestSupport.gateway().supports(.voice))
    }

    @Test func smsGoesOutAsTheContractSays() throws {
        let fake = try Self.fake()
        defer { fake.stop() }
        let result = try Self.gateway(fake).send(VonageTestSupport.message())
        #expect(result == .accepted(providerMessageId: "1C00000A3F8E0001"))
        #expect(fake.violations.isEmpty, "\(fake.violations)")
        let sent = try #require(fake.requests.first)
        #expect(sent.path == "/sms/json")
        #expect(sent.form["to"] == "447700900123")
        #expect(sent.form["from"] == "447700900500")
        #expect(sent.form["text"] == "[P1] db-primary-eu1 disk 97% full. Reply 1a to ack, 1c to resolve")
        #expect(sent.form["type"] == "text")
        #expect(sent.form["client-ref"] == "msg_7Hk2")
        #expect(sent.form["callback"] == "https://pager.example.eu/providers/vonage/vonage-backup/dlr")
        #expect(sent.form["status-report-req"] == "1")
        #expect(sent.form["ttl"] == "900000")
        // The same fields as the contract's fixture request (ttl added: pages must not arrive late).
        let fixture = try #require(VonageFakeServer.decodeForm(Array(try VonageTestSupport.fixture("sms_send_request.form"))))
        #expect(Set(sent.form.keys) == Set(fixture.keys).union(["ttl"]))
    }

    @Test func nonGSMTextIsSentAsUnicode() throws {
        let fake = try Self.fake()
        defer { fake.stop() }
        let gateway = try Self.gateway(fake)
        #expect(gateway.send(VonageTestSupport.message(text: "Disk full – on it")) == .accepted(providerMessageId: "1C00000A3F8E0001"))
        #expect(gateway.send(VonageTestSupport.message(text: "Price €5 {ok}")) == .accepted(providerMessageId: "1C00000A3F8E0002"))
        let requests = fake.requests
        #expect(requests.map { $0.form["type"] } == ["unicode", "text"])
        #expect(requests.first?.form["text"] == "Disk full – on it")
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func anErrorInsideHTTP200IsAFailure() throws {
        let fake = try Self.fake()
        defer { fake.stop() }
        let fixture = try VonageTestSupport.jsonFixture("sms_send_error.json")
        let part = try #require((fixture["messages"] as? [[String: String]])?.first)
        fake.enqueue(.smsStatus(try #require(part["status"]), errorText: try #require(part["error-text"])),
                     .smsStatus("1", errorText: "Throughput Rate Exceeded"),
                     .smsStatus("7", errorText: "Number barred"),
                     .smsStatus("9", errorText: "Partner quota exceeded"),
                     .smsStatus("5", errorText: "Internal Error"),
                     .smsStatus("99", errorText: "Something new"))
        let gateway = try Self.gateway(fake)
        let results = (0..<6).map { _ in gateway.send(VonageTestSupport.message()) }
        #expect(results[0] == .gatewayFailure(reason: "Vonage SMS status 4 (invalid credentials): Bad Credentials"))
        #expect(results[1] == .temporaryFailure(reason: "Vonage SMS status 1 (throttled): Throughput Rate Exceeded", retryAfter: nil))
        #expect(results[2] == .permanentFailure(reason: "Vonage SMS status 7 (number barred): Number barred"))
        #expect(results[3] == .gatewayFailure(reason: "Vonage SMS status 9 (partner quota exceeded): Partner quota exceeded"))
        #expect(results[4] == .temporaryFailure(reason: "Vonage SMS status 5 (internal error): Internal Error", retryAfter: nil))
        #expect(results[5] == .temporaryFailure(reason: "Vonage SMS status 99 (unknown status): Something new", retryAfter: nil))
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func everyPartIsInspected() throws {
        let twoParts = #"{"message-count":"2","messages":[{"to":"447700900123","message-id":"A1","status":"0"},{"status":"3","error-text":"Invalid to"}]}"#
        #expect(VonageGateway.smsResult(Array(twoParts.utf8)) == .permanentFailure(reason: "Vonage SMS status 3 (invalid parameters): Invalid to"))
        let bothOK = #"{"message-count":"2","messages":[{"message-id":"A1","status":"0"},{"message-id":"A2","status":"0"}]}"#
        #expect(VonageGateway.smsResult(Array(bothOK.utf8)) == .accepted(providerMessageId: "A1"))
        #expect(VonageGateway.smsResult(Array("<html>".utf8)) == .temporaryFailure(reason: "Vonage SMS answered 200 without a readable message list", retryAfter: nil))
        #expect(VonageGateway.smsResult(Array(try VonageTestSupport.fixture("sms_send_ok.json"))) == .accepted(providerMessageId: "1C00000A3F8E2B17"))
    }

    @Test func throttlingServerErrorsAndTimeoutsAreTemporary() throws {
        let fake = try Self.fake()
        defer { fake.stop() }
        fake.enqueue(.http(429, retryAfter: "7"), .http(500, retryAfter: nil), .http(503, retryAfter: "30"), .http(401, retryAfter: nil),
                     .hang(1.5))
        let gateway = try Self.gateway(fake, extra: ["requestTimeoutSeconds": 0.4])
        let results = (0..<5).map { _ in gateway.send(VonageTestSupport.message()) }
        #expect(results[0] == .temporaryFailure(reason: "Vonage SMS answered HTTP 429: Failure: as asked", retryAfter: 7))
        #expect(results[1] == .temporaryFailure(reason: "Vonage SMS answered HTTP 500: Failure: as asked", retryAfter: nil))
        #expect(results[2] == .temporaryFailure(reason: "Vonage SMS answered HTTP 503: Failure: as asked", retryAfter: 30))
        #expect(results[3] == .gatewayFailure(reason: "Vonage SMS answered HTTP 401: Failure: as asked"))
        #expect(results[4] == .temporaryFailure(reason: "Vonage: timed out", retryAfter: nil))
        #expect(fake.requests.count == 5)
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func aGatewayNobodyAnswersIsTemporary() throws {
        let fake = try Self.fake()
        let base = fake.base
        fake.stop()
        let result = try VonageTestSupport.gateway(smsBaseURL: base, voiceBaseURL: base).send(VonageTestSupport.message())
        guard case .temporaryFailure = result else { Issue.record("got \(result)"); return }
    }

    @Test func badNumbersFailWithoutARequest() throws {
        let fake = try Self.fake()
        defer { fake.stop() }
        let gateway = try Self.gateway(fake)
        #expect(gateway.send(VonageTestSupport.message(address: "07700 900123")) == .permanentFailure(reason: "07700 900123 is not an E.164 number"))
        #expect(gateway.send(VonageTestSupport.message(type: .email, address: "a@example.com")) == .permanentFailure(reason: "vonage cannot send email messages"))
        #expect(fake.requests.isEmpty)
    }

    @Test func aVoicePageCarriesASignedJWTAndTheNCCO() throws {
        let fake = try Self.fake()
        defer { fake.stop() }
        let gateway = try Self.gateway(fake)
        let result = gateway.send(VonageTestSupport.message(id: "msg/9 x", type: .voice))
        #expect(result == .accepted(providerMessageId: "15f79a16-c6b6-4f7c-b43b-000000000001"))
        #expect(fake.violations.isEmpty, "\(fake.violations)")
        let sent = try #require(fake.requests.first)
        #expect(sent.path == "/v1/calls")
        #expect(sent.claims["application_id"] == VonageTestSupport.applicationId)
        #expect(sent.claims["iat"] == "1773134200")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(sent.body)) as? [String: Any])
        let fixture = try VonageTestSupport.jsonFixture("voice_create_call_request.json")
        #expect(Set(body.keys) == Set(fixture.keys).union(["event_method"]))
        let ncco = try #require(body["ncco"] as? [[String: Any]])
        #expect(ncco.count == 2)
        #expect(ncco[0]["text"] as? String == "db-primary-eu1 disk 97% full Press 1 to acknowledge, 2 to escalate, 3 to resolve.")
        #expect(ncco[0]["language"] as? String == "en-GB")
        #expect((ncco[1]["eventUrl"] as? [String]) == ["https://pager.example.eu/providers/vonage/vonage-backup/input/msg%2F9%20x"])
        #expect((ncco[1]["dtmf"] as? [String: Any])?["maxDigits"] as? Int == 1)
        #expect((body["to"] as? [[String: Any]])?.first?["number"] as? String == "447700900123")
        #expect((body["from"] as? [String: Any])?["number"] as? String == "447700900500")
        // Each call gets a token of its own.
        _ = gateway.send(VonageTestSupport.message(type: .voice))
        #expect(fake.requests.count == 2 && fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func theServersScriptIsReadWhenItHasOne() throws {
        let fake = try Self.fake()
        defer { fake.stop() }
        let gateway = try Self.gateway(fake)
        let events = VonageRecordingEvents()
        events.state.withLock { $0.scripts["msg_1"] = VoiceScript(text: "Watchkeeper verification code 4 8 2 1.", acceptsKeys: false) }
        var router = Router()
        gateway.registerInbound(on: &router, events: events)
        #expect(gateway.send(VonageTestSupport.message(id: "msg_1", type: .voice)) == .accepted(providerMessageId: "15f79a16-c6b6-4f7c-b43b-000000000001"))
        let sent = try #require(fake.requests.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(sent.body)) as? [String: Any])
        let ncco = try #require(body["ncco"] as? [[String: Any]])
        #expect(ncco.count == 1)
        #expect(ncco[0]["text"] as? String == "Watchkeeper verification code 4 8 2 1.")
        #expect(ncco[0]["loop"] as? Int == 2)
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func withoutTheServersScriptTheSummariesAreRead() {
        var message = VonageTestSupport.message(type: .voice)
        message.summaries = ["Ransomware on FIN-DB-01 [Sev1]", "Disk full on db-2 [Sev3]"]
        #expect(VonageGateway.fallbackScript(message) == VoiceScript(text: "Ransomware on FIN-DB-01 [Sev1]. Disk full on db-2 [Sev3]", acceptsKeys: true))
        message.summaries = []
        message.kind = .verification
        message.alertIds = []
        #expect(VonageGateway.fallbackScript(message) == VoiceScript(text: "db-primary-eu1 disk 97% full", acceptsKeys: false))
    }

    @Test func voiceFailuresAreSortedLikeSMS() throws {
        let fake = try Self.fake()
        defer { fake.stop() }
        fake.enqueue(.http(429, retryAfter: "3"), .http(502, retryAfter: nil), .http(400, retryAfter: nil), .http(401, retryAfter: nil), .hang(1.5))
        let gateway = try Self.gateway(fake, extra: ["requestTimeoutSeconds": 0.4])
        let results = (0..<5).map { _ in gateway.send(VonageTestSupport.message(type: .voice)) }
        #expect(results[0] == .temporaryFailure(reason: "Vonage call answered HTTP 429: Failure: as asked", retryAfter: 3))
        #expect(results[1] == .temporaryFailure(reason: "Vonage call answered HTTP 502: Failure: as asked", retryAfter: nil))
        #expect(results[2] == .permanentFailure(reason: "Vonage call answered HTTP 400: Failure: as asked"))
        #expect(results[3] == .gatewayFailure(reason: "Vonage call answered HTTP 401: Failure: as asked"))
        #expect(results[4] == .temporaryFailure(reason: "Vonage: timed out", retryAfter: nil))
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func voiceNeedsItsSettings() throws {
        let gateway = try VonageTestSupport.gateway(voice: false)
        #expect(gateway.send(VonageTestSupport.message(type: .voice)) == .gatewayFailure(reason: "voice is not configured for Vonage gateway vonage-backup"))
    }
}
