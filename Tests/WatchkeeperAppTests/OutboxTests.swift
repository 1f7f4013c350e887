import Foundation
import Gateways
import Logging
import Storage
import Synchronization
import Testing
@testable import WatchkeeperApp

/// A provider that records what it is given and answers from a script (accepted once the script is empty).
final class RecordingProvider: MessageProvider {
    let name = "recorder"
    private let state = Mutex<(sent: [OutgoingMessage], answers: [DeliveryResult])>(([], []))

    func supports(_ type: ContactMethodType) -> Bool { true }

    func send(_ message: OutgoingMessage) -> DeliveryResult {
        state.withLock { state in
            state.sent.append(message)
            return state.answers.isEmpty ? .accepted(providerMessageId: "rec-\(state.sent.count)") : state.answers.removeFirst()
        }
    }

    func answer(_ results: DeliveryResult...) { state.withLock { $0.answers += results } }
    var sent: [OutgoingMessage] { state.withLock { $0.sent } }
}

/// A provider whose sends to one address block until `release()`: a slow gateway.
final class BlockingProvider: MessageProvider {
    let name = "slow"
    let blockedAddress: String
    private let gate = DispatchSemaphore(value: 0)
    private let delivered = Mutex<[String]>([])

    init(blocking address: String) { blockedAddress = address }

    func supports(_ type: ContactMethodType) -> Bool { true }

    func send(_ message: OutgoingMessage) -> DeliveryResult {
        if message.address == blockedAddress { gate.wait() }
        delivered.withLock { $0.append(message.id) }
        return .accepted(providerMessageId: nil)
    }

    func release() { gate.signal() }
    var sent: [String] { delivered.withLock { $0 } }
}

/// A server with a recording provider, an admin key, a user, a verified SMS method and helpers
/// to make alerts and queue messages the way the notification step will.
struct OutboxFixture {
    let server: TestServer
    let provider = RecordingProvider()
    let admin: String
    let userId: String
    let methodId = "cm_sms_ana"

    init(consoleProvider: Bool = false, providers: [any MessageProvider]? = nil, server existing: TestServer? = nil) async throws {
        server = try existing ?? TestServer(providers: providers ?? (consoleProvider ? [] : [provider]))
        admin = try server.key(.admin, name: "admin")
        let user = try await server.request("POST", "/api/v1/users", token: admin,
                                            json: ["name": "Ana", "email": "ana@example.com", "timeZone": "Europe/Oslo", "role": "responder"])
        #expect(user.status == 201, "\(user.text)")
        userId = try #require(user.object["id"] as? String)
        try addMethod(methodId, type: "sms", address: "+4790000001")
    }

    var now: Date { server.time.now() }
    var database: Database { server.application.database }

    func addMethod(_ id: String, type: String, address: String, verified: Bool = true) throws {
        let (userId, now) = (self.userId, self.now)
        try database.write { db in
            try db.run("""
                INSERT INTO contact_methods (id, user_id, type, name, address, verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(id), .text(userId), .text(type), .text(type), .text(address), verified ? SQLValue(now) : .null, SQLValue(now), SQLValue(now)])
        }
    }

    func service(_ name: String) async throws -> String {
        let reply = try await server.request("POST", "/api/v1/services", token: admin, json: ["name": name])
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply.object["id"] as? String)
    }

    /// Triggers one alert per summary on `serviceId`; their ids in order.
    func alerts(_ serviceId: String, _ summaries: [String]) async throws -> [String] {
        let key = try await server.request("POST", "/api/v1/services/\(serviceId)/integration-keys", token: admin, json: ["name": "src", "format": "generic"])
        let secret = try #require(key.object["secret"] as? String)
        var ids: [String] = []
        for summary in summaries {
            let reply = try await server.request("POST", "/api/v1/integrations/\(secret)/events", json: ["summary": summary, "dedup_key": summary])
            ids.append(try #require(reply.object["alertId"] as? String, "\(reply.text)"))
        }
        return ids
    }

    @discardableResult
    func enqueue(_ kind: MessageKind, alertId: String? = nil, serviceId: String? = nil, method: String? = nil, body: String = "Alert") throws -> String {
        let message = OutboxQueue.NewMessage(alertId: alertId, serviceId: serviceId, userId: userId, contactMethodId: method ?? methodId, kind: kind,
                                             subject: body, body: body)
        let now = self.now
        return try database.write { db in try OutboxQueue.enqueue(message, at: now, db: db) }
    }

    /// Runs the engine and waits for the sends it starts, until nothing more happens.
    func settle() {
        for _ in 0..<4 {
            server.application.engine.runNow()
            #expect(server.application.outbox.waitUntilIdle(timeout: 10))
        }
    }

    func message(_ id: String) throws -> Row {
        try #require(try database.read { try $0.queryOne("SELECT * FROM messages WHERE id = ?", [.text(id)]) })
    }

    func state(_ id: String) throws -> String { try message(id).get("state") }

    func timeline(_ alertId: String, kind: String) throws -> [String] {
        try database.read { db in
            try db.query("SELECT message FROM alert_timeline WHERE alert_id = ? AND kind = ? ORDER BY id", [.text(alertId), .text(kind)])
                .map { try $0.get("message") }
        }
    }
}

@Suite struct OutboxTests {
    @Test func sendsRendersAckLinkAndRecords() async throws {
        let fixture = try await OutboxFixture()
        let service = try await fixture.service("SOC")
        let alert = try await fixture.alerts(service, ["disk full"])[0]
        let id = try fixture.enqueue(.alert, alertId: alert, serviceId: service, body: "disk full")
        fixture.settle()

        let sent = fixture.provider.sent
        try #require(sent.count == 1)
        #expect(sent[0].id == id && sent[0].type == .sms && sent[0].address == "+4790000001" && sent[0].alertIds == [alert])
        let link = try #require(sent[0].ackLinks.first)
        // An SMS: summary, link, then the alert's reply code on this contact method (docs/GATEWAYS.md).
        #expect(sent[0].text == "disk full\n\(link)\nReply 1a ack, 1c close, 1e escalate")
        #expect(sent[0].replyCodes == ["1"] && sent[0].summaries == ["disk full"] && sent[0].serviceName == "SOC")
        #expect(link.hasPrefix(fixture.server.application.configuration.publicURL + "/a/"))
        let token = String(link.split(separator: "/").last!)
        let bound = try fixture.database.read { try AckTokens.lookup(token: token, db: $0) }
        #expect(bound?.alertId == alert && bound?.userId == fixture.userId)

        let row = try fixture.message(id)
        #expect(try row.get("state") as String == "sent")
        #expect(try row.get("attempts") as Int == 1)
        #expect(try row.get("sent_at") as Date == fixture.now)
        #expect(try row.get("provider") as String? == "recorder")
        #expect(try row.get("provider_message_id") as String? == "rec-1")
        #expect(try fixture.timeline(alert, kind: "message-sent") == ["sent sms to Ana via recorder"])
    }

    @Test func temporaryFailureRetriesWithBackoffAndHonoursRetryAfter() async throws {
        let fixture = try await OutboxFixture()
        fixture.provider.answer(.temporaryFailure(reason: "429 busy", retryAfter: 120), .temporaryFailure(reason: "503", retryAfter: nil))
        let id = try fixture.enqueue(.test, body: "hello")
        let start = fixture.now
        fixture.settle()
        var row = try fixture.message(id)
        #expect(try row.get("state") as String == "queued")
        #expect(try row.get("last_error") as String? == "429 busy")
        #expect(try row.get("next_attempt_at") as Date == start.addingTimeInterval(120))

        fixture.server.time.advance(by: 119)
        fixture.settle()
        #expect(fixture.provider.sent.count == 1)
        fixture.server.time.advance(by: 1)
        fixture.settle()
        #expect(fixture.provider.sent.count == 2)
        // Second failure, no Retry-After: 10 s ± 20 %.
        row = try fixture.message(id)
        let delay = try (row.get("next_attempt_at") as Date).timeIntervalSince(fixture.now)
        #expect(delay >= 8 && delay <= 12, "\(delay)")
        fixture.server.time.advance(by: 12)
        fixture.settle()
        row = try fixture.message(id)
        #expect(try row.get("state") as String == "sent")
        #expect(try row.get("attempts") as Int == 3)
        #expect(fixture.provider.sent.count == 3)
    }

    @Test func givesUpAfterEightTemporaryFailures() async throws {
        let fixture = try await OutboxFixture()
        for _ in 0..<8 { fixture.provider.answer(.temporaryFailure(reason: "timeout", retryAfter: nil)) }
        let id = try fixture.enqueue(.test, body: "hello")
        for _ in 0..<8 {
            fixture.settle()
            fixture.server.time.advance(by: 720)
        }
        fixture.settle()
        let row = try fixture.message(id)
        #expect(try row.get("state") as String == "failed")
        #expect(try row.get("attempts") as Int == 8)
        #expect(try row.get("last_error") as String? == "gave up after 8 attempts: timeout")
        #expect(fixture.provider.sent.count == 8)
    }


    @Test func permanentFailureFailsAndMovesTheUserToTheNextRuleNow() async throws {
        let fixture = try await OutboxFixture()
        let service = try await fixture.service("SOC")
        let alert = try await fixture.alerts(service, ["db down"])[0]
        let (userId, now) = (fixture.userId, fixture.now)
        try fixture.database.write { db in
            for (pass, delay) in [(1, 300.0), (2, 600.0)] {
                try db.run("""
                    INSERT INTO alert_notifications (alert_id, round, pass, user_id, rule_id, contact_method_id, due_at, state)
                    VALUES (?, 0, 0, ?, ?, 'cm_voice', ?, 'pending')
                    """, [.text(alert), .text(userId), .text("nr_\(pass)"), SQLValue(now.addingTimeInterval(delay))])
            }
        }
        fixture.provider.answer(.permanentFailure(reason: "21211 invalid number"))
        let id = try fixture.enqueue(.alert, alertId: alert, serviceId: service)
        fixture.settle()

        #expect(try fixture.state(id) == "failed")
        #expect(try fixture.message(id).get("last_error") as String? == "21211 invalid number")
        #expect(try fixture.timeline(alert, kind: "message-failed") == ["sms to Ana failed: 21211 invalid number"])
        let due = try fixture.database.read { db in
            try db.query("SELECT rule_id, due_at FROM alert_notifications WHERE alert_id = ? ORDER BY rule_id", [.text(alert)])
                .map { (try $0.get("rule_id") as String, try $0.get("due_at") as Date) }
        }
        #expect(due.map(\.0) == ["nr_1", "nr_2"])
        #expect(due.map(\.1) == [now, now.addingTimeInterval(600)])
    }

    @Test func aMessageLeftSendingIsSentAgainAfterARestart() async throws {
        let fixture = try await OutboxFixture()
        let id = try fixture.enqueue(.test, body: "interrupted")
        let now = fixture.now
        // As if the process died after the claim's commit, before the provider's answer was recorded.
        try fixture.database.write { db in
            try db.run("UPDATE messages SET state = 'sending', attempts = 1, updated_at = ? WHERE id = ?", [SQLValue(now), .text(id)])
        }
        fixture.settle()
        #expect(fixture.provider.sent.isEmpty)
        fixture.server.application.shutdown()

        let provider = RecordingProvider()
        var configuration = fixture.server.application.configuration
        configuration.listenPort = 0
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let restarted = try Application(configuration: configuration, logger: logger, time: fixture.server.time, providers: [provider])
        try restarted.start()
        defer { restarted.shutdown() }
        restarted.engine.runNow()
        #expect(restarted.outbox.waitUntilIdle(timeout: 10))
        #expect(provider.sent.map(\.id) == [id])
        let row = try #require(try restarted.database.read { try $0.queryOne("SELECT state, attempts FROM messages WHERE id = ?", [.text(id)]) })
        #expect(try row.get("state") as String == "sent")
        #expect(try row.get("attempts") as Int == 2)
    }

    @Test func aStormIsBundledThenThrottledToOneAMinute() async throws {
        let fixture = try await OutboxFixture()
        let service = try await fixture.service("SOC")
        let summaries = (1...11).map { "host\($0) down" }
        let alerts = try await fixture.alerts(service, summaries)
        var queued: [(id: String, alert: String, summary: String)] = []
        for (alert, summary) in zip(alerts, summaries).prefix(10) {
            queued.append((try fixture.enqueue(.alert, alertId: alert, serviceId: service, body: summary), alert, summary))
        }
        // Queued at the same instant: the bundle is led by, and lists, the messages in id order.
        queued.sort { $0.id < $1.id }
        let ids = queued.map(\.id)
        let start = fixture.now
        fixture.settle()

        let sent = fixture.provider.sent
        try #require(sent.count == 1)
        #expect(sent[0].id == ids[0])
        #expect(sent[0].subject == "10 new alerts on SOC")
        #expect(sent[0].alertIds == queued.map(\.alert))
        #expect(sent[0].ackLinks.count == 10)
        // An SMS bundle lists each alert by its reply code and carries the first alert's link; one
        // link per alert would not fit.
        #expect(sent[0].text == "10 new alerts on SOC: " + queued.enumerated().map { "\($0.offset + 1)) \($0.element.summary)" }.joined(separator: "; ")
                + "\n\(sent[0].ackLinks[0])\nReply 1a ack one, aa ack all, cc close all")
        #expect(sent[0].replyCodes == (1...10).map(String.init))
        #expect(try fixture.state(ids[0]) == "sent")
        for id in ids.dropFirst() {
            #expect(try fixture.state(id) == "bundled")
            #expect(try fixture.message(id).get("bundle_id") as String? == ids[0])
        }
        for alert in alerts.prefix(10) {
            #expect(try fixture.timeline(alert, kind: "message-sent") == ["sent sms to Ana via recorder"])
        }

        let eleventh = try fixture.enqueue(.alert, alertId: alerts[10], serviceId: service, body: summaries[10])
        fixture.settle()
        #expect(try fixture.state(eleventh) == "queued")
        #expect(try fixture.message(eleventh).get("next_attempt_at") as Date == start.addingTimeInterval(60))
        fixture.server.time.advance(by: 59)
        fixture.settle()
        #expect(fixture.provider.sent.count == 1)
        fixture.server.time.advance(by: 1)
        fixture.settle()
        #expect(try fixture.state(eleventh) == "sent")
        #expect(fixture.provider.sent.last?.text.hasPrefix(summaries[10] + "\n" + fixture.server.application.configuration.publicURL + "/a/") == true)
        #expect(fixture.provider.sent.last?.text.hasSuffix("\nReply 11a ack, 11c close, 11e escalate") == true)
    }

    @Test func anotherServicesFirstAlertIsNotDelayedByAStorm() async throws {
        let fixture = try await OutboxFixture()
        let storm = try await fixture.service("Storm")
        let quiet = try await fixture.service("Quiet")
        let stormAlerts = try await fixture.alerts(storm, ["s1", "s2"])
        let quietAlert = try await fixture.alerts(quiet, ["q1"])[0]
        try fixture.enqueue(.alert, alertId: stormAlerts[0], serviceId: storm, body: "s1")
        fixture.settle()
        let second = try fixture.enqueue(.alert, alertId: stormAlerts[1], serviceId: storm, body: "s2")
        let first = try fixture.enqueue(.alert, alertId: quietAlert, serviceId: quiet, body: "q1")
        fixture.settle()

        #expect(try fixture.state(first) == "sent")
        #expect(try fixture.state(second) == "queued")
        #expect(fixture.provider.sent.map { $0.text.components(separatedBy: "\n")[0] } == ["s1", "q1"])
        fixture.server.time.advance(by: 60)
        fixture.settle()
        #expect(try fixture.state(second) == "sent")

        // Status updates obey the throttle (a minute after s2) and are never bundled.
        let statusUpdate = try fixture.enqueue(.statusUpdate, alertId: stormAlerts[0], serviceId: storm, body: "s1 acknowledged by Bo")
        fixture.settle()
        #expect(try fixture.state(statusUpdate) == "queued")
        fixture.server.time.advance(by: 60)
        fixture.settle()
        #expect(try fixture.state(statusUpdate) == "sent")
        #expect(fixture.provider.sent.last?.alertIds == [stormAlerts[0]])
        #expect(fixture.provider.sent.count == 4)
    }

    @Test func cancelledAndUnsendableMessagesAreNeverSent() async throws {
        let fixture = try await OutboxFixture()
        let service = try await fixture.service("SOC")
        let alert = try await fixture.alerts(service, ["cpu"])[0]
        try fixture.addMethod("cm_unverified", type: "email", address: "ana@example.com", verified: false)
        let now = fixture.now
        let cancelled = try fixture.enqueue(.alert, alertId: alert, serviceId: service)
        try fixture.database.write { db in try OutboxQueue.cancelQueuedPages(alertId: alert, at: now, db: db) }
        let unverified = try fixture.enqueue(.alert, alertId: alert, serviceId: service, method: "cm_unverified")
        let gone = try fixture.enqueue(.test, method: "cm_deleted")
        let verification = try fixture.enqueue(.verification, method: "cm_unverified", body: "Your Watchkeeper code is 123456")
        fixture.settle()

        #expect(try fixture.state(cancelled) == "cancelled")
        #expect(try fixture.state(unverified) == "cancelled")
        #expect(try fixture.message(unverified).get("last_error") as String? == "contact method is not verified")
        #expect(try fixture.state(gone) == "cancelled")
        #expect(try fixture.message(gone).get("last_error") as String? == "contact method no longer exists")
        // A verification code goes to the unverified method; once sent, the code is not kept.
        #expect(fixture.provider.sent.map(\.id) == [verification])
        #expect(fixture.provider.sent.first?.text == "Your Watchkeeper code is 123456")
        #expect(try fixture.state(verification) == "sent")
        #expect(try fixture.message(verification).get("body") as String == "(verification code sent)")
    }

    @Test func consoleProviderDeliversAndTheAPIsShowIt() async throws {
        let fixture = try await OutboxFixture(consoleProvider: true)
        let server = fixture.server
        let service = try await fixture.service("SOC")
        let alerts = try await fixture.alerts(service, ["a1", "a2"])
        let first = try fixture.enqueue(.alert, alertId: alerts[0], serviceId: service, body: "a1")
        fixture.settle()
        server.time.advance(by: 1)
        let test = try fixture.enqueue(.test, body: "test page")
        fixture.settle()
        #expect(try fixture.state(first) == "sent" && fixture.state(test) == "sent")
        #expect(try fixture.message(first).get("provider") as String? == "console")

        let viewer = try server.key(.viewer, name: "viewer")
        #expect(try await server.request("GET", "/api/v1/console/messages").status == 401)
        #expect(try await server.request("GET", "/api/v1/console/messages", token: viewer).status == 403)
        #expect(try await server.request("GET", "/api/v1/messages").status == 401)

        let inbox = try await server.request("GET", "/api/v1/console/messages", token: fixture.admin)
        #expect(inbox.status == 200, "\(inbox.text)")
        let items = inbox.object["items"] as? [[String: Any]] ?? []
        #expect(items.compactMap { $0["messageId"] as? String } == [first, test])
        let text = items.first?["text"] as? String ?? ""
        #expect(text.hasPrefix("a1\n\(server.application.configuration.publicURL)/a/"))
        #expect(items.first?["alertIds"] as? [String] == [alerts[0]])
        #expect(items.first?["address"] as? String == "+4790000001")
        let firstId = items.first?["id"] as? Int ?? 0
        let byAlert = try await server.request("GET", "/api/v1/console/messages?alertId=\(alerts[0])", token: fixture.admin)
        #expect((byAlert.object["items"] as? [[String: Any]])?.count == 1)
        let after = try await server.request("GET", "/api/v1/console/messages?after=\(firstId)&userId=\(fixture.userId)", token: fixture.admin)
        #expect((after.object["items"] as? [[String: Any]])?.compactMap { $0["messageId"] as? String } == [test])
        let paged = try await server.request("GET", "/api/v1/console/messages?limit=1", token: fixture.admin)
        #expect(paged.object["nextCursor"] as? String == String(firstId))
        #expect(try await server.request("GET", "/api/v1/console/messages?after=x", token: fixture.admin).status == 400)

        let outbox = try await server.request("GET", "/api/v1/messages?limit=1", token: viewer)
        #expect(outbox.status == 200, "\(outbox.text)")
        let newest = (outbox.object["items"] as? [[String: Any]])?.first
        #expect(newest?["id"] as? String == test)
        #expect(newest?["state"] as? String == "sent")
        #expect(newest?["bundleId"] is NSNull)
        let cursor = try #require(outbox.object["nextCursor"] as? String)
        let next = try await server.request("GET", "/api/v1/messages?limit=1&cursor=\(cursor)", token: viewer)
        let older = (next.object["items"] as? [[String: Any]])?.first
        #expect(older?["id"] as? String == first)
        #expect(older?["body"] as? String == "a1")
        #expect(next.object["nextCursor"] is NSNull)
        let byState = try await server.request("GET", "/api/v1/messages?state=sent&alertId=\(alerts[0])&userId=\(fixture.userId)", token: viewer)
        #expect((byState.object["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [first])
        #expect(try await server.request("GET", "/api/v1/messages?state=lost", token: viewer).status == 400)
    }

    @Test func aRetriedBundleIsUnfoldedSoEachAlertCanBeCancelled() async throws {
        let fixture = try await OutboxFixture()
        let service = try await fixture.service("SOC")
        let alerts = try await fixture.alerts(service, ["a", "b", "c"])
        var ids: [String] = []
        for (alert, summary) in zip(alerts, ["a", "b", "c"]) {
            ids.append(try fixture.enqueue(.alert, alertId: alert, serviceId: service, body: summary))
        }
        fixture.provider.answer(.temporaryFailure(reason: "503", retryAfter: 30))
        fixture.settle()
        try #require(fixture.provider.sent.count == 1)
        #expect(fixture.provider.sent[0].alertIds.count == 3)
        for id in ids {
            #expect(try fixture.state(id) == "queued")
            #expect(try fixture.message(id).get("bundle_id") as String? == nil)
        }
        // One alert is acknowledged meanwhile: the retry bundles only the other two.
        let acknowledged = try #require(fixture.provider.sent[0].alertIds.last)
        let now = fixture.now
        try fixture.database.write { db in try OutboxQueue.cancelQueuedPages(alertId: acknowledged, at: now, db: db) }
        fixture.server.time.advance(by: 30)
        fixture.settle()
        let retry = try #require(fixture.provider.sent.last)
        #expect(fixture.provider.sent.count == 2)
        #expect(retry.subject == "2 new alerts on SOC")
        #expect(Set(retry.alertIds) == Set(alerts).subtracting([acknowledged]))
        #expect(try fixture.state(retry.id) == "sent")
    }

    @Test func aSlowProviderDelaysNeitherTheEngineNorOtherContactMethods() async throws {
        let slow = BlockingProvider(blocking: "+4790000001")
        let fixture = try await OutboxFixture(providers: [slow])
        try fixture.addMethod("cm_mail", type: "email", address: "ana@example.com")
        let stuck = try fixture.enqueue(.test, body: "to the slow gateway")
        fixture.server.application.engine.runNow()
        // The send is in flight on a sender thread; the engine's passes go on.
        let mail = try fixture.enqueue(.test, method: "cm_mail", body: "by mail")
        let started = Date()
        fixture.server.application.engine.runNow()
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(fixture.server.application.outbox.waitUntilIdle(timeout: 0.2) == false)
        #expect(try fixture.state(stuck) == "sending")
        // A second message to the busy method waits for the first answer.
        let queuedBehind = try fixture.enqueue(.test, body: "second")
        fixture.server.application.engine.runNow()
        #expect(try fixture.state(queuedBehind) == "queued")
        for _ in 0..<100 where slow.sent != [mail] { try await Task.sleep(for: .milliseconds(10)) }
        #expect(slow.sent == [mail])

        slow.release()
        slow.release()
        fixture.settle()
        #expect(try fixture.state(stuck) == "sent")
        #expect(try fixture.state(queuedBehind) == "sent")
        #expect(slow.sent == [mail, stuck, queuedBehind])
    }

    @Test func anAlertPagedTwiceAppearsOnceInABundle() async throws {
        let fixture = try await OutboxFixture()
        let service = try await fixture.service("SOC")
        let alerts = try await fixture.alerts(service, ["x", "y"])
        try fixture.enqueue(.alert, alertId: alerts[0], serviceId: service, body: "x")
        try fixture.enqueue(.alert, alertId: alerts[0], serviceId: service, body: "x again")
        try fixture.enqueue(.alert, alertId: alerts[1], serviceId: service, body: "y")
        fixture.settle()
        let sent = try #require(fixture.provider.sent.first)
        #expect(fixture.provider.sent.count == 1)
        #expect(sent.subject == "2 new alerts on SOC")
        #expect(Set(sent.alertIds) == Set(alerts) && sent.ackLinks.count == 2)
    }
}
