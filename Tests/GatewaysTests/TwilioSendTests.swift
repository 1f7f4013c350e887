import FakeGateways
import Foundation
@testable import Gateways
import Logging
import OutboundHTTP
import Testing

/// Sends through the gateway to the fake Twilio on loopback, which checks each request against
/// the contract; and how each answer maps to the outbox's retry decisions.
@Suite struct TwilioSendTests {
    static let publicURL = "https://pager.example.eu"
    static let callbackBase = publicURL + "/providers/twilio/twilio-main"

    static func gateway(_ fake: TwilioFakeServer, _ extra: String = #""from": "+447700900500""#, token: String? = nil) throws -> TwilioGateway {
        let settings = #"{"name": "twilio-main", "kind": "twilio", "accountSid": "\#(fake.accountSid)", "authToken": "\#(token ?? fake.authToken)", "baseURL": "\#(fake.baseURL)", "requestTimeout": 2, \#(extra)}"#
        let context = GatewayContext(publicURL: publicURL + "/", http: HTTPClient(), logger: Logger(label: "twilio") { _ in SwiftLogNoOpLogHandler() },
                                     now: { Date(timeIntervalSince1970: 1_800_000_000) })
        return try TwilioGateway(name: "twilio-main", settings: Data(settings.utf8), context: context)
    }

    static func message(_ type: ContactMethodType, id: String = "msg-1", text: String = "[P1] db-primary-eu1 disk 97% full. Reply 1a to ack") -> OutgoingMessage {
        OutgoingMessage(id: id, kind: .alert, type: type, address: "+447700900123", userId: "u1", contactMethodId: "cm1", alertIds: ["1"],
                        subject: "db-primary-eu1 disk", text: text, ackLinks: ["https://pager.example.eu/a/tok"])
    }

    @Test func anSMSFollowsTheContract() throws {
        let fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        defer { fake.stop() }
        let text = "[P1] db–primary & 100% full? Reply 1a"
        let result = try Self.gateway(fake).send(Self.message(.sms, id: "msg/7 x", text: text))
        #expect(fake.violations == [])
        guard case .accepted(let sid?) = result else { Issue.record("got \(result)"); return }
        #expect(sid.hasPrefix("SM") && sid.count == 34)
        let request = try #require(fake.received.first)
        #expect(request.resource == "Messages")
        // The fixture's order of fields, then the validity period.
        #expect(request.fields.map(\.name) == ["To", "From", "Body", "StatusCallback", "ValidityPeriod"])
        #expect(request.value("To") == "+447700900123")
        #expect(request.value("From") == "+447700900500")
        #expect(request.value("Body") == text)
        #expect(request.value("StatusCallback") == "https://pager.example.eu/providers/twilio/twilio-main/sms-status?page=msg%2F7%20x")
        #expect(request.value("ValidityPeriod") == "600")
        #expect(request.rawBody.hasPrefix("To=%2B447700900123&From=%2B447700900500&Body="))
    }

    @Test func theFixtureRequestShapesAreWhatWeSend() throws {
        // message_create_request.form and call_create_request.form: same fields, same order.
        let fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        defer { fake.stop() }
        let gateway = try Self.gateway(fake)
        _ = gateway.send(Self.message(.sms))
        _ = gateway.send(Self.message(.voice))
        #expect(fake.violations == [])
        let fixtureSMS = TwilioFakeServer.Contract.decodeForm(TwilioFixtures.bytes("message_create_request.form")) ?? []
        let fixtureCall = TwilioFakeServer.Contract.decodeForm(TwilioFixtures.bytes("call_create_request.form")) ?? []
        let received = fake.received
        #expect(received.count == 2)
        #expect(Array(received[0].fields.map(\.name).prefix(fixtureSMS.count)) == fixtureSMS.map(\.name))
        #expect(received[1].fields.map(\.name) == fixtureCall.map(\.name))
        #expect(received[1].values("StatusCallbackEvent") == fixtureCall.filter { $0.name == "StatusCallbackEvent" }.map(\.value))
    }

    @Test func aCallFollowsTheContract() throws {
        let fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        defer { fake.stop() }
        let result = try Self.gateway(fake, #""from": "+447700900500", "callTimeout": 45"#).send(Self.message(.voice, id: "m-42"))
        #expect(fake.violations == [])
        guard case .accepted(let sid?) = result else { Issue.record("got \(result)"); return }
        #expect(sid.hasPrefix("CA"))
        let request = try #require(fake.received.first)
        #expect(request.resource == "Calls")
        #expect(request.value("Url") == "https://pager.example.eu/providers/twilio/twilio-main/voice/answer?page=m-42&attempt=1")
        #expect(request.value("StatusCallback") == "https://pager.example.eu/providers/twilio/twilio-main/voice/status?page=m-42")
        #expect(request.values("StatusCallbackEvent") == ["initiated", "answered", "completed"])
        #expect(request.value("Timeout") == "45")
        #expect(request.value("MachineDetection") == "Enable")
        #expect(request.rawBody.contains("&StatusCallbackEvent=initiated&StatusCallbackEvent=answered&StatusCallbackEvent=completed&"))
    }

    @Test func aMessagingServiceAndOptionsAreSent() throws {
        let fake = try TwilioFakeServer(callbackBase: "https://hooks.example.eu/twilio")
        defer { fake.stop() }
        let gateway = try Self.gateway(fake, #""messagingServiceSid": "MG0123456789abcdef0123456789abcdef", "validityPeriod": 300, "machineDetection": false, "callbackURL": "https://hooks.example.eu/twilio/""#)
        #expect(gateway.supports(.sms) && !gateway.supports(.voice) && !gateway.supports(.email) && !gateway.supports(.webhook))
        guard case .accepted = gateway.send(Self.message(.sms)) else { Issue.record("not accepted"); return }
        #expect(fake.violations == [])
        let request = try #require(fake.received.first)
        #expect(request.value("From") == nil)
        #expect(request.value("MessagingServiceSid") == "MG0123456789abcdef0123456789abcdef")
        #expect(request.value("ValidityPeriod") == "300")
        #expect(request.value("StatusCallback") == "https://hooks.example.eu/twilio/sms-status?page=msg-1")
        // No caller id: a call cannot be placed, and nothing is sent.
        guard case .permanentFailure(let reason) = gateway.send(Self.message(.voice)) else { Issue.record("voice was not refused"); return }
        #expect(reason.contains("from"))
        guard case .permanentFailure = gateway.send(Self.message(.email)) else { Issue.record("email was not refused"); return }
        #expect(fake.received.count == 1)
    }

    @Test func voiceWithoutMachineDetectionLeavesItOut() throws {
        let fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        defer { fake.stop() }
        _ = try Self.gateway(fake, #""from": "+447700900500", "machineDetection": false"#).send(Self.message(.voice))
        #expect(fake.violations == [])
        #expect(fake.received.first?.value("MachineDetection") == nil)
    }

    @Test func badNumbersAndOptOutsArePermanent() throws {
        let fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        defer { fake.stop() }
        let gateway = try Self.gateway(fake)
        fake.enqueue(.error(status: 400, body: TwilioFixtures.text("message_create_error_400_21211.json"), retryAfter: nil),
                     .error(status: 400, body: #"{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}"#, retryAfter: nil),
                     .error(status: 400, body: #"{"code": 21408, "message": "Permission to send an SMS has not been enabled for the region", "status": 400}"#, retryAfter: nil),
                     .error(status: 400, body: #"{"code": 21217, "message": "Phone number does not appear to be valid", "status": 400}"#, retryAfter: nil),
                     .error(status: 404, body: "not json", retryAfter: nil))
        let results = (0..<5).map { _ in gateway.send(Self.message(.sms)) }
        #expect(fake.violations == [])
        let reasons = results.compactMap { result -> String? in
            if case .permanentFailure(let reason) = result { return reason }
            // Region permissions are the account's: the next gateway of the route may send it.
            if case .gatewayFailure(let reason) = result { return reason }
            return nil
        }
        #expect(reasons.count == 5)
        guard case .gatewayFailure = results[2] else { Issue.record("21408 is the account's problem: \(results[2])"); return }
        #expect(reasons[0].contains("21211") && reasons[0].contains("not a valid phone number"))
        #expect(reasons[1].contains("21610") && reasons[1].contains("START"))
        #expect(reasons[2].contains("21408") && reasons[2].hasPrefix("configuration error"))
        #expect(reasons[3].contains("21217"))
        #expect(reasons[4].contains("HTTP 404"))
    }

    @Test func wrongCredentialsAreAGatewayConfigurationError() throws {
        let fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        defer { fake.stop() }
        let result = try Self.gateway(fake, token: "not-the-token").send(Self.message(.sms))
        #expect(fake.unauthorizedCount == 1)
        #expect(fake.received.isEmpty)
        guard case .gatewayFailure(let reason) = result else { Issue.record("got \(result)"); return }
        #expect(reason.hasPrefix("configuration error") && reason.contains("20003") && reason.contains("authToken"))
        #expect(!reason.contains("not-the-token"))
    }

    @Test func throttlingAndServerErrorsAreTemporaryWithRetryAfter() throws {
        let fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        defer { fake.stop() }
        let gateway = try Self.gateway(fake)
        fake.enqueue(.error(status: 429, body: #"{"code": 20429, "message": "Too Many Requests", "status": 429}"#, retryAfter: "7"),
                     .error(status: 500, body: #"{"code": 20500, "message": "Internal Server Error", "status": 500}"#, retryAfter: nil),
                     .error(status: 503, body: "Service Unavailable", retryAfter: "Fri, 15 Jan 2027 08:00:30 GMT"),
                     .error(status: 400, body: #"{"code": 21611, "message": "This 'From' number has exceeded the maximum number of queued messages", "status": 400}"#, retryAfter: nil))
        let results = (0..<4).map { _ in gateway.send(Self.message(.sms)) }
        #expect(fake.violations == [])
        guard case .temporaryFailure(let throttled, let after) = results[0] else { Issue.record("got \(results[0])"); return }
        #expect(after == 7 && throttled.contains("20429"))
        guard case .temporaryFailure(_, nil) = results[1] else { Issue.record("got \(results[1])"); return }
        // An HTTP date, counted from the injected clock (1_800_000_000 = 2027-01-15T08:00:00Z).
        guard case .temporaryFailure(_, 30) = results[2] else { Issue.record("got \(results[2])"); return }
        guard case .temporaryFailure(let busy, _) = results[3] else { Issue.record("got \(results[3])"); return }
        #expect(busy.contains("21611"))
        // Once the script is used up the fake accepts again: the retry goes through.
        guard case .accepted = gateway.send(Self.message(.sms)) else { Issue.record("retry not accepted"); return }
        #expect(fake.received.count == 5)
    }

    @Test func aStalledTwilioIsATemporaryTimeout() throws {
        let fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        defer { fake.stop() }
        fake.enqueue(.stall(seconds: 4))
        let result = try Self.gateway(fake).send(Self.message(.voice))
        guard case .temporaryFailure(let reason, nil) = result else { Issue.record("got \(result)"); return }
        #expect(reason.contains("timed out"))
    }

    @Test func anUnreachableTwilioIsTemporary() throws {
        let fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        let gateway = try Self.gateway(fake)
        fake.stop()
        guard case .temporaryFailure(let reason, nil) = gateway.send(Self.message(.sms)) else { Issue.record("not temporary"); return }
        #expect(reason.contains("connection failed"))
    }

    @Test func settingsAreCheckedWhenLoaded() throws {
        let context = GatewayContext(publicURL: "https://pager.example.eu", http: HTTPClient(), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() },
                                     now: { Date() })
        func load(_ json: String) throws -> TwilioGateway {
            try TwilioGateway(name: "t", settings: Data(json.utf8), context: context)
        }
        let gateway = try load(#"{"name": "t", "kind": "twilio", "accountSid": "AC1", "authToken": "tok", "from": "+15005550006", "baseURL": "https://api.twilio.com/"}"#)
        #expect(gateway.settings.baseURL == "https://api.twilio.com")
        #expect(gateway.settings.validityPeriod == 600 && gateway.settings.callTimeout == 30 && gateway.settings.machineDetection)
        #expect(gateway.callbackBase == "https://pager.example.eu/providers/twilio/t")
        #expect(GatewayKinds.named("twilio").map { ObjectIdentifier($0) } == ObjectIdentifier(TwilioGateway.self))
        // The token never prints.
        #expect(!"\(gateway.settings.authToken)".contains("tok"))
        let base = #""name": "t", "kind": "twilio", "accountSid": "AC1""#
        for bad in [#""authToken": "tok", "from": "+15005550006", "validityPeriod": 0"#,
                    #""authToken": "tok", "from": "+15005550006", "validityPeriod": 36001"#,
                    #""authToken": "tok", "from": "+15005550006", "callTimeout": 601"#,
                    #""authToken": "tok", "from": "+15005550006", "baseURL": "ftp://x""#,
                    #""authToken": "tok", "messagingServiceSid": "XX1""#,
                    #""authToken": "tok", "from": """#,
                    #""authToken": "env:WATCHKEEPER_TEST_UNSET_TWILIO", "from": "+15005550006""#,
                    #""from": "+15005550006""#,
                    #""authToken": "tok", "from": "+15005550006", "messagingServiceSID": "MG1""#] {
            #expect(throws: (any Error).self, "\(bad)") { try load("{\(base), \(bad)}") }
        }
        #expect(throws: (any Error).self) {
            try load(#"{"name": "t", "kind": "twilio", "accountSid": "SK1", "authToken": "tok", "from": "+15005550006"}"#)
        }
    }
}
