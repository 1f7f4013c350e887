import Foundation
@testable import Gateways
import HTTPServer
import Logging
import OutboundHTTP
import Storage
import Testing
@testable import WatchkeeperApp

/// A fake Vonage for the whole-application test: `POST /sms/json` and `POST /v1/calls`, checked
/// against the contract's required fields and credentials (the JWT's RS256 signature is verified
/// in GatewaysTests' VonageSendTests), answering 500 to every SMS when `failing`.
private final class VonageEndToEndFake: @unchecked Sendable {
    struct Received {
        var path: String
        var fields: [String: String]
        var json: [String: Any]
    }

    let apiKey: String
    let apiSecret: String
    let failing: Bool
    private let condition = NSCondition()
    private var received: [Received] = []
    private var violationList: [String] = []
    private var server: HTTPServer!

    init(apiKey: String, apiSecret: String, failing: Bool) throws {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        self.failing = failing
        var router = Router()
        router.post("/sms/json") { [unowned self] request, _ in self.sms(request) }
        router.post("/v1/calls") { [unowned self] request, _ in self.call(request) }
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.shutdownGracePeriod = .seconds(1)
        server = HTTPServer(configuration: configuration, responder: router, logger: Logger(label: "fake") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
    }

    var base: String { "http://127.0.0.1:\(server.localPort)" }
    func stop() { server.shutdown() }

    var requests: [Received] {
        condition.lock()
        defer { condition.unlock() }
        return received
    }

    var violations: [String] {
        condition.lock()
        defer { condition.unlock() }
        return violationList
    }

    /// Waits (a safety net, not an assertion) until `count` requests arrived.
    func waitForRequests(_ count: Int) -> [Received] {
        let deadline = Date().addingTimeInterval(10)
        condition.lock()
        defer { condition.unlock() }
        while received.count < count, condition.wait(until: deadline) {}
        return received
    }

    private func record(_ entry: Received, _ problems: [String]) {
        condition.lock()
        received.append(entry)
        violationList += problems
        condition.broadcast()
        condition.unlock()
    }

    private func sms(_ request: HTTPRequest) -> HTTPResponse {
        var fields: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            fields[PercentEncoding.decode(parts[0], plusAsSpace: true) ?? ""] = PercentEncoding.decode(parts.count > 1 ? parts[1] : "", plusAsSpace: true)
        }
        var problems: [String] = []
        if fields["api_key"] != apiKey || fields["api_secret"] != apiSecret { problems.append("SMS credentials") }
        for name in ["from", "to", "text", "type", "client-ref"] where (fields[name] ?? "").isEmpty { problems.append("SMS \(name) missing") }
        if fields["to"]?.hasPrefix("+") ?? true { problems.append("SMS to must be digits without +") }
        record(Received(path: request.path, fields: fields, json: [:]), problems)
        if !problems.isEmpty { return HTTPResponse(status: .badRequest) }
        if failing { return HTTPResponse(status: .internalServerError, contentType: "application/json", body: Array(#"{"title":"down"}"#.utf8)) }
        let answer = #"{"message-count":"1","messages":[{"to":"\#(fields["to"] ?? "")","message-id":"SMS-\#(requests.count)","status":"0"}]}"#
        return HTTPResponse(status: .ok, contentType: "application/json", body: Array(answer.utf8))
    }

    private func call(_ request: HTTPRequest) -> HTTPResponse {
        let json = (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]) ?? [:]
        var problems: [String] = []
        if !(request.headers["Authorization"]?.hasPrefix("Bearer ey") ?? false) { problems.append("call without an application JWT") }
        for name in ["to", "from", "ncco", "event_url"] where json[name] == nil { problems.append("call \(name) missing") }
        record(Received(path: request.path, fields: [:], json: json), problems)
        if !problems.isEmpty || failing { return HTTPResponse(status: problems.isEmpty ? .internalServerError : .badRequest) }
        let answer = #"{"uuid":"call-uuid-1","status":"started","direction":"outbound","conversation_uuid":"CON-1"}"#
        return HTTPResponse(status: .created, contentType: "application/json", body: Array(answer.utf8))
    }
}

/// The real application with a gateways file naming two Vonage gateways: SMS fails over from a
/// gateway answering 500 to a healthy one, a signed "1a" acknowledges, and a "3" pressed during
/// a voice page resolves.
@Suite struct VonageEndToEndTests {
    static let signatureSecret = "e2e-signature-secret"

    /// HMAC-SHA256 by the openssl CLI (this target does not link Cryptography).
    static func openssl(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(output)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Vonage's voice webhook token: HS256 over `body` with the signature secret.
    static func webhookJWT(body: [UInt8], now: Date) throws -> String {
        let hash = try openssl(["dgst", "-sha256", "-binary"], input: body).map { String(format: "%02x", $0) }.joined()
        let claims = #"{"iat":\#(Int(now.timeIntervalSince1970)),"jti":"\#(UUID().uuidString)","payload_hash":"\#(hash)","api_key":"3f9a1c7e"}"#
        let input = base64URL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + base64URL(Array(claims.utf8))
        let signature = try openssl(["dgst", "-sha256", "-hmac", signatureSecret, "-binary"], input: Array(input.utf8))
        return input + "." + base64URL(signature)
    }

    @Test func failoverReplyCodeAndKeyPressThroughTheRealApplication() async throws {
        let failing = try VonageEndToEndFake(apiKey: "key-a", apiSecret: "secret-a", failing: true)
        let healthy = try VonageEndToEndFake(apiKey: "3f9a1c7e", apiSecret: "secret-b", failing: false)
        defer { failing.stop(); healthy.stop() }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wk-vonage-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("vonage.key").path
        _ = try Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyPath], input: [])
        let gatewaysFile: [String: Any] = [
            "gateways": [
                ["name": "vonage-a", "kind": "vonage", "apiKey": "key-a", "apiSecret": "secret-a", "signatureSecret": "other-secret",
                 "from": "447700900500", "smsBaseURL": failing.base, "voiceBaseURL": failing.base],
                ["name": "vonage-b", "kind": "vonage", "apiKey": "3f9a1c7e", "apiSecret": "secret-b", "signatureSecret": Self.signatureSecret,
                 "applicationId": "app-e2e", "privateKey": "file:\(keyPath)", "from": "+447700900500",
                 "smsBaseURL": healthy.base, "voiceBaseURL": healthy.base],
            ],
            "routes": ["sms": ["vonage-a", "vonage-b"], "voice": ["vonage-b"]],
        ]
        let gatewaysPath = directory.appendingPathComponent("gateways.json").path
        try JSONSerialization.data(withJSONObject: gatewaysFile).write(to: URL(fileURLWithPath: gatewaysPath))

        let time = ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000))
        var configuration = Configuration()
        configuration.listenPort = 0
        configuration.databasePath = directory.appendingPathComponent("test.db").path
        configuration.publicDirectory = TestServer.packageRoot.appendingPathComponent("Public").path
        configuration.publicURL = "https://pager.example.eu"
        configuration.gatewaysPath = gatewaysPath
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let application = try Application(configuration: configuration, logger: logger, time: time)
        try application.start()
        defer { application.shutdown() }
        let base = "http://127.0.0.1:\(application.port)"
        let client = HTTPClient()

        // A user with a verified SMS and a verified voice method, and two alerts on a service.
        let admin = try application.keys.create(name: "admin", role: .admin).secret
        func api(_ method: String, _ path: String, _ json: [String: Any]? = nil, token: String? = admin) throws -> [String: Any] {
            var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
            if let token { headers.append(("Authorization", "Bearer \(token)")) }
            let response = try client.send(HTTPClientRequest(method: method, url: base + path, headers: headers,
                                                             body: json.map { Array(try! JSONSerialization.data(withJSONObject: $0)) } ?? []))
            return (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
        }
        let userId = try #require(try api("POST", "/api/v1/users", ["name": "Ana", "email": "ana@example.com", "timeZone": "Europe/London",
                                                                    "role": "responder"])["id"] as? String)
        let now = time.now()
        try application.database.write { db in
            for (id, type, address) in [("cm_sms", "sms", "+447700900123"), ("cm_voice", "voice", "+447700900124")] {
                try db.run("""
                    INSERT INTO contact_methods (id, user_id, type, name, address, verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(id), .text(userId), .text(type), .text(type), .text(address), SQLValue(now), SQLValue(now), SQLValue(now)])
            }
        }
        let serviceId = try #require(try api("POST", "/api/v1/services", ["name": "SOC"])["id"] as? String)
        let secret = try #require(try api("POST", "/api/v1/services/\(serviceId)/integration-keys", ["name": "src", "format": "generic"])["secret"] as? String)
        var created: [String] = []
        for summary in ["disk full on db-1", "ransomware on FIN-DB-01"] {
            created.append(try #require(try api("POST", "/api/v1/integrations/\(secret)/events", ["summary": summary, "dedup_key": summary], token: nil)["alertId"] as? String))
        }
        let alerts = created
        func status(_ alertId: String) throws -> String {
            try application.database.read { try $0.queryOne("SELECT status FROM alerts WHERE id = ?", [.text(alertId)])?.get("status") ?? "" }
        }
        func settle() {
            for _ in 0..<4 {
                application.engine.runNow()
                #expect(application.outbox.waitUntilIdle(timeout: 10))
            }
        }

        // 1. The SMS page: vonage-a answers 500 three times, then vonage-b takes it.
        let smsPage = try application.database.write { db in
            try OutboxQueue.enqueue(OutboxQueue.NewMessage(alertId: alerts[0], serviceId: serviceId, userId: userId, contactMethodId: "cm_sms",
                                                           kind: .alert, subject: "disk full on db-1", body: "disk full on db-1"), at: now, db: db)
        }
        for _ in 0..<6 {
            settle()
            time.advance(by: 60)
        }
        settle()
        #expect(failing.requests.count == 3)
        let delivered = healthy.requests.filter { $0.path == "/sms/json" }
        try #require(delivered.count == 1)
        #expect(delivered[0].fields["to"] == "447700900123")
        #expect(delivered[0].fields["client-ref"] == smsPage)
        #expect(delivered[0].fields["callback"] == "https://pager.example.eu/providers/vonage/vonage-b/dlr")
        #expect(delivered[0].fields["text"]?.contains("Reply 1a ack") == true)
        let row = try #require(try application.database.read { try $0.queryOne("SELECT state, provider, provider_message_id FROM messages WHERE id = ?", [.text(smsPage)]) })
        #expect(try row.get("state") as String == "sent")
        #expect(try row.get("provider") as String? == "vonage-b")
        #expect(try row.get("provider_message_id") as String? == "SMS-1")

        // 2. A signed "1a" from the engineer's phone acknowledges alert 1; the answer goes back by SMS.
        var inbound = ["msisdn": "447700900123", "to": "447700900500", "messageId": "IN-1", "text": "1a", "type": "text", "keyword": "1A",
                       "api-key": "3f9a1c7e", "message-timestamp": "2026-11-19 10:13:20", "timestamp": String(Int(time.now().timeIntervalSince1970)),
                       "nonce": UUID().uuidString]
        inbound["sig"] = VonageSMSSignature(secret: Self.signatureSecret, method: .sha256).signature(of: inbound).uppercased()
        var forged = inbound
        forged["text"] = "1c"
        let refused = try client.send(HTTPClientRequest(method: "POST", url: base + "/providers/vonage/vonage-b/sms",
                                                        headers: [("Content-Type", "application/json")],
                                                        body: Array(try JSONSerialization.data(withJSONObject: forged))))
        #expect(refused.status == 403)
        #expect(try status(alerts[0]) == "triggered")
        let accepted = try client.send(HTTPClientRequest(method: "POST", url: base + "/providers/vonage/vonage-b/sms",
                                                         headers: [("Content-Type", "application/json")],
                                                         body: Array(try JSONSerialization.data(withJSONObject: inbound))))
        #expect(accepted.status == 200)
        #expect(try status(alerts[0]) == "acknowledged")
        let reply = try #require(healthy.waitForRequests(2).last)
        #expect(reply.fields["to"] == "447700900123" && reply.fields["from"] == "447700900500")
        #expect(reply.fields["text"]?.hasPrefix("Acknowledged") == true, "\(reply.fields["text"] ?? "")")
        // Vonage retrying the same webhook: answered 200 again, no second effect.
        let replayed = try client.send(HTTPClientRequest(method: "POST", url: base + "/providers/vonage/vonage-b/sms",
                                                         headers: [("Content-Type", "application/json")],
                                                         body: Array(try JSONSerialization.data(withJSONObject: inbound))))
        #expect(replayed.status == 200)
        #expect(try status(alerts[0]) == "acknowledged")

        // The delivery receipt for the page (GET flavour) marks it delivered.
        var receipt = ["msisdn": "447700900123", "to": "447700900500", "messageId": "SMS-1", "status": "delivered", "err-code": "0",
                       "client-ref": smsPage, "api-key": "3f9a1c7e", "timestamp": String(Int(time.now().timeIntervalSince1970)), "nonce": "n-1"]
        receipt["sig"] = VonageSMSSignature(secret: Self.signatureSecret, method: .sha256).signature(of: receipt)
        let query = receipt.map { "\(PercentEncoding.encode($0.key))=\(PercentEncoding.encode($0.value))" }.joined(separator: "&")
        #expect(try client.send(HTTPClientRequest(url: base + "/providers/vonage/vonage-b/dlr?" + query)).status == 200)
        #expect(try application.database.read { try $0.queryOne("SELECT state FROM messages WHERE id = ?", [.text(smsPage)])?.get("state") as String? } == "delivered")

        // 3. A voice page for alert 2 through vonage-b; the callee presses 3 and the alert is resolved.
        let voicePage = try application.database.write { db in
            try OutboxQueue.enqueue(OutboxQueue.NewMessage(alertId: alerts[1], serviceId: serviceId, userId: userId, contactMethodId: "cm_voice",
                                                           kind: .alert, subject: "ransomware on FIN-DB-01", body: "ransomware on FIN-DB-01"), at: time.now(), db: db)
        }
        settle()
        let call = try #require(healthy.requests.first { $0.path == "/v1/calls" })
        let ncco = try #require(call.json["ncco"] as? [[String: Any]])
        #expect((ncco.first?["text"] as? String)?.contains("ransomware on FIN-DB-01") == true)
        let inputURL = try #require((ncco.last?["eventUrl"] as? [String])?.first)
        #expect(inputURL == "https://pager.example.eu/providers/vonage/vonage-b/input/\(voicePage)")
        let keyBody = Array(#"{"dtmf":{"digits":"3","timed_out":false},"uuid":"call-uuid-1","conversation_uuid":"CON-1","from":"447700900500","to":"447700900124"}"#.utf8)
        let pressed = try client.send(HTTPClientRequest(method: "POST", url: base + "/providers/vonage/vonage-b/input/\(voicePage)",
                                                        headers: [("Content-Type", "application/json"),
                                                                  ("Authorization", "Bearer \(try Self.webhookJWT(body: keyBody, now: time.now()))")],
                                                        body: keyBody))
        #expect(pressed.status == 200)
        #expect(pressed.text.contains("Resolved. Goodbye."), "\(pressed.text)")
        #expect(try status(alerts[1]) == "resolved")
        #expect(failing.violations.isEmpty && healthy.violations.isEmpty, "\(failing.violations) \(healthy.violations)")
    }
}
