import Foundation
import Gateways
import Storage
import Testing
@testable import WatchkeeperApp

/// `InboundPaging` called directly, as a gateway's inbound routes call it once the provider's
/// signature is checked: the real Application, its database and a manual clock.
struct InboundFixture {
    let outbox: OutboxFixture
    let service: String
    static let phone = "+4790000001"

    init() async throws {
        outbox = try await OutboxFixture()
        let admin = outbox.admin
        let policy = try await outbox.server.request("POST", "/api/v1/escalation-policies", token: admin, json: [
            "name": "SOC policy", "steps": [["targets": [["kind": "user", "id": outbox.userId]], "delaySeconds": 600]]])
        #expect(policy.status == 201, "\(policy.text)")
        let service = try await outbox.server.request("POST", "/api/v1/services", token: admin,
                                                      json: ["name": "SOC", "escalationPolicyId": policy.object["id"] as? String ?? ""])
        #expect(service.status == 201, "\(service.text)")
        self.service = try #require(service.object["id"] as? String)
    }

    var inbound: InboundPaging { outbox.server.application.inbound }
    var provider: RecordingProvider { outbox.provider }

    func alerts(_ summaries: [String]) async throws -> [String] {
        try await outbox.alerts(service, summaries)
    }

    /// Sends one page per alert (or one bundle of all of them), then lets the throttle's window pass.
    @discardableResult
    func page(_ alerts: [String], method: String? = nil, bundled: Bool = false) throws -> [String] {
        let summaries: [String] = try alerts.map { alert in
            try outbox.database.read { try $0.queryOne("SELECT summary FROM alerts WHERE id = ?", [.text(alert)])!.get("summary") }
        }
        guard bundled else {
            return try zip(alerts, summaries).map { alert, summary in
                defer { settle() }
                return try outbox.enqueue(.alert, alertId: alert, serviceId: service, method: method, body: "SOC: \(summary)")
            }
        }
        // One commit, so the engine (which runs on its own too) finds them all queued and bundles them.
        let (userId, methodId, serviceId, now) = (outbox.userId, method ?? outbox.methodId, service, outbox.now)
        let ids = try outbox.database.write { db in
            try zip(alerts, summaries).map { alert, summary in
                try OutboxQueue.enqueue(OutboxQueue.NewMessage(alertId: alert, serviceId: serviceId, userId: userId, contactMethodId: methodId, kind: .alert,
                                                               subject: "SOC: \(summary)", body: "SOC: \(summary)"), at: now, db: db)
            }
        }
        settle()
        return ids
    }

    func settle() {
        outbox.settle()
        outbox.server.time.advance(by: 900)
        outbox.settle()
    }

    func sms(_ text: String, id: String = UUID().uuidString, from: String = phone) -> String? {
        inbound.smsReceived(InboundSMS(gateway: "twilio-main", providerMessageId: id, from: from, to: "+15005550006", text: text))
    }

    func alert(_ id: String) throws -> (status: String, ackBy: String?, ackVia: String?, resolvedBy: String?, resolvedVia: String?) {
        try outbox.database.read { db in
            let row = try #require(try db.queryOne("SELECT * FROM alerts WHERE id = ?", [.text(id)]))
            return (try row.get("status"), try row.get("acknowledged_by"), try row.get("acknowledged_via"), try row.get("resolved_by"),
                    try row.get("resolved_via"))
        }
    }

    /// Timeline entries of `kind` made by a person (not the policy's own steps).
    func count(_ alertId: String, kind: String) throws -> Int {
        try outbox.timeline(alertId, kind: kind).filter { $0.contains(" by Ana via ") }.count
    }
}

@Suite struct InboundPagingTests {
    @Test func eachReplyCodeActsOnItsAlertAsTheMethodsUserViaSMS() async throws {
        let fixture = try await InboundFixture()
        let alerts = try await fixture.alerts(["db down", "disk full", "vpn flapping", "cert expiring"])
        try fixture.page(alerts)
        let texts = fixture.provider.sent.map(\.text)
        #expect(texts.count == 4)
        for (index, text) in texts.enumerated() {
            #expect(text.hasSuffix("\nReply \(index + 1)a ack, \(index + 1)c close, \(index + 1)e escalate"), "\(text)")
        }

        #expect(fixture.sms("1A") == "Acknowledged alert 1: db down")
        var alert = try fixture.alert(alerts[0])
        #expect(alert.status == "acknowledged" && alert.ackBy == "Ana" && alert.ackVia == "sms")

        #expect(fixture.sms(" 2 c ") == "Closed alert 2: disk full")
        alert = try fixture.alert(alerts[1])
        #expect(alert.status == "resolved" && alert.resolvedBy == "Ana" && alert.resolvedVia == "sms")

        #expect(fixture.sms("“3E”") == "Escalated alert 3: vpn flapping")
        #expect(try fixture.outbox.timeline(alerts[2], kind: "escalated").contains("escalated by Ana via sms"))

        #expect(fixture.sms("'4 a'") == "Acknowledged alert 4: cert expiring")
        // Acting twice tells why nothing happened.
        #expect(fixture.sms("1a") == "Not possible for alert 1 (db down): it is acknowledged")
        #expect(fixture.sms("2e") == "Not possible for alert 2 (disk full): it is resolved")
        // A code that names nothing gets the help text.
        #expect(fixture.sms("7a") == "No alert 7 for you. " + InboundPaging.help)
    }

    @Test func aBareLetterActsOnTheLastAlertSentToTheNumber() async throws {
        let fixture = try await InboundFixture()
        let alerts = try await fixture.alerts(["db down", "disk full"])
        try fixture.page(alerts)
        // Vonage reports the number without its "+".
        #expect(fixture.sms(" 'a' ", from: "4790000001") == "Acknowledged alert 2: disk full")
        #expect(try fixture.alert(alerts[1]).status == "acknowledged")
        #expect(try fixture.alert(alerts[0]).status == "triggered")
        #expect(fixture.sms("C") == "Closed alert 2: disk full")
        #expect(try fixture.alert(alerts[1]).status == "resolved")
    }

    @Test func aaAndCcActOnEveryAlertOfTheLastBundle() async throws {
        let fixture = try await InboundFixture()
        let alerts = try await fixture.alerts(["host1 down", "host2 down", "host3 down"])
        try fixture.page(alerts, bundled: true)
        let bundle = try #require(fixture.provider.sent.last)
        #expect(bundle.alertIds.count == 3)
        // Queued at one instant, the bundle lists them in message-id order; codes follow that order.
        let summaries = ["host1 down", "host2 down", "host3 down"]
        let order = try bundle.alertIds.map { try #require(alerts.firstIndex(of: $0)) }
        #expect(bundle.text == "3 new alerts on SOC: 1) \(summaries[order[0]]); 2) \(summaries[order[1]]); 3) \(summaries[order[2]])"
                + "\n\(try #require(bundle.ackLinks.first))\nReply 1a ack one, aa ack all, cc close all")
        #expect(bundle.replyCodes == ["1", "2", "3"])

        // A bare letter is ambiguous on a bundle: the answer says what to send instead.
        #expect(fixture.sms("a")?.hasPrefix("The last message had 3 alerts: reply aa or cc for all, or a code like 1a.") == true)
        #expect(try fixture.alert(alerts[0]).status == "triggered")

        #expect(fixture.sms("2a") == "Acknowledged alert 2: \(summaries[order[1]])")
        #expect(try fixture.alert(bundle.alertIds[1]).status == "acknowledged")
        #expect(fixture.sms("A A") == "Acknowledged 2 of 3 alerts (1 already acknowledged or closed).")
        #expect(try alerts.allSatisfy { try fixture.alert($0).status == "acknowledged" })
        #expect(fixture.sms("cc") == "Closed 3 of 3 alerts.")
        #expect(try alerts.allSatisfy { try fixture.alert($0).status == "resolved" && fixture.alert($0).resolvedVia == "sms" })
    }

    @Test func unknownTextGetsAtMostFiveHelpRepliesUntilARealMessageSucceeds() async throws {
        let fixture = try await InboundFixture()
        let alerts = try await fixture.alerts(["db down", "disk full"])
        try fixture.page([alerts[0]])
        let answers = (1...7).map { fixture.sms("what is this? \($0)") }
        #expect(answers.prefix(5).allSatisfy { $0 == InboundPaging.help })
        #expect(answers.suffix(2).allSatisfy { $0 == nil })
        // A real message reaching the number lets the help through again.
        try fixture.page([alerts[1]])
        #expect(fixture.sms("hello?") == InboundPaging.help)
        // A number we never paged gets no answer at all.
        #expect(fixture.sms("hello?", from: "+4799999999") == nil)
    }

    @Test func stopDisablesTheMethodAndStartEnablesItAgain() async throws {
        let fixture = try await InboundFixture()
        let alerts = try await fixture.alerts(["db down", "disk full", "vpn flapping"])
        try fixture.page([alerts[0]])

        // Never a command, and never answered: the carrier or provider answers STOP itself.
        #expect(fixture.sms(" Stop ") == nil)
        #expect(try fixture.alert(alerts[0]).status == "triggered")
        let path = "/api/v1/users/\(fixture.outbox.userId)/contact-methods/\(fixture.outbox.methodId)"
        var method = try await fixture.outbox.server.request("GET", path, token: fixture.outbox.admin)
        #expect(method.object["disabled"] as? Bool == true)

        // Not paged while disabled.
        let sentBefore = fixture.provider.sent.count
        let cancelled = try fixture.page([alerts[1]])
        #expect(fixture.provider.sent.count == sentBefore)
        #expect(try fixture.outbox.state(cancelled[0]) == "cancelled")
        #expect(try fixture.outbox.message(cancelled[0]).get("last_error") as String? == "contact method is disabled")

        #expect(fixture.sms("start") == nil)
        method = try await fixture.outbox.server.request("GET", path, token: fixture.outbox.admin)
        #expect(method.object["disabled"] as? Bool == false)
        try fixture.page([alerts[2]])
        #expect(fixture.provider.sent.count == sentBefore + 1)

        // The other keywords; "STOP PLEASE" is not one (carriers match the word alone).
        for word in ["STOPALL", "unsubscribe", "Cancel", "END.", "quit"] {
            #expect(fixture.sms(word) == nil)
            method = try await fixture.outbox.server.request("GET", path, token: fixture.outbox.admin)
            #expect(method.object["disabled"] as? Bool == true, "\(word)")
            #expect(fixture.sms("UNSTOP") == nil)
        }
        #expect(fixture.sms("STOP PLEASE") == InboundPaging.help)
        method = try await fixture.outbox.server.request("GET", path, token: fixture.outbox.admin)
        #expect(method.object["disabled"] as? Bool == false)
    }

    @Test func aReplayedSMSHasNoSecondEffect() async throws {
        let fixture = try await InboundFixture()
        let alerts = try await fixture.alerts(["db down"])
        try fixture.page(alerts)
        let first = fixture.sms("1e", id: "SM0001")
        #expect(first == "Escalated alert 1: db down")
        #expect(fixture.sms("1e", id: "SM0001") == first)
        #expect(try fixture.count(alerts[0], kind: "escalated") == 1)
        // The same words under a new provider id are a new request.
        _ = fixture.sms("1e", id: "SM0002")
        #expect(try fixture.count(alerts[0], kind: "escalated") == 2)
        // A replayed help reply is answered again but counts once.
        for _ in 0..<6 { _ = fixture.sms("??", id: "SM0003") }
        #expect(fixture.sms("??", id: "SM0004") == InboundPaging.help)
    }

    @Test func keyPressesActAsTheUserViaVoiceOncePerCall() async throws {
        let fixture = try await InboundFixture()
        try fixture.outbox.addMethod("cm_voice", type: "voice", address: InboundFixture.phone)
        let alerts = try await fixture.alerts(["db down", "disk full", "vpn flapping"])
        try fixture.page(alerts, method: "cm_voice")
        let calls = fixture.provider.sent.map { _ in () }.indices.map { "rec-\($0 + 1)" }
        #expect(calls.count == 3)
        let inbound = fixture.inbound
        func press(_ call: String, _ digits: String) -> KeyPressOutcome {
            inbound.keyPressed(KeyPress(gateway: "recorder", callId: call, digits: digits))
        }

        #expect(press(calls[0], "9") == .unknownKey)
        #expect(press(calls[0], "1") == .acknowledged)
        var alert = try fixture.alert(alerts[0])
        #expect(alert.status == "acknowledged" && alert.ackBy == "Ana" && alert.ackVia == "voice")
        // The provider retrying the same request: same answer, no second effect.
        #expect(press(calls[0], "1") == .acknowledged)
        #expect(try fixture.count(alerts[0], kind: "acknowledged") == 1)

        #expect(press(calls[1], "2") == .escalated)
        #expect(try fixture.outbox.timeline(alerts[1], kind: "escalated").contains("escalated by Ana via voice"))
        #expect(press(calls[1], "2") == .escalated)
        #expect(try fixture.count(alerts[1], kind: "escalated") == 1)

        #expect(press(calls[2], "3") == .resolved)
        alert = try fixture.alert(alerts[2])
        #expect(alert.status == "resolved" && alert.resolvedVia == "voice")
        #expect(press(calls[2], "1") == .alreadyClosed)

        #expect(press("CA-unknown", "1") == .unknownCall)
        #expect(inbound.keyPressed(KeyPress(gateway: "other-gateway", callId: calls[1], digits: "1")) == .unknownCall)
    }

    @Test func voiceScriptsComeFromTheMessageRow() async throws {
        let fixture = try await InboundFixture()
        try fixture.outbox.addMethod("cm_voice", type: "voice", address: InboundFixture.phone)
        let alerts = try await fixture.alerts(["db down", "disk full", "vpn flapping"])
        let single = try fixture.page([alerts[0]], method: "cm_voice")
        #expect(fixture.inbound.voiceScript(messageId: single[0]) == VoiceScript(text: "Watchkeeper alert. SOC: db down", acceptsKeys: true))
        // The gateway was given the same words when it placed the call.
        #expect(fixture.provider.sent.last?.spokenText == "Watchkeeper alert. SOC: db down")
        try fixture.page(Array(alerts.dropFirst()), method: "cm_voice", bundled: true)
        let bundle = try #require(fixture.provider.sent.last)
        #expect(bundle.alertIds.count == 2)
        let said = bundle.alertIds.map { $0 == alerts[1] ? "disk full" : "vpn flapping" }.joined(separator: ". ")
        #expect(fixture.inbound.voiceScript(messageId: bundle.id) == VoiceScript(text: "Watchkeeper: 2 new alerts on SOC. \(said)", acceptsKeys: true))
        #expect(bundle.spokenText == "Watchkeeper: 2 new alerts on SOC. \(said)")
        let test = try fixture.outbox.enqueue(.test, method: "cm_voice", body: "This is a test page")
        #expect(fixture.inbound.voiceScript(messageId: test) == VoiceScript(text: "This is a test page", acceptsKeys: false))
        #expect(fixture.inbound.voiceScript(messageId: "msg_unknown") == nil)
    }

    @Test func aVoiceVerificationCodeIsReadDigitByDigitUntilTheCallEnds() async throws {
        let fixture = try await InboundFixture()
        try fixture.outbox.addMethod("cm_voice_new", type: "voice", address: "+4790000002", verified: false)
        let id = try fixture.outbox.enqueue(.verification, method: "cm_voice_new", body: "Watchkeeper verification code: 482190")
        fixture.outbox.settle()
        #expect(try fixture.outbox.state(id) == "sent")
        let words = VoiceScript(text: "Watchkeeper verification code: 4 8 2 1 9 0", acceptsKeys: false)
        #expect(fixture.provider.sent.last?.spokenText == words.text)
        // The call fetches its words when answered, after the send was recorded.
        #expect(fixture.inbound.voiceScript(messageId: id) == words)
        fixture.inbound.deliveryReported(DeliveryReport(gateway: "recorder", providerMessageId: "rec-\(fixture.provider.sent.count)",
                                                        status: .delivered, detail: "completed"))
        #expect(try fixture.outbox.message(id).get("body") as String == "(verification code sent)")
        #expect(fixture.inbound.voiceScript(messageId: id) == nil)
    }

    @Test func deliveryReportsOnlyMoveForward() async throws {
        let fixture = try await InboundFixture()
        let alerts = try await fixture.alerts(["db down", "disk full"])
        let ids = try fixture.page(alerts)
        let inbound = fixture.inbound
        func report(_ id: String, _ status: DeliveryReport.Status, _ detail: String = "") {
            inbound.deliveryReported(DeliveryReport(gateway: "recorder", providerMessageId: id, status: status, detail: detail))
        }

        // In order: sent, then delivered; a late failure cannot undo the delivery.
        report("rec-1", .sent)
        #expect(try fixture.outbox.state(ids[0]) == "sent")
        report("rec-1", .delivered)
        #expect(try fixture.outbox.state(ids[0]) == "delivered")
        report("rec-1", .failed, "undelivered 30003")
        report("rec-1", .sent)
        #expect(try fixture.outbox.state(ids[0]) == "delivered")
        #expect(try fixture.outbox.timeline(alerts[0], kind: "message-failed").isEmpty)

        // Out of order: failed first; the late 'delivered' and 'sent' change nothing.
        report("rec-2", .failed, "undelivered 30005")
        #expect(try fixture.outbox.state(ids[1]) == "failed")
        report("rec-2", .delivered)
        report("rec-2", .sent)
        #expect(try fixture.outbox.state(ids[1]) == "failed")
        #expect(try fixture.outbox.message(ids[1]).get("last_error") as String? == "recorder reported: undelivered 30005")
        #expect(try fixture.outbox.timeline(alerts[1], kind: "message-failed") == ["sms to Ana failed: recorder reported undelivered 30005"])

        // Unknown ids, and ids of another gateway, are ignored.
        report("rec-404", .failed)
        inbound.deliveryReported(DeliveryReport(gateway: "other", providerMessageId: "rec-1", status: .failed, detail: ""))
        #expect(try fixture.outbox.state(ids[0]) == "delivered")
    }

    @Test func aFailedPageReportMovesTheUserToTheirNextContactMethodNow() async throws {
        let fixture = try await InboundFixture()
        let alert = try await fixture.alerts(["db down"])[0]
        let ids = try fixture.page([alert])
        let (userId, reportedAt) = (fixture.outbox.userId, fixture.outbox.now)
        try fixture.outbox.database.write { db in
            for (rule, delay) in [("nr_1", 300.0), ("nr_2", 600.0)] {
                try db.run("""
                    INSERT INTO alert_notifications (alert_id, round, pass, user_id, rule_id, contact_method_id, due_at, state)
                    VALUES (?, 9, 0, ?, ?, 'cm_voice', ?, 'pending')
                    """, [.text(alert), .text(userId), .text(rule), SQLValue(reportedAt.addingTimeInterval(delay))])
            }
        }
        fixture.inbound.deliveryReported(DeliveryReport(gateway: "recorder", providerMessageId: "rec-1", status: .failed, detail: "failed 30003"))
        #expect(try fixture.outbox.state(ids[0]) == "failed")
        let due = try fixture.outbox.database.read { db in
            try db.query("SELECT rule_id, due_at FROM alert_notifications WHERE alert_id = ? AND round = 9 ORDER BY rule_id", [.text(alert)])
                .map { (try $0.get("rule_id") as String, try $0.get("due_at") as Date) }
        }
        #expect(due.map(\.0) == ["nr_1", "nr_2"])
        #expect(due.map(\.1) == [reportedAt, reportedAt.addingTimeInterval(600)])
        // A replayed failure does not move the user on again.
        fixture.outbox.server.time.advance(by: 5)
        fixture.inbound.deliveryReported(DeliveryReport(gateway: "recorder", providerMessageId: "rec-1", status: .failed, detail: "failed 30003"))
        let later: [Date] = try fixture.outbox.database.read { db in
            try db.query("SELECT due_at FROM alert_notifications WHERE alert_id = ? AND round = 9 ORDER BY rule_id", [.text(alert)]).map { try $0.get("due_at") }
        }
        #expect(later == [reportedAt, reportedAt.addingTimeInterval(600)])
    }
}

@Suite struct InboundSMSCommandTests {
    @Test func replyFormsAreTolerantOfSpacesCaseAndQuotes() {
        #expect(SMSCommand(parsing: "1a") == .act(code: 1, action: .acknowledge))
        #expect(SMSCommand(parsing: "1A") == .act(code: 1, action: .acknowledge))
        #expect(SMSCommand(parsing: " 'a' ") == .act(code: nil, action: .acknowledge))
        #expect(SMSCommand(parsing: "1 a") == .act(code: 1, action: .acknowledge))
        #expect(SMSCommand(parsing: "“12C”") == .act(code: 12, action: .close))
        #expect(SMSCommand(parsing: "\"3 e\"\n") == .act(code: 3, action: .escalate))
        #expect(SMSCommand(parsing: "aa") == .all(.acknowledge))
        #expect(SMSCommand(parsing: "C C") == .all(.close))
        // Not commands: escalating everything at once, words, long codes.
        for text in ["ee", "ack", "1ab", "a1", "1234a", "", "ok thanks"] {
            #expect(SMSCommand(parsing: text) == .unknown, "\(text)")
        }
    }

    @Test func carrierKeywordsAreNeverCommands() {
        for word in ["STOP", "stop", " Stop. ", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "'quit'"] {
            #expect(SMSCommand(parsing: word) == .optOut, "\(word)")
        }
        for word in ["START", "start", "UNSTOP"] {
            #expect(SMSCommand(parsing: word) == .optIn, "\(word)")
        }
        #expect(SMSCommand(parsing: "STOP PLEASE") == .unknown)
    }
}

@Suite struct InboundReplyCodeCycleTests {
    @Test func codesAreReusedCyclicallyAfterTheMaximum() async throws {
        let fixture = try await InboundFixture()
        let alerts = try await fixture.alerts((1...(ReplyCodes.maximum + 2)).map { "alert \($0)" })
        let (methodId, now) = (fixture.outbox.methodId, fixture.outbox.now)
        let codes = try fixture.outbox.database.write { db in
            try alerts.map { try ReplyCodes.code(contactMethodId: methodId, alertId: $0, at: now, db: db) }
        }
        #expect(codes == Array(1...ReplyCodes.maximum) + [1, 2])
        let again = try fixture.outbox.database.write { db in try ReplyCodes.code(contactMethodId: methodId, alertId: alerts.last!, at: now, db: db) }
        #expect(again == 2)
        let named = try fixture.outbox.database.read { db in try ReplyCodes.alert(code: 1, contactMethodIds: [methodId], db: db) }
        #expect(named == alerts[ReplyCodes.maximum])
    }
}
