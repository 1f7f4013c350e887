import Cryptography
import Foundation
import Storage

/// An API key as the API shows it: never the secret, which exists only at creation.
public struct APIKey: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var role: Role
    /// The first characters of the secret, so an admin can tell keys apart.
    public var prefix: String
    public var createdAt: Date
    public var revokedAt: Date?
}

/// Creates, finds and revokes API keys. Only the SHA-256 of a secret is stored: a key has 256
/// random bits, so a fast hash is enough (no password-style stretching is needed).
public struct APIKeyStore: Sendable {
    public static let secretPrefix = "wk_"
    static let maximumNameLength = 100

    let database: Database
    let time: any TimeSource

    public init(database: Database, time: any TimeSource) {
        self.database = database
        self.time = time
    }

    /// Stores a new key and returns it with its secret, which is not kept anywhere.
    public func create(name: String, role: Role) throws -> (key: APIKey, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= Self.maximumNameLength else {
            throw APIKeyError.invalidName("name must be 1 to \(Self.maximumNameLength) characters")
        }
        let secret = Self.secretPrefix + SecureRandom.token(bytes: 32)
        let prefix = String(secret.prefix(Self.secretPrefix.count + 6))
        let hash = Digest.sha256(Array(secret.utf8))
        let createdAt = time.now()
        let id = try database.write { db in
            try db.run(
                "INSERT INTO api_keys (name, role, key_prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                [.text(trimmed), .text(role.rawValue), .text(prefix), .blob(hash), SQLValue(createdAt)]
            )
            return db.lastInsertRowID
        }
        return (APIKey(id: id, name: trimmed, role: role, prefix: prefix, createdAt: createdAt, revokedAt: nil), secret)
    }

    /// The live key whose secret this is, or nil.
    public func authenticate(secret: String) throws -> APIKey? {
        guard secret.hasPrefix(Self.secretPrefix), secret.utf8.count < 200 else { return nil }
        let hash = Digest.sha256(Array(secret.utf8))
        // The lookup is by hash, so comparing secrets in constant time is not needed: an attacker
        // learns nothing about a stored hash from the timing of an index seek on another hash.
        return try database.read { db in
            try db.queryOne(Self.selectColumns + " WHERE key_hash = ? AND revoked_at IS NULL", [.blob(hash)]).map(Self.decode)
        }
    }

    public func list() throws -> [APIKey] {
        try database.read { db in try db.query(Self.selectColumns + " ORDER BY id").map(Self.decode) }
    }

    public func find(id: Int64) throws -> APIKey? {
        try database.read { db in try db.queryOne(Self.selectColumns + " WHERE id = ?", [.integer(id)]).map(Self.decode) }
    }

    /// Revokes the key; false when there is no such key. Revoking twice keeps the first instant.
    public func revoke(id: Int64) throws -> Bool {
        let now = time.now()
        return try database.write { db in
            guard try db.queryOne("SELECT id FROM api_keys WHERE id = ?", [.integer(id)]) != nil else { return false }
            try db.run("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [SQLValue(now), .integer(id)])
            return true
        }
    }

    private static let selectColumns = "SELECT id, name, role, key_prefix, created_at, revoked_at FROM api_keys"

    private static func decode(_ row: Row) throws -> APIKey {
        let roleText: String = try row.get("role")
        guard let role = Role(rawValue: roleText) else { throw APIKeyError.corrupt("unknown role \(roleText)") }
        return APIKey(
            id: try row.get("id"), name: try row.get("name"), role: role, prefix: try row.get("key_prefix"),
            createdAt: try row.get("created_at"), revokedAt: try row.get("revoked_at")
        )
    }
}

public enum APIKeyError: Error, CustomStringConvertible {
    case invalidName(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .invalidName(let message): message
        case .corrupt(let message): "stored API key is corrupt: \(message)"
        }
    }
}
