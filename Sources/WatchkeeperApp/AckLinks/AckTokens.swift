import Cryptography
import Foundation
import Storage

/// Ack-link tokens: 6 characters of creation time then 128 random bits (28 characters), shown
/// once in a message, bound to one alert and one user. Stored as the time characters followed by
/// the token's SHA-256: the time keeps each commit's new tokens on a few pages of the index
/// instead of one random page each, and the hash keeps the secret out of the database. A token
/// works until its alert has been resolved for `validityAfterResolve`.
enum AckTokens {
    static let randomBytes = 16
    static let timeCharacters = 6
    static let validityAfterResolve: TimeInterval = 24 * 3600

    /// A new token for (alert, user), stored hashed in the caller's write job; returns the secret.
    static func issue(alertId: String, userId: String, at: Date, db: Connection) throws -> String {
        let token = SortableID.timeCharacters(at, count: timeCharacters) + SecureRandom.token(bytes: randomBytes)
        try db.run("INSERT INTO ack_tokens (token_hash, alert_id, user_id, created_at) VALUES (?, ?, ?, ?)",
                   [.blob(storedKey(token)), .text(alertId), .text(userId), SQLValue(at)])
        return token
    }

    private static func storedKey(_ token: String) -> [UInt8] {
        Array(token.utf8.prefix(timeCharacters)) + Digest.sha256(Array(token.utf8))
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
                                        [.blob(storedKey(token))]) else { return nil }
        return (try row.get("alert_id"), try row.get("user_id"))
    }
}
