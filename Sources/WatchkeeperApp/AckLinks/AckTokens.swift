import Cryptography
import Foundation
import Storage

/// Ack-link tokens: 144 random bits, shown once in a message, stored as their SHA-256, bound to
/// one alert and one user. A token works until its alert has been resolved for `validityAfterResolve`.
enum AckTokens {
    static let tokenBytes = 18
    static let validityAfterResolve: TimeInterval = 24 * 3600

    /// A new token for (alert, user), stored hashed in the caller's write job; returns the secret.
    static func issue(alertId: String, userId: String, at: Date, db: Connection) throws -> String {
        let token = SecureRandom.token(bytes: tokenBytes)
        try db.run("INSERT INTO ack_tokens (token_hash, alert_id, user_id, created_at) VALUES (?, ?, ?, ?)",
                   [.blob(Digest.sha256(Array(token.utf8))), .text(alertId), .text(userId), SQLValue(at)])
        return token
    }

    /// `{public URL}/a/{token}`.
    static func link(publicURL: String, token: String) -> String {
        (publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL) + "/a/" + token
    }

    /// Whether `token` could be one of ours (1–128 base64url characters). Anything else is
    /// answered as unknown without touching the database.
    static func isWellFormed(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.count <= 128 && token.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    /// A token stops working `validityAfterResolve` after its alert was resolved; never before.
    static func isExpired(resolvedAt: Date?, now: Date) -> Bool {
        guard let resolvedAt else { return false }
        return now >= resolvedAt.addingTimeInterval(validityAfterResolve)
    }

    /// The alert and user a token names, whatever their state; nil when unknown.
    static func lookup(token: String, db: Connection) throws -> (alertId: String, userId: String)? {
        guard isWellFormed(token) else { return nil }
        guard let row = try db.queryOne("SELECT alert_id, user_id FROM ack_tokens WHERE token_hash = ?",
                                        [.blob(Digest.sha256(Array(token.utf8)))]) else { return nil }
        return (try row.get("alert_id"), try row.get("user_id"))
    }
}
