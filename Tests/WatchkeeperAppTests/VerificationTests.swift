import Cryptography
import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct VerificationTests {
    @Test func codeIsQueuedHashedAndVerifies() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let id = try await api.method(ana)
        let path = "\(NotificationAPIClient.methods(ana))/\(id)"
        let sent = try await api.send("POST", "\(path)/send-verification", token: api.responder)
        #expect(sent.status == 202, "\(sent.text)")
        #expect(sent.object["contactMethodId"] as? String == id)
        #expect(sent.object["expiresAt"] as? String == "2026-11-18T11:16:40Z")
        #expect(sent.object["resendAt"] as? String == "2026-11-18T11:07:40Z")
        let messageId = try #require(sent.object["messageId"] as? String)

        // The message went through the outbox; once sent, its stored body no longer holds the code.
        let message = try #require(try api.server.application.database.read { db in
            try db.queryOne("SELECT user_id, kind, subject, body, state FROM messages WHERE id = ?", [.text(messageId)])
        })
        #expect(try message.get("user_id", as: String.self) == ana)
        #expect(try message.get("kind", as: String.self) == "verification")
        #expect(try message.get("subject", as: String.self) == "Verify your contact method")
        let code = try #require(try api.queuedCode(id))
        let sentBody = try api.server.application.database.read { db in
            try db.queryOne("SELECT body FROM messages WHERE id = ?", [.text(messageId)])?.get("body", as: String.self)
        }
        #expect(sentBody == "(verification code sent)")
        #expect(code.count == 6 && code.allSatisfy(\.isNumber))
        let stored = try #require(try api.server.application.database.read { db in
            try db.queryOne("SELECT code_hash, attempts FROM contact_method_verifications WHERE contact_method_id = ?", [.text(id)])
        })
        #expect(try stored.get("code_hash", as: [UInt8].self) == Digest.sha256(Array(code.utf8)))
        #expect(try stored.get("attempts", as: Int64.self) == 0)
        #expect(!sent.text.contains(code))

        api.server.time.advance(by: 30)
        let verified = try await api.send("POST", "\(path)/verify", ["code": code], token: api.responder)
        #expect(verified.status == 200, "\(verified.text)")
        #expect(verified.object["verified"] as? Bool == true)
        #expect(verified.object["verifiedAt"] as? String == "2026-11-18T11:07:10Z")
        #expect(try api.count("contact_method_verifications") == 0)
        #expect(try await api.send("GET", path).object["verified"] as? Bool == true)

        // A verified method needs no code; it can now get a test message.
        #expect(try await api.send("POST", "\(path)/send-verification").status == 409)
        #expect(try await api.send("POST", "\(path)/verify", ["code": code]).status == 409)
    }

    @Test func wrongCodesUseUpFiveAttempts() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let id = try await api.method(ana)
        let path = "\(NotificationAPIClient.methods(ana))/\(id)"
        #expect(try await api.send("POST", "\(path)/send-verification").status == 202)
        let code = try #require(try api.queuedCode(id))
        let wrong = code == "000000" ? "111111" : "000000"
        for attempt in 1...5 {
            let reply = try await api.send("POST", "\(path)/verify", ["code": wrong])
            #expect(reply.status == 400 && NotificationAPIClient.fields(reply) == ["code"], "attempt \(attempt): \(reply.text)")
            let attempts = try api.server.application.database.read { db in
                try db.queryOne("SELECT attempts FROM contact_method_verifications WHERE contact_method_id = ?", [.text(id)])?.get("attempts", as: Int64.self)
            }
            #expect(attempts == Int64(attempt))
        }
        // The right code no longer works: it is dead after five wrong ones.
        let dead = try await api.send("POST", "\(path)/verify", ["code": code])
        #expect(dead.status == 400 && NotificationAPIClient.fields(dead) == ["code"])
        #expect((dead.object["detail"] as? String)?.contains("send-verification") == true)
        #expect(try await api.send("GET", path).object["verified"] as? Bool == false)

        // A new code (after the resend interval) starts over.
        api.server.time.advance(by: 60)
        #expect(try await api.send("POST", "\(path)/send-verification").status == 202)
        let fresh = try #require(try api.queuedCode(id))
        #expect(try await api.send("POST", "\(path)/verify", ["code": fresh]).status == 200)
    }

    @Test func expiredCodeIsDead() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let id = try await api.method(ana, type: "email", address: "ana@example.com")
        let path = "\(NotificationAPIClient.methods(ana))/\(id)"
        #expect(try await api.send("POST", "\(path)/send-verification").status == 202)
        let code = try #require(try api.queuedCode(id))
        api.server.time.advance(by: 600)
        let expired = try await api.send("POST", "\(path)/verify", ["code": code])
        #expect(expired.status == 400 && NotificationAPIClient.fields(expired) == ["code"])
        #expect((expired.object["detail"] as? String)?.contains("expired") == true)
        #expect(try await api.send("GET", path).object["verified"] as? Bool == false)
    }

    @Test func resendWithinAMinuteIs429() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let id = try await api.method(ana)
        let path = "\(NotificationAPIClient.methods(ana))/\(id)"
        #expect(try await api.send("POST", "\(path)/send-verification").status == 202)
        let first = try #require(try api.queuedCode(id))
        api.server.time.advance(by: 20)
        let early = try await api.send("POST", "\(path)/send-verification")
        #expect(early.status == 429)
        #expect(early.header("Retry-After") == "40")
        #expect(early.header("Content-Type") == "application/problem+json")
        #expect(try api.count("messages") == 1)

        api.server.time.advance(by: 40)
        #expect(try await api.send("POST", "\(path)/send-verification").status == 202)
        #expect(try api.count("messages") == 2)
        // Only the newest code works (unless the two happen to be equal).
        let second = try #require(try api.queuedCode(id))
        if first != second {
            #expect(try await api.send("POST", "\(path)/verify", ["code": first]).status == 400)
        }
        #expect(try await api.send("POST", "\(path)/verify", ["code": second]).status == 200)
    }

    @Test func malformedCodesAndMissingCodes() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let id = try await api.method(ana)
        let path = "\(NotificationAPIClient.methods(ana))/\(id)"
        let none = try await api.send("POST", "\(path)/verify", ["code": "123456"])
        #expect(none.status == 400 && NotificationAPIClient.fields(none) == ["code"], "no code was ever sent")
        #expect(try await api.send("POST", "\(path)/send-verification").status == 202)
        for body: [String: Any] in [["code": 123456], ["code": "12345"], ["code": "12345a"], [:]] {
            let reply = try await api.send("POST", "\(path)/verify", body)
            #expect(reply.status == 400 && NotificationAPIClient.fields(reply) == ["code"], "\(body): \(reply.text)")
        }
        let extra = try await api.send("POST", "\(path)/verify", ["code": "123456", "pin": "1"])
        #expect(extra.status == 400 && NotificationAPIClient.fields(extra) == ["pin"])
        // Malformed codes were refused before the check: no attempt was used.
        let attempts = try api.server.application.database.read { db in
            try db.queryOne("SELECT attempts FROM contact_method_verifications WHERE contact_method_id = ?", [.text(id)])?.get("attempts", as: Int64.self)
        }
        #expect(attempts == 0)
        #expect(try await api.send("POST", "\(NotificationAPIClient.methods(ana))/cm_missing/send-verification").status == 404)
        #expect(try await api.send("POST", "\(NotificationAPIClient.methods(ana))/cm_missing/verify", ["code": "123456"]).status == 404)
    }

    @Test func testMessageNeedsAVerifiedEnabledMethod() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let id = try await api.method(ana, type: "webhook", address: "https://hooks.example.com/wk")
        let path = "\(NotificationAPIClient.methods(ana))/\(id)"
        let unverified = try await api.send("POST", "\(path)/test")
        #expect(unverified.status == 409)
        try await api.verify(ana, id)
        let queued = try await api.send("POST", "\(path)/test", token: api.responder)
        #expect(queued.status == 202, "\(queued.text)")
        let messageId = try #require(queued.object["messageId"] as? String)
        let message = try #require(try api.server.application.database.read { db in
            try db.queryOne("SELECT kind, body, contact_method_id FROM messages WHERE id = ?", [.text(messageId)])
        })
        #expect(try message.get("kind", as: String.self) == "test")
        #expect(try message.get("body", as: String.self) == "This is a test message from Watchkeeper")
        #expect(try message.get("contact_method_id", as: String.self) == id)

        // A recipient who answered STOP gets no test message and no code.
        _ = try api.server.application.database.write { db in
            try db.run("UPDATE contact_methods SET disabled_at = 1 WHERE id = ?", [.text(id)])
        }
        let read = try await api.send("GET", path)
        #expect(read.object["disabled"] as? Bool == true)
        #expect(try await api.send("POST", "\(path)/test").status == 409)
    }

    @Test func codesAreSixUniformDigits() {
        var seen = Set<String>()
        var firstDigits = [Int](repeating: 0, count: 10)
        for _ in 0..<2000 {
            let code = VerificationCode.generate()
            #expect(code.count == 6 && code.allSatisfy { $0.isASCII && $0.isNumber })
            seen.insert(code)
            firstDigits[Int(String(code.first!))!] += 1
        }
        #expect(seen.count > 1990)
        // Each leading digit, zero included, is about a tenth of the codes (zero-padding works).
        #expect(firstDigits.allSatisfy { $0 > 120 && $0 < 300 }, "\(firstDigits)")
    }
}
