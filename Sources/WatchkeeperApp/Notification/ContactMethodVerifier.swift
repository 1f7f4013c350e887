import Foundation
import HTTPServer
import Storage

/// Sends verification codes and test messages through the outbox, and checks codes. A message
/// is queued in the same write job as the row that explains it, so both commit or neither does;
/// the caller wakes the engine after the commit.
struct ContactMethodVerifier: Sendable {
    static let codeLifetime: TimeInterval = 10 * 60
    static let resendInterval: TimeInterval = 60
    static let maximumAttempts = 5
    static let verificationSubject = "Verify your contact method"
    static let testSubject = "Watchkeeper test message"
    static let testBody = "This is a test message from Watchkeeper"

    /// The answer to send-verification: when the code dies and when another may be asked for.
    struct Sent: Encodable, Sendable {
        var contactMethodId: String
        var messageId: String
        var expiresAt: Date
        var resendAt: Date
    }

    /// The answer to a test: the queued message.
    struct Queued: Encodable, Sendable {
        var contactMethodId: String
        var messageId: String
    }

    /// What a verify attempt found. Returned, not thrown, so a wrong code's counted attempt
    /// commits (a throw would roll the job back and give unlimited guesses).
    private enum Outcome: Sendable {
        case verified(ContactMethod)
        case wrong(attemptsLeft: Int)
        case dead(String)
    }

    let database: Database
    let time: any TimeSource

    /// Replaces any pending code with a new one and queues it. 429 within `resendInterval` of the
    /// last code, so the endpoint cannot be used to flood someone's phone.
    func sendVerification(_ id: String, userId: String) throws -> Sent {
        let now = time.now()
        let code = VerificationCode.generate()
        return try database.write { db in
            let method = try UserScope.contactMethod(id, userId: userId, db: db)
            try Self.refuseIfUnreachable(method, verb: "verify")
            if method.verified {
                throw HTTPError(.conflict, detail: "contact method \(id) is already verified; changing its address asks for a new verification")
            }
            if let row = try db.queryOne("SELECT sent_at FROM contact_method_verifications WHERE contact_method_id = ?", [.text(id)]) {
                let resendAt = try row.get("sent_at", as: Date.self) + Self.resendInterval
                if now < resendAt {
                    let seconds = Int(resendAt.timeIntervalSince(now).rounded(.up))
                    throw HTTPError(.tooManyRequests, detail: "a code was sent less than \(Int(Self.resendInterval)) seconds ago; try again in \(seconds) s",
                                    headers: ["Retry-After": String(seconds)])
                }
            }
            let expiresAt = now + Self.codeLifetime
            try db.run("""
                INSERT INTO contact_method_verifications (contact_method_id, code_hash, expires_at, attempts, sent_at) VALUES (?, ?, ?, 0, ?)
                ON CONFLICT (contact_method_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at,
                                                             attempts = 0, sent_at = excluded.sent_at
                """, [.text(id), .blob(VerificationCode.hash(code)), SQLValue(expiresAt), SQLValue(now)])
            let messageId = try OutboxQueue.enqueue(.init(userId: userId, contactMethodId: id, kind: .verification, subject: Self.verificationSubject,
                                                          body: "Watchkeeper verification code: \(code)"), at: now, db: db)
            return Sent(contactMethodId: id, messageId: messageId, expiresAt: expiresAt, resendAt: now + Self.resendInterval)
        }
    }

    /// Checks `code`: the method is verified and the code forgotten when it matches; a wrong code
    /// uses up one of `maximumAttempts`; an expired or used-up code is refused without a check.
    func verify(_ id: String, userId: String, code: String) throws -> ContactMethod {
        let now = time.now()
        let outcome = try database.write { db -> Outcome in
            let method = try UserScope.contactMethod(id, userId: userId, db: db)
            guard let row = try db.queryOne("SELECT code_hash, expires_at, attempts FROM contact_method_verifications WHERE contact_method_id = ?",
                                            [.text(id)]) else {
                if method.verified { throw HTTPError(.conflict, detail: "contact method \(id) is already verified") }
                return .dead("no code is pending for this contact method; ask for one with send-verification")
            }
            let attempts = Int(try row.get("attempts", as: Int64.self))
            if attempts >= Self.maximumAttempts {
                return .dead("this code was entered wrongly \(Self.maximumAttempts) times and no longer works; ask for a new one with send-verification")
            }
            if now >= (try row.get("expires_at", as: Date.self)) {
                return .dead("this code has expired; ask for a new one with send-verification")
            }
            guard VerificationCode.matches(code, hash: try row.get("code_hash")) else {
                try db.run("UPDATE contact_method_verifications SET attempts = attempts + 1 WHERE contact_method_id = ?", [.text(id)])
                return .wrong(attemptsLeft: Self.maximumAttempts - attempts - 1)
            }
            try db.run("DELETE FROM contact_method_verifications WHERE contact_method_id = ?", [.text(id)])
            try db.run("UPDATE contact_methods SET verified_at = ?, updated_at = ? WHERE id = ?", [SQLValue(now), SQLValue(now), .text(id)])
            var verified = method
            (verified.verifiedAt, verified.updatedAt) = (now, now)
            return .verified(verified)
        }
        switch outcome {
        case .verified(let method):
            return method
        case .wrong(let left):
            let detail = left > 0 ? "wrong code; \(left) attempt\(left == 1 ? "" : "s") left"
                                  : "wrong code; that was the last attempt, ask for a new code with send-verification"
            throw HTTPError.invalid("code", detail)
        case .dead(let detail):
            throw HTTPError.invalid("code", detail)
        }
    }

    /// Queues a test message, which only a verified, enabled method may get.
    func sendTest(_ id: String, userId: String) throws -> Queued {
        let now = time.now()
        return try database.write { db in
            let method = try UserScope.contactMethod(id, userId: userId, db: db)
            try Self.refuseIfUnreachable(method, verb: "test")
            guard method.verified else {
                throw HTTPError(.conflict, detail: "contact method \(id) is not verified; verify it before sending a test message")
            }
            let messageId = try OutboxQueue.enqueue(.init(userId: userId, contactMethodId: id, kind: .test, subject: Self.testSubject,
                                                          body: Self.testBody), at: now, db: db)
            return Queued(contactMethodId: id, messageId: messageId)
        }
    }

    /// A recipient who answered STOP gets nothing more, not even a code, until the address changes.
    private static func refuseIfUnreachable(_ method: ContactMethod, verb: String) throws {
        if method.disabled {
            throw HTTPError(.conflict, detail: "contact method \(method.id) is disabled (its recipient opted out); cannot \(verb) it")
        }
    }
}
