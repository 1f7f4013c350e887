import Foundation
import Gateways
import HTTPServer
import Logging
import Storage
import Synchronization
import Testing
@testable import WatchkeeperApp

/// A gateway kind for tests, built from the gateways file like the real ones: it answers sends
/// from a script shared with the test (named by the file's "script" setting) and mounts one
/// inbound route that checks a shared secret, as real gateways check their provider's signature.
struct ScriptedGateway: ConfigurableGateway {
    static let kind = "scripted"

    final class Script: Sendable {
        private let state = Mutex<(sent: [OutgoingMessage], answers: [DeliveryResult])>(([], []))
        func answer(_ results: DeliveryResult...) { state.withLock { $0.answers += results } }
        /// Answers `result` to every send from now on.
        func always(_ result: DeliveryResult) { state.withLock { $0.answers = Array(repeating: result, count: 1000) } }
        var sent: [OutgoingMessage] { state.withLock { $0.sent } }

        func send(_ message: OutgoingMessage, gateway: String) -> DeliveryResult {
            state.withLock { state in
                state.sent.append(message)
                return state.answers.isEmpty ? .accepted(providerMessageId: "\(gateway)-\(state.sent.count)") : state.answers.removeFirst()
            }
        }
    }

    static let scripts = Mutex<[String: Script]>([:])

    private struct Settings: Decodable {
        var script: String
        var types: [ContactMethodType]
        var secret: Secret?
    }

    let name: String
    private let settings: Settings
    private let script: Script

    init(name: String, settings: Data, context: GatewayContext) throws {
        self.name = name
        self.settings = try JSONDecoder().decode(Settings.self, from: settings)
        let key = self.settings.script
        script = Self.scripts.withLock { scripts in
            if let script = scripts[key] { return script }
            let script = Script()
            scripts[key] = script
            return script
        }
    }

    func supports(_ type: ContactMethodType) -> Bool { settings.types.contains(type) }

    func send(_ message: OutgoingMessage) -> DeliveryResult { script.send(message, gateway: name) }

    func registerInbound(on router: inout Router, events: any InboundEvents) {
        let (name, secret) = (name, settings.secret?.value)
        router.post("/providers/\(Self.kind)/\(name)/sms") { request, _ in
            guard let secret, request.headers["X-Scripted-Secret"] == secret else { return .problem(.forbidden, detail: "bad signature") }
            guard let fields = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: String],
                  let id = fields["id"], let from = fields["from"], let text = fields["text"] else { return .problem(.badRequest) }
            let answer = events.smsReceived(InboundSMS(gateway: name, providerMessageId: id, from: from, to: "+15005550006", text: text))
            return .text(answer ?? "")
        }
    }
}

/// Two scripted gateways, "primary" and "backup", with their own scripts for one test.
struct FailoverFixture {
    let outbox: OutboxFixture
    let primary: ScriptedGateway.Script
    let backup: ScriptedGateway.Script
    let service: String

    static func file(script: String, extra: String = "") -> String {
        """
        {
          "gateways": [
            {"name": "primary", "kind": "scripted", "script": "\(script)-p", "types": ["sms", "voice"], "secret": "s3cret"},
            {"name": "backup", "kind": "scripted", "script": "\(script)-b", "types": ["sms", "voice"]}
          ],
          "routes": {"sms": ["primary", "backup"], "voice": ["backup"]}\(extra)
        }
        """
    }

    init(extra: String = "") async throws {
        let script = UUID().uuidString
        let server = try TestServer(gateways: (Self.file(script: script, extra: extra), [ScriptedGateway.self]))
        outbox = try await OutboxFixture(server: server)
        (primary, backup) = ScriptedGateway.scripts.withLock { (try! #require($0["\(script)-p"]), try! #require($0["\(script)-b"])) }
        service = try await outbox.service("SOC")
    }

    func page(_ summary: String, method: String? = nil) async throws -> (alert: String, message: String) {
        let alert = try await outbox.alerts(service, [summary])[0]
        return (alert, try outbox.enqueue(.alert, alertId: alert, serviceId: service, method: method, body: summary))
    }

    /// Advances the clock to the message's next attempt and runs it.
    func retry(_ id: String) throws {
        let next = try #require(try outbox.message(id).get("next_attempt_at") as Date?)
        outbox.server.time.advance(by: max(next.timeIntervalSince(outbox.now), 0))
        outbox.settle()
    }
}

@Suite struct GatewayFailoverTests {
    @Test func temporaryFailuresExhaustTheFirstGatewayThenTheSecondIsTriedAtOnce() async throws {
        let fixture = try await FailoverFixture()
        fixture.primary.answer(.temporaryFailure(reason: "HTTP 503", retryAfter: nil), .temporaryFailure(reason: "timeout", retryAfter: nil),
                               .temporaryFailure(reason: "HTTP 500", retryAfter: nil))
        let (alert, id) = try await fixture.page("db down")
        fixture.outbox.settle()
        #expect(fixture.primary.sent.count == 1)
        #expect(try fixture.outbox.state(id) == "queued")
        try fixture.retry(id)
        #expect(fixture.primary.sent.count == 2 && fixture.backup.sent.isEmpty)
        try fixture.retry(id)
        let third = fixture.outbox.now
        // The third failure moves the message on: the backup sends it in the same pass, no backoff.
        #expect(fixture.primary.sent.count == 3)
        #expect(fixture.backup.sent.count == 1)
        let row = try fixture.outbox.message(id)
        #expect(try row.get("state") as String == "sent")
        #expect(try row.get("provider") as String? == "backup")
        #expect(try row.get("provider_message_id") as String? == "backup-1")
        #expect(try row.get("gateway_index") as Int == 1)
        #expect(try row.get("attempts") as Int == 4)
        #expect(try row.get("sent_at") as Date == third)
        #expect(try fixture.outbox.timeline(alert, kind: "message-failed")
            == ["sms to Ana via primary failed 3 times (HTTP 500); trying the next gateway"])
        #expect(try fixture.outbox.timeline(alert, kind: "message-sent") == ["sent sms to Ana via backup"])
        // The same page went to both gateways (each attempt renders a fresh ack link; the reply code stays).
        #expect(fixture.backup.sent[0].replyCodes == ["1"] && fixture.primary.sent[0].replyCodes == ["1"])
        #expect(fixture.backup.sent[0].text.hasSuffix("\nReply 1a ack, 1c close, 1e escalate"))
    }

    @Test func retryAfterIsHonouredOnTheSameGateway() async throws {
        // 45 s: longer than the backoff's first 5 s, short enough to wait for rather than fail over.
        let fixture = try await FailoverFixture()
        fixture.primary.answer(.temporaryFailure(reason: "HTTP 429", retryAfter: 45))
        let start = fixture.outbox.now
        let (_, id) = try await fixture.page("db down")
        fixture.outbox.settle()
        #expect(try fixture.outbox.message(id).get("next_attempt_at") as Date? == start.addingTimeInterval(45))
        fixture.outbox.server.time.advance(by: 44)
        fixture.outbox.settle()
        #expect(fixture.primary.sent.count == 1)
        fixture.outbox.server.time.advance(by: 1)
        fixture.outbox.settle()
        #expect(fixture.primary.sent.count == 2 && fixture.backup.sent.isEmpty)
        #expect(try fixture.outbox.message(id).get("provider") as String? == "primary")
        #expect(try fixture.outbox.state(id) == "sent")
    }

    @Test func aRetryAfterLongerThanAMinuteMovesToTheNextGatewayAtOnce() async throws {
        let fixture = try await FailoverFixture()
        fixture.primary.answer(.temporaryFailure(reason: "HTTP 429", retryAfter: 600))
        let start = fixture.outbox.now
        let (alert, id) = try await fixture.page("db down")
        fixture.outbox.settle()
        #expect(fixture.primary.sent.count == 1 && fixture.backup.sent.count == 1)
        #expect(try fixture.outbox.state(id) == "sent")
        #expect(try fixture.outbox.message(id).get("sent_at") as Date == start)
        #expect(try fixture.outbox.timeline(alert, kind: "message-failed") == ["sms to Ana via primary asks to wait 600 s (HTTP 429); trying the next gateway"])
    }

    @Test func theLastGatewaysRetryAfterIsWaitedFor() async throws {
        let fixture = try await FailoverFixture()
        try fixture.outbox.addMethod("cm_voice", type: "voice", address: "+4790000001")
        // Voice has one gateway (the backup): nothing to move on to, so its Retry-After is waited out.
        fixture.backup.answer(.temporaryFailure(reason: "HTTP 429", retryAfter: 600))
        let start = fixture.outbox.now
        let (_, id) = try await fixture.page("db down", method: "cm_voice")
        fixture.outbox.settle()
        #expect(try fixture.outbox.message(id).get("next_attempt_at") as Date? == start.addingTimeInterval(600))
        try fixture.retry(id)
        #expect(try fixture.outbox.state(id) == "sent" && fixture.backup.sent.count == 2)
    }

    @Test func aPermanentFailureGoesToTheUsersNextContactMethodNotTheNextGateway() async throws {
        let fixture = try await FailoverFixture()
        fixture.primary.answer(.permanentFailure(reason: "21610 unsubscribed recipient"))
        let (alert, id) = try await fixture.page("db down")
        let (userId, now) = (fixture.outbox.userId, fixture.outbox.now)
        try fixture.outbox.database.write { db in
            try db.run("""
                INSERT INTO alert_notifications (alert_id, round, pass, user_id, rule_id, contact_method_id, due_at, state)
                VALUES (?, 0, 0, ?, 'nr_voice', 'cm_voice', ?, 'pending')
                """, [.text(alert), .text(userId), SQLValue(now.addingTimeInterval(300))])
        }
        fixture.outbox.settle()
        #expect(try fixture.outbox.state(id) == "failed")
        #expect(fixture.backup.sent.isEmpty)
        let due: Date = try fixture.outbox.database.read { db in
            try db.queryOne("SELECT due_at FROM alert_notifications WHERE alert_id = ? AND rule_id = 'nr_voice'", [.text(alert)])!.get("due_at")
        }
        #expect(due == now)
    }

    @Test func aGatewayThatCannotSendAtAllHandsThePageToTheNextGatewayAtOnce() async throws {
        let fixture = try await FailoverFixture()
        fixture.primary.answer(.gatewayFailure(reason: "configuration error: credentials refused"))
        let start = fixture.outbox.now
        let (alert, id) = try await fixture.page("db down")
        fixture.outbox.settle()
        #expect(fixture.primary.sent.count == 1 && fixture.backup.sent.count == 1)
        #expect(try fixture.outbox.state(id) == "sent")
        #expect(try fixture.outbox.message(id).get("sent_at") as Date == start)
        #expect(try fixture.outbox.timeline(alert, kind: "message-failed")
            == ["sms to Ana via primary cannot send (configuration error: credentials refused); trying the next gateway"])
    }

    @Test func onTheLastGatewayAGatewayFailureFailsTheMessageForTheNextContactMethod() async throws {
        let fixture = try await FailoverFixture()
        try fixture.outbox.addMethod("cm_voice", type: "voice", address: "+4790000001")
        // Voice has one gateway: nothing to move on to, so the message fails at once (no retries).
        fixture.backup.answer(.gatewayFailure(reason: "voice is not configured"))
        let (_, id) = try await fixture.page("db down", method: "cm_voice")
        fixture.outbox.settle()
        #expect(try fixture.outbox.state(id) == "failed" && fixture.backup.sent.count == 1)
        #expect(try fixture.outbox.message(id).get("last_error") as String? == "voice is not configured")
    }

    @Test func afterTheLastGatewaysRetriesTheMessageFails() async throws {
        let fixture = try await FailoverFixture()
        fixture.primary.always(.temporaryFailure(reason: "HTTP 503", retryAfter: nil))
        fixture.backup.always(.temporaryFailure(reason: "HTTP 502", retryAfter: nil))
        let (_, id) = try await fixture.page("db down")
        fixture.outbox.settle()
        for _ in 0..<20 where try fixture.outbox.state(id) == "queued" {
            try fixture.retry(id)
        }
        #expect(try fixture.outbox.state(id) == "failed")
        #expect(fixture.primary.sent.count == OutboxRecord.attemptsBeforeFailover)
        // The last gateway has what is left of the outbox's own limit.
        #expect(fixture.backup.sent.count == RetryBackoff.maximumAttempts - OutboxRecord.attemptsBeforeFailover)
        #expect(try fixture.outbox.message(id).get("last_error") as String? == "gave up after 8 attempts: HTTP 502")
    }

    @Test func smsIsRoutedByTheLongestMatchingPrefixAndVoiceByItsRoute() async throws {
        let fixture = try await FailoverFixture(extra: """
            , "smsPrefixes": [{"prefix": "+44", "gateways": ["backup", "primary"]}, {"prefix": "+4479", "gateways": ["primary"]}]
            """)
        try fixture.outbox.addMethod("cm_uk", type: "sms", address: "+447700900123")
        try fixture.outbox.addMethod("cm_uk_mobile", type: "sms", address: "+447912345678")
        try fixture.outbox.addMethod("cm_voice", type: "voice", address: "+4790000001")
        _ = try await fixture.page("a", method: "cm_uk")
        _ = try await fixture.page("b", method: "cm_uk_mobile")
        _ = try await fixture.page("c")
        _ = try await fixture.page("d", method: "cm_voice")
        fixture.outbox.settle()
        #expect(fixture.backup.sent.map(\.address).sorted() == ["+447700900123", "+4790000001"])
        #expect(fixture.primary.sent.map(\.address).sorted() == ["+447912345678", "+4790000001"])
        #expect(fixture.backup.sent.first { $0.type == .voice }?.address == "+4790000001")
        #expect(fixture.primary.sent.allSatisfy { $0.type == .sms })
    }

    @Test func aTypeWithoutAGatewayFailsAndMovesOn() async throws {
        let fixture = try await FailoverFixture()
        try fixture.outbox.addMethod("cm_mail", type: "email", address: "ana@example.com")
        let (_, id) = try await fixture.page("db down", method: "cm_mail")
        fixture.outbox.settle()
        #expect(try fixture.outbox.state(id) == "failed")
        #expect(try fixture.outbox.message(id).get("last_error") as String? == "no gateway sends email")
    }

    @Test func eachGatewaysInboundRoutesAreMounted() async throws {
        let fixture = try await FailoverFixture()
        _ = try await fixture.page("db down")
        fixture.outbox.settle()
        let server = fixture.outbox.server
        #expect(server.application.routes.contains { $0.method == .post && $0.pattern == "/providers/scripted/primary/sms" })
        let body: [String: String] = ["id": "SM1", "from": "+4790000001", "text": "1a"]
        let forged = try await server.request("POST", "/providers/scripted/primary/sms", json: body, headers: ["X-Scripted-Secret": "guess"])
        #expect(forged.status == 403)
        #expect(try fixture.outbox.database.read { try $0.queryOne("SELECT status FROM alerts")!.get("status") as String } == "triggered")
        let signed = try await server.request("POST", "/providers/scripted/primary/sms", json: body, headers: ["X-Scripted-Secret": "s3cret"])
        #expect(signed.status == 200)
        #expect(signed.text == "Acknowledged alert 1: db down")
        #expect(try fixture.outbox.database.read { try $0.queryOne("SELECT status FROM alerts")!.get("status") as String } == "acknowledged")
    }
}

@Suite struct GatewayStartupTests {
    func start(_ file: String) throws -> Application {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wk-gw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(file.utf8).write(to: directory.appendingPathComponent("gateways.json"))
        var configuration = Configuration()
        configuration.listenPort = 0
        configuration.databasePath = directory.appendingPathComponent("test.db").path
        configuration.gatewaysPath = directory.appendingPathComponent("gateways.json").path
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try Application(configuration: configuration, logger: logger, time: ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000)),
                               gatewayKinds: [ScriptedGateway.self])
    }

    func failure(_ file: String) -> String? {
        do {
            let application = try start(file)
            application.shutdown()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func mistakesInTheFileStopTheStartWithTheFieldNamed() {
        let gateway = #"{"name": "g", "kind": "scripted", "script": "startup", "types": ["sms"]}"#
        #expect(failure(#"{"gateways": [\#(gateway)], "routes": {"sms": ["x"]}}"#) == "gateways file: routes.sms names unknown gateway 'x'")
        #expect(failure(#"{"gateways": [\#(gateway)], "routes": {"voice": ["g"]}}"#)
            == "gateways file: routes.voice names gateway 'g', which cannot send voice")
        #expect(failure(#"{"gateways": [{"name": "g", "kind": "scripted", "types": ["sms"]}]}"#)
            == "gateways file: gateway 'g' (kind scripted): missing key 'script'")
        #expect(failure(#"{"gateways": [{"name": "g", "kind": "scripted", "script": "s", "types": ["sms"], "secret": "env:WK_TEST_UNSET_SECRET"}]}"#)
            == "gateways file: gateway 'g' (kind scripted): 'secret': environment variable WK_TEST_UNSET_SECRET is not set")
        #expect(failure(#"{"gateways": [{"name": "g", "kind": "twilio"}]}"#) == "gateways file: gateways[0].kind 'twilio' of gateway 'g' is unknown (known: scripted)")
        #expect(failure(#"{"gateways": [\#(gateway)], "routes": {"sms": ["g"]}}"#) == nil)
    }

    @Test func theFileIsGivenByFlagEnvironmentOrConfigFile() throws {
        #expect(try Configuration.resolve(flags: [:], environment: [:]).gatewaysPath == nil)
        #expect(try Configuration.resolve(flags: [:], environment: ["WATCHKEEPER_GATEWAYS": "/etc/wk/gateways.json"]).gatewaysPath == "/etc/wk/gateways.json")
        #expect(try Configuration.resolve(flags: [.gateways: "/a.json"], environment: ["WATCHKEEPER_GATEWAYS": "/b.json"]).gatewaysPath == "/a.json")
        let fromFile = try Configuration.resolve(flags: [.config: "/c.json"], environment: [:]) { _ in Data(#"{"gateways": "/d.json"}"#.utf8) }
        #expect(fromFile.gatewaysPath == "/d.json")
    }
}
