import Cryptography
import Foundation
import Storage

/// The secret tokens of calendar feeds: one per schedule or user, ≥ 256 random bits, stored only
/// as SHA-256. Issuing a token for a subject that has one replaces it, so the old URL stops working.
struct CalendarFeedTokens: Sendable {
    enum Subject: String, Sendable {
        case schedule
        case user

        var table: String { self == .schedule ? "schedules" : "users" }
    }

    static let prefix = "wkcal_"

    let database: Database
    let time: any TimeSource

    /// A new token for the subject, replacing any earlier one; nil when the subject does not exist.
    func issue(_ subject: Subject, id: String) throws -> (token: String, createdAt: Date)? {
        let token = Self.prefix + SecureRandom.token(bytes: 32)
        let hash = Digest.sha256(Array(token.utf8))
        let createdAt = time.now()
        let issued = try database.write { db -> Bool in
            // Checked in the write job, so a subject deleted concurrently cannot get a token.
            guard try db.queryOne("SELECT 1 FROM \(subject.table) WHERE id = ?", [.text(id)]) != nil else { return false }
            try db.run("""
                INSERT INTO calendar_feeds (subject_kind, subject_id, token_hash, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (subject_kind, subject_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at
                """, [.text(subject.rawValue), .text(id), .blob(hash), SQLValue(createdAt)])
            return true
        }
        return issued ? (token, createdAt) : nil
    }

    /// Removes the subject's token; false when it had none.
    func revoke(_ subject: Subject, id: String) throws -> Bool {
        try database.write { db in
            try db.run("DELETE FROM calendar_feeds WHERE subject_kind = ? AND subject_id = ?", [.text(subject.rawValue), .text(id)]) > 0
        }
    }

    /// True when `token` is the subject's current token.
    func verify(_ subject: Subject, id: String, token: String) throws -> Bool {
        guard token.hasPrefix(Self.prefix), token.utf8.count < 200 else { return false }
        let stored = try database.read { db in
            try db.queryOne("SELECT token_hash FROM calendar_feeds WHERE subject_kind = ? AND subject_id = ?",
                            [.text(subject.rawValue), .text(id)]).map { try $0.get("token_hash", as: [UInt8].self) }
        }
        guard let stored else { return false }
        return constantTimeEquals(stored, Digest.sha256(Array(token.utf8)))
    }
}
