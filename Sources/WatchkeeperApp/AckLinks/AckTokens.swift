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

    /// The alert and user a token names, whatever their state; nil when unknown.
    static func lookup(token: String, db: Connection) throws -> (alertId: String, userId: String)? {
        guard !token.isEmpty, token.utf8.count <= 128 else { return nil }
        guard let row = try db.queryOne("SELECT alert_id, user_id FROM ack_tokens WHERE token_hash = ?",
                                        [.blob(Digest.sha256(Array(token.utf8)))]) else { return nil }
        return (try row.get("alert_id"), try row.get("user_id"))
    }
}
