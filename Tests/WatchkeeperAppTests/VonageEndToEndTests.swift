import Cryptography
import FakeGateways
import Foundation
@testable import Gateways
import HTTPServer
import Logging
import OutboundHTTP
import Storage
import Testing
@testable import WatchkeeperApp

/// The real application with a gateways file naming two Vonage gateways: SMS fails over from a
/// gateway answering 500 to a healthy one, a signed "1a" acknowledges, and a "3" pressed during
/// a voice page resolves.
@Suite struct VonageEndToEndTests {
    static let signatureSecret = "e2e-signature-secret"

    /// The openssl CLI (RSA key generation is not in Cryptography).
    static func openssl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }

    /// Vonage's voice webhook token: HS256 over `body` with the signature secret.
    static func webhookJWT(body: [UInt8], now: Date) -> String {
        let hash = Hex.encode(Digest.sha256(body))
        let claims = #"{"iat":\#(Int(now.timeIntervalSince1970)),"jti":"\#(UUID().uuidString)","payload_hash":"\#(hash)","api_key":"3f9a1c7e"}"#
        let input = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        return input + "." + Base64URL.encode(HMAC.sha256(key: Array(signatureSecret.utf8), message: Array(input.utf8)))
    }

    @Test func failoverReplyCodeAndKeyPressThroughTheRealApplication() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wk-vonage-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("vonage.key").path
        _ = try Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyPath])
        let publicKey = try RSAPublicKey(pem: try Self.openssl(["pkey", "-in", keyPath, "-pubout"]))
        let callbacks = "https://pager.example.eu/providers/vonage"
        let failing = try VonageFakeServer(apiKey: "key-a", apiSecret: "secret-a", applicationId: "", publicKey: nil, callbackBase: callbacks + "/vonage-a")
        failing.enqueue(.http(500, retryAfter: nil), .http(500, retryAfter: nil), .http(500, retryAfter: nil))
        let healthy = try VonageFakeServer(apiKey: "3f9a1c7e", apiSecret: "secret-b", applicationId: "app-e2e", publicKey: publicKey,
                                           callbackBase: callbacks + "/vonage-b")
        defer { failing.stop(); healthy.stop() }
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
        #expect(delivered[0].form["to"] == "447700900123")
        #expect(delivered[0].form["client-ref"] == smsPage)
        #expect(delivered[0].form["callback"] == "https://pager.example.eu/providers/vonage/vonage-b/dlr")
        #expect(delivered[0].form["text"]?.contains("Reply 1a ack") == true)
        let row = try #require(try application.database.read { try $0.queryOne("SELECT state, provider, provider_message_id FROM messages WHERE id = ?", [.text(smsPage)]) })
        #expect(try row.get("state") as String == "sent")
        #expect(try row.get("provider") as String? == "vonage-b")
        #expect(try row.get("provider_message_id") as String? == "1C00000A3F8E0001")

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
        #expect(reply.form["to"] == "447700900123" && reply.form["from"] == "447700900500")
        #expect(reply.form["text"]?.hasPrefix("Acknowledged") == true, "\(reply.form["text"] ?? "")")
        // Vonage retrying the same webhook: answered 200 again, no second effect.
        let replayed = try client.send(HTTPClientRequest(method: "POST", url: base + "/providers/vonage/vonage-b/sms",
                                                         headers: [("Content-Type", "application/json")],
                                                         body: Array(try JSONSerialization.data(withJSONObject: inbound))))
        #expect(replayed.status == 200)
        #expect(try status(alerts[0]) == "acknowledged")

        // The delivery receipt for the page (GET flavour) marks it delivered.
        var receipt = ["msisdn": "447700900123", "to": "447700900500", "messageId": "1C00000A3F8E0001", "status": "delivered", "err-code": "0",
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
        let callBody = try #require(try JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any])
        let ncco = try #require(callBody["ncco"] as? [[String: Any]])
        #expect((ncco.first?["text"] as? String)?.contains("ransomware on FIN-DB-01") == true)
        let inputURL = try #require((ncco.last?["eventUrl"] as? [String])?.first)
        #expect(inputURL == "https://pager.example.eu/providers/vonage/vonage-b/input/\(voicePage)")
        let callId = try #require(try application.database.read {
            try $0.queryOne("SELECT provider_message_id FROM messages WHERE id = ?", [.text(voicePage)])?.get("provider_message_id") as String?
        })
        let keyBody = Array(#"{"dtmf":{"digits":"3","timed_out":false},"uuid":"\#(callId)","conversation_uuid":"CON-\#(callId)","from":"447700900500","to":"447700900124"}"#.utf8)
        let pressed = try client.send(HTTPClientRequest(method: "POST", url: base + "/providers/vonage/vonage-b/input/\(voicePage)",
                                                        headers: [("Content-Type", "application/json"),
                                                                  ("Authorization", "Bearer \(Self.webhookJWT(body: keyBody, now: time.now()))")],
                                                        body: keyBody))
        #expect(pressed.status == 200)
        #expect(pressed.text.contains("Resolved. Goodbye."), "\(pressed.text)")
        #expect(try status(alerts[1]) == "resolved")
        #expect(failing.violations.isEmpty && healthy.violations.isEmpty, "\(failing.violations) \(healthy.violations)")
    }
}
