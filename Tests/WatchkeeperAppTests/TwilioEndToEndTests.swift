import Foundation
@testable import Gateways
import Storage
import Testing
@testable import WatchkeeperApp

/// The whole path through Twilio as it runs in production, over real sockets: the server started
/// with a gateways file pages through the fake Twilio, and Twilio's callbacks (signed for the
/// public URL, received on loopback as behind a proxy) acknowledge, escalate, report delivery
/// and opt out.
@Suite struct TwilioEndToEndTests {
    static let anaSMS = "+447700900111"
    static let anaVoice = "+447700900112"

    /// Alert text, the alert's status and how it was acknowledged.
    static func alert(_ harness: TwilioAppHarness, _ id: String) throws -> [String: Any] {
        try harness.request("GET", "/api/v1/alerts/\(id)").object
    }

    static func messageState(_ harness: TwilioAppHarness, sid: String) throws -> String? {
        try harness.database.read { try $0.queryOne("SELECT state FROM messages WHERE provider_message_id = ?", [.text(sid)])?.get("state") }
    }

    static func messageId(_ harness: TwilioAppHarness, sid: String) throws -> String? {
        try harness.database.read { try $0.queryOne("SELECT id FROM messages WHERE provider_message_id = ?", [.text(sid)])?.get("id") }
    }

    static func reply(from: String, _ text: String, sid: String) -> [(name: String, value: String)] {
        [("AccountSid", "ACedf4d5fe3e00e6f515b456eda2e535e3"), ("ApiVersion", "2010-04-01"), ("Body", text), ("From", from),
         ("MessageSid", sid), ("NumMedia", "0"), ("SmsStatus", "received"), ("To", "+447700900500")]
    }

    @Test func anSMSPageIsAcknowledgedByASignedReply() throws {
        let harness = try TwilioAppHarness()
        let ana = try harness.user("Ana", methods: [("sms", Self.anaSMS, 0)])
        let key = try harness.service("SOC Tier 1", paging: [ana])
        let alert = try harness.trigger(key, "Ransomware on FIN-DB-01")
        harness.settle()
        #expect(harness.fake.violations == [])
        let page = try #require(harness.sends(to: Self.anaSMS, "Messages").first?.request)
        #expect(harness.fake.received.count == 1)
        let body = try #require(page.value("Body"))
        #expect(body.contains("SOC Tier 1: Ransomware on FIN-DB-01") && body.contains("Reply 1a ack"))
        #expect(body.contains("https://pager.example.eu/a/"))
        let messageId = try #require(try Self.messageId(harness, sid: page.sid))
        #expect(page.value("StatusCallback") == TwilioAppHarness.callbackBase + "/sms-status?page=" + messageId)
        #expect(try Self.messageState(harness, sid: page.sid) == "sent")

        // Unsigned, forged and signed-for-the-loopback-URL replies change nothing.
        let sms = Self.reply(from: Self.anaSMS, "1a", sid: "SM00000000000000000000000000000a01")
        #expect(try harness.callback("/providers/twilio/twilio-main/sms", sms, signature: .some(nil)).status == 403)
        #expect(try harness.callback("/providers/twilio/twilio-main/sms", sms, signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=").status == 403)
        let loopback = TwilioSignature.compute(url: harness.local + "/providers/twilio/twilio-main/sms", parameters: sms, authToken: harness.fake.authToken)
        #expect(try harness.callback("/providers/twilio/twilio-main/sms", sms, signature: loopback).status == 403)
        #expect(try Self.alert(harness, alert)["status"] as? String == "triggered")

        let answer = try harness.callback("/providers/twilio/twilio-main/sms", sms)
        #expect(answer.status == 200 && answer.header("Content-Type") == "text/xml; charset=utf-8")
        #expect(answer.text.contains("<Message>Acknowledged alert 1: Ransomware on FIN-DB-01</Message>"), "\(answer.text)")
        let acknowledged = try Self.alert(harness, alert)
        #expect(acknowledged["status"] as? String == "acknowledged")
        #expect(acknowledged["acknowledgedBy"] as? String == "Ana")
        // Twilio retries the webhook: same answer, no second effect.
        let replayed = try harness.callback("/providers/twilio/twilio-main/sms", sms)
        #expect(replayed.text == answer.text)
        let timeline = try harness.request("GET", "/api/v1/alerts/\(alert)/timeline?limit=100").object["items"] as? [[String: Any]] ?? []
        #expect(timeline.filter { $0["kind"] as? String == "acknowledged" }.count == 1)
    }

    @Test func statusCallbacksInAndOutOfOrderNeverMoveBackwards() throws {
        let harness = try TwilioAppHarness()
        let ana = try harness.user("Ana", methods: [("sms", Self.anaSMS, 0)])
        let key = try harness.service("SOC Tier 1", paging: [ana])
        _ = try harness.trigger(key, "Impossible travel for ana@contoso.com")
        harness.settle()
        let page = try #require(harness.sends(to: Self.anaSMS, "Messages").first?.request)
        let target = String(try #require(page.value("StatusCallback")).dropFirst(TwilioAppHarness.publicURL.count))
        func status(_ word: String, error: String? = nil) throws -> Int {
            var parameters: [(name: String, value: String)] = [("AccountSid", harness.fake.accountSid), ("MessageSid", page.sid), ("MessageStatus", word),
                                                                ("SmsSid", page.sid), ("SmsStatus", word), ("To", Self.anaSMS)]
            if let error { parameters.append(("ErrorCode", error)) }
            return try harness.callback(target, parameters).status
        }
        // In order: sent, delivered; then a late "sent" and a contradicting "undelivered" arrive.
        #expect(try status("sent") == 204)
        #expect(try Self.messageState(harness, sid: page.sid) == "sent")
        #expect(try status("delivered") == 204)
        #expect(try Self.messageState(harness, sid: page.sid) == "delivered")
        #expect(try status("sent") == 204)
        #expect(try status("undelivered", error: "30003") == 204)
        #expect(try Self.messageState(harness, sid: page.sid) == "delivered")
        // A forged "failed" is refused outright.
        #expect(try harness.callback(target, [("MessageSid", page.sid), ("MessageStatus", "failed")], signature: "forged").status == 403)
        #expect(try Self.messageState(harness, sid: page.sid) == "delivered")
    }

    @Test func anUndeliveredSMSMovesTheUserToTheirNextMethodAtOnce() throws {
        let harness = try TwilioAppHarness()
        // Voice only after 10 minutes, unless the SMS fails first.
        let ana = try harness.user("Ana", methods: [("sms", Self.anaSMS, 0), ("voice", Self.anaVoice, 600)])
        let key = try harness.service("SOC Tier 1", paging: [ana])
        _ = try harness.trigger(key, "Kerberoasting from WS-12")
        harness.settle()
        let page = try #require(harness.sends(to: Self.anaSMS, "Messages").first?.request)
        #expect(harness.sends(to: Self.anaVoice, "Calls").isEmpty)
        // Out of order: "undelivered" (final) before the late "sent".
        let target = String(try #require(page.value("StatusCallback")).dropFirst(TwilioAppHarness.publicURL.count))
        #expect(try harness.callback(target, [("ErrorCode", "30003"), ("MessageSid", page.sid), ("MessageStatus", "undelivered")]).status == 204)
        #expect(try harness.callback(target, [("MessageSid", page.sid), ("MessageStatus", "sent")]).status == 204)
        harness.settle()
        #expect(try Self.messageState(harness, sid: page.sid) == "failed")
        let calls = harness.sends(to: Self.anaVoice, "Calls")
        #expect(calls.count == 1, "the call is placed without waiting the rule's 10 minutes")
        #expect(harness.fake.violations == [])
    }

    @Test func aKeyPressDuringTheVoicePageAcknowledges() throws {
        let harness = try TwilioAppHarness()
        let ana = try harness.user("Ana", methods: [("voice", Self.anaVoice, 0)])
        let key = try harness.service("SOC Tier 1", paging: [ana])
        let alert = try harness.trigger(key, "Ransomware on FIN-DB-01")
        harness.settle()
        #expect(harness.fake.violations == [])
        let call = try #require(harness.sends(to: Self.anaVoice, "Calls").first?.request)
        let answerTarget = String(try #require(call.value("Url")).dropFirst(TwilioAppHarness.publicURL.count))
        let callParameters: [(name: String, value: String)] = [("AccountSid", harness.fake.accountSid), ("CallSid", call.sid), ("CallStatus", "in-progress"),
                                                               ("Direction", "outbound-api"), ("From", "+447700900500"), ("To", Self.anaVoice)]
        // The call is answered: Twilio fetches the TwiML, which reads the alert inside the menu.
        let twiml = try harness.callback(answerTarget, callParameters + [("AnsweredBy", "human")])
        #expect(twiml.status == 200)
        #expect(twiml.text.contains("<Gather input=\"dtmf\" numDigits=\"1\""))
        #expect(twiml.text.contains("Ransomware on FIN-DB-01") && twiml.text.contains("Press 1 to acknowledge, 2 to escalate, 3 to resolve."))
        let gatherURL = try #require(twiml.text.firstMatch(of: /action="([^"]+)"/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") })
        #expect(gatherURL.hasPrefix(TwilioAppHarness.callbackBase + "/voice/gather?page="))
        // A forged key press does nothing.
        let gatherTarget = String(gatherURL.dropFirst(TwilioAppHarness.publicURL.count))
        #expect(try harness.callback(gatherTarget, callParameters + [("Digits", "1")], signature: "forged").status == 403)
        #expect(try Self.alert(harness, alert)["status"] as? String == "triggered")
        // "1" acknowledges; Twilio's retry of the same Gather gets the same words and no second effect.
        let pressed = try harness.callback(gatherTarget, callParameters + [("Digits", "1")])
        #expect(pressed.text.contains("<Say language=\"en-GB\">Acknowledged. Thank you.</Say><Hangup/>"), "\(pressed.text)")
        #expect(try Self.alert(harness, alert)["status"] as? String == "acknowledged")
        #expect(try harness.callback(gatherTarget, callParameters + [("Digits", "1")]).text == pressed.text)
        // "3" afterwards resolves.
        let resolved = try harness.callback(gatherTarget, callParameters + [("Digits", "3")])
        #expect(resolved.text.contains("Resolved. Thank you."))
        #expect(try Self.alert(harness, alert)["status"] as? String == "resolved")
        // The call's status callbacks, the final one first.
        let statusTarget = String(try #require(call.value("StatusCallback")).dropFirst(TwilioAppHarness.publicURL.count))
        #expect(try harness.callback(statusTarget, [("CallSid", call.sid), ("CallStatus", "completed"), ("CallDuration", "38")]).status == 204)
        #expect(try harness.callback(statusTarget, [("CallSid", call.sid), ("CallStatus", "in-progress")]).status == 204)
        #expect(try Self.messageState(harness, sid: call.sid) == "delivered")
    }

    @Test func aCallNobodyAnswersMovesTheUserOnAndAnAnsweringMachineGetsNoMenu() throws {
        let harness = try TwilioAppHarness()
        let ana = try harness.user("Ana", methods: [("voice", Self.anaVoice, 0), ("sms", Self.anaSMS, 900)])
        let key = try harness.service("SOC Tier 1", paging: [ana])
        _ = try harness.trigger(key, "Credential dumping on DC02")
        harness.settle()
        let call = try #require(harness.sends(to: Self.anaVoice, "Calls").first?.request)
        let answerTarget = String(try #require(call.value("Url")).dropFirst(TwilioAppHarness.publicURL.count))
        let machine = try harness.callback(answerTarget, [("CallSid", call.sid), ("AnsweredBy", "machine_end_beep")])
        #expect(!machine.text.contains("<Gather") && machine.text.contains("Credential dumping on DC02") && machine.text.hasSuffix("<Hangup/></Response>"))
        let statusTarget = String(try #require(call.value("StatusCallback")).dropFirst(TwilioAppHarness.publicURL.count))
        #expect(try harness.callback(statusTarget, [("CallSid", call.sid), ("CallStatus", "no-answer")]).status == 204)
        harness.settle()
        #expect(try Self.messageState(harness, sid: call.sid) == "failed")
        #expect(harness.sends(to: Self.anaSMS, "Messages").count == 1, "the SMS goes at once")
    }

    @Test func stopAndStartDisableAndReenableTheSMSMethod() throws {
        let harness = try TwilioAppHarness()
        let ana = try harness.user("Ana", methods: [("sms", Self.anaSMS, 0)])
        let key = try harness.service("SOC Tier 1", paging: [ana])
        _ = try harness.trigger(key, "First alert")
        harness.settle()
        #expect(harness.sends(to: Self.anaSMS, "Messages").count == 1)

        let stop = try harness.callback("/providers/twilio/twilio-main/sms", Self.reply(from: Self.anaSMS, "STOP", sid: "SM00000000000000000000000000000b01"))
        #expect(stop.status == 200)
        // Twilio answers STOP itself; anything we said would not be delivered.
        #expect(stop.text == #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#)
        let disabled = try harness.database.read { try $0.queryOne("SELECT disabled_at FROM contact_methods WHERE address = ?", [.text(Self.anaSMS)])?.get("disabled_at", as: Date?.self) }
        #expect(disabled != nil)
        _ = try harness.trigger(key, "Second alert")
        harness.advance(by: 120)
        #expect(harness.sends(to: Self.anaSMS, "Messages").count == 1, "nothing is sent to a number that said STOP")

        let start = try harness.callback("/providers/twilio/twilio-main/sms", Self.reply(from: Self.anaSMS, "start", sid: "SM00000000000000000000000000000b02"))
        #expect(start.status == 200)
        _ = try harness.trigger(key, "Third alert")
        harness.advance(by: 120)
        let bodies = harness.sends(to: Self.anaSMS, "Messages").compactMap { $0.request.value("Body") }
        #expect(bodies.count == 2)
        #expect(bodies.last?.contains("Third alert") == true)
        #expect(harness.fake.violations == [])
    }
}

/// Failover between two Twilio accounts named in the gateways file.
@Suite struct TwilioFailoverTests {
    @Test func afterThreeTemporaryFailuresThePageGoesThroughTheBackupGateway() throws {
        let harness = try TwilioAppHarness(withBackup: true)
        let backup = try #require(harness.backup)
        let ana = try harness.user("Ana", methods: [("sms", TwilioEndToEndTests.anaSMS, 0)])
        let key = try harness.service("SOC Tier 1", paging: [ana])
        harness.fake.enqueue(.error(status: 429, body: #"{"code": 20429, "message": "Too Many Requests", "status": 429}"#, retryAfter: "45"),
                             .error(status: 503, body: #"{"code": 20503, "message": "Service Unavailable", "status": 503}"#, retryAfter: nil),
                             .stall(seconds: 4))
        _ = try harness.trigger(key, "Ransomware on FIN-DB-01")
        harness.settle()
        #expect(harness.fake.received.count == 1 && backup.received.isEmpty)
        // Twilio asked for 45 s (a minute or less is waited out on the same gateway): nothing is tried before.
        let next = try harness.database.read { try $0.queryOne("SELECT next_attempt_at FROM messages WHERE kind = 'alert'")?.get("next_attempt_at", as: Date.self) }
        #expect(next == harness.now.addingTimeInterval(45))
        harness.advance(by: 44)
        #expect(harness.fake.received.count == 1)
        harness.advance(by: 1)
        #expect(harness.fake.received.count == 2)
        // The 503 backs off (at most 12 s), then the stall times out and the backup takes over at once.
        harness.advance(by: 15)
        #expect(harness.fake.received.count == 3)
        #expect(backup.received.count == 1)
        #expect(harness.fake.violations == [] && backup.violations == [])
        let sent = try #require(backup.received.first)
        #expect(sent.value("StatusCallback")?.hasPrefix(TwilioAppHarness.publicURL + "/providers/twilio/twilio-backup/sms-status?page=") == true)
        let row = try #require(try harness.database.read { try $0.queryOne("SELECT state, provider FROM messages WHERE provider_message_id = ?", [.text(sent.sid)]) })
        #expect(try row.get("state") as String == "sent" && row.get("provider") as String == "twilio-backup")
        // The backup's callbacks are signed with the backup account's token, on its own routes.
        let target = String(try #require(sent.value("StatusCallback")).dropFirst(TwilioAppHarness.publicURL.count))
        let wrongAccount = TwilioSignature.compute(url: TwilioAppHarness.publicURL + target, parameters: [("MessageSid", sent.sid), ("MessageStatus", "delivered")],
                                                   authToken: harness.fake.authToken)
        #expect(try harness.callback(target, [("MessageSid", sent.sid), ("MessageStatus", "delivered")], signature: wrongAccount).status == 403)
        #expect(try harness.callback(target, [("MessageSid", sent.sid), ("MessageStatus", "delivered")]).status == 204)
        #expect(try TwilioEndToEndTests.messageState(harness, sid: sent.sid) == "delivered")
    }

    @Test func aRetryAfterOfMoreThanAMinuteGoesToTheBackupGatewayAtOnce() throws {
        let harness = try TwilioAppHarness(withBackup: true)
        let backup = try #require(harness.backup)
        let ana = try harness.user("Ana", methods: [("sms", TwilioEndToEndTests.anaSMS, 0)])
        let key = try harness.service("SOC Tier 1", paging: [ana])
        harness.fake.enqueue(.error(status: 429, body: #"{"code": 20429, "message": "Too Many Requests", "status": 429}"#, retryAfter: "120"))
        _ = try harness.trigger(key, "Ransomware on FIN-DB-01")
        harness.settle()
        #expect(harness.fake.received.count == 1)
        #expect(backup.received.count == 1, "a page does not wait two minutes while another gateway can send it")
        #expect(harness.fake.violations == [] && backup.violations == [])
    }

    @Test func anOptedOutNumberFailsAtOnceAndTheNextMethodIsUsed() throws {
        // Twilio's 21610 (the user texted STOP to our number): not retried, not failed over.
        let harness = try TwilioAppHarness(withBackup: true)
        let ana = try harness.user("Ana", methods: [("sms", TwilioEndToEndTests.anaSMS, 0), ("voice", TwilioEndToEndTests.anaVoice, 600)])
        let key = try harness.service("SOC Tier 1", paging: [ana])
        harness.fake.enqueue(.error(status: 400, body: #"{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}"#, retryAfter: nil))
        _ = try harness.trigger(key, "Ransomware on FIN-DB-01")
        harness.settle()
        #expect(harness.fake.received.filter { $0.value("To") == TwilioEndToEndTests.anaSMS }.count == 1)
        #expect(harness.backup?.received.isEmpty == true)
        let failed = try harness.database.read { try $0.queryOne("SELECT state, last_error FROM messages WHERE kind = 'alert' AND state = 'failed'") }
        let error: String = try #require(failed).get("last_error")
        #expect(error.contains("21610") && error.contains("START"))
        #expect(harness.sends(to: TwilioEndToEndTests.anaVoice, "Calls").count == 1, "the call goes at once")
    }
}
