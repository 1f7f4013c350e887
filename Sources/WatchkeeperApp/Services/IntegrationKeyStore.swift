import Cryptography
import Foundation
import HTTPServer
import Storage

/// Creates, lists, finds and revokes integration keys. Like API keys, only the SHA-256 of the
/// secret is stored: 192 random bits need no password-style stretching.
struct IntegrationKeyStore: Sendable {
    static let secretPrefix = "wki_"
    static let maximumNameLength = 100

    /// The live key a secret names, with what ingest needs of its service.
    struct Resolved: Sendable {
        var key: IntegrationKey
        var service: Service
    }

    let database: Database
    let time: any TimeSource

    /// Stores a new key; the secret is returned here and kept nowhere.
    func create(serviceId: String, name: String, format: IntegrationFormat) throws -> (key: IntegrationKey, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= Self.maximumNameLength else {
            throw HTTPError.invalid("name", "must be 1 to \(Self.maximumNameLength) characters")
        }
        let secret = Self.secretPrefix + SecureRandom.token(bytes: 24)
        let key = IntegrationKey(id: "ik_" + SecureRandom.token(bytes: 12), serviceId: serviceId, name: trimmed, format: format,
                                 prefix: String(secret.prefix(Self.secretPrefix.count + 6)), createdAt: time.now(), revokedAt: nil)
        let hash = Digest.sha256(Array(secret.utf8))
        try database.write { db in
            try Self.requireService(serviceId, db)
            try db.run("INSERT INTO integration_keys (id, service_id, name, format, key_prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [.text(key.id), .text(serviceId), .text(key.name), .text(format.rawValue), .text(key.prefix), .blob(hash), SQLValue(key.createdAt)])
        }
        return (key, secret)
    }

    /// Every key of the service, revoked ones included, by id.
    func list(serviceId: String) throws -> [IntegrationKey] {
        try database.read { db in
            try Self.requireService(serviceId, db)
            return try db.query(Self.selectColumns + " WHERE service_id = ? ORDER BY id", [.text(serviceId)]).map(Self.decode)
        }
    }

    /// Revokes the key; revoking twice keeps the first instant. 404 when the service has no such key.
    func revoke(serviceId: String, keyId: String) throws {
        let now = time.now()
        try database.write { db in
            try Self.requireService(serviceId, db)
            guard try db.queryOne("SELECT 1 FROM integration_keys WHERE id = ? AND service_id = ?", [.text(keyId), .text(serviceId)]) != nil else {
                throw HTTPError(.notFound, detail: "service \(serviceId) has no integration key \(keyId)")
            }
            try db.run("UPDATE integration_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [SQLValue(now), .text(keyId)])
        }
    }

    /// The live key whose secret this is, read inside `db` (the ingest write job), or nil.
    static func resolve(secret: String, db: Connection) throws -> Resolved? {
        guard secret.hasPrefix(secretPrefix), secret.utf8.count < 200 else { return nil }
        // The lookup is by hash, so the secret is never compared byte by byte (no timing leak).
        guard let row = try db.queryOne(selectColumns + " WHERE key_hash = ? AND revoked_at IS NULL", [.blob(Digest.sha256(Array(secret.utf8)))]) else { return nil }
        let key = try decode(row)
        guard let serviceRow = try ServiceResource().table.fetch(id: key.serviceId, parentId: nil, db: db) else { return nil }
        do {
            return Resolved(key: key, service: try decodedServices.decode(serviceRow.body))
        } catch {
            throw StoredBodyError(id: serviceRow.id, underlying: "\(error)")
        }
    }

    /// Every event resolves its key and service; see `DecodedBodyCache`.
    private static let decodedServices = DecodedBodyCache<Service>()

    private static func requireService(_ id: String, _ db: Connection) throws {
        guard try db.queryOne("SELECT 1 FROM services WHERE id = ?", [.text(id)]) != nil else {
            throw HTTPError(.notFound, detail: "no service \(id)")
        }
    }

    private static let selectColumns = "SELECT id, service_id, name, format, key_prefix, created_at, revoked_at FROM integration_keys"

    private static func decode(_ row: Row) throws -> IntegrationKey {
        let formatText: String = try row.get("format")
        guard let format = IntegrationFormat(rawValue: formatText) else { throw StoredDataError("integration key with unknown format \(formatText)") }
        return IntegrationKey(id: try row.get("id"), serviceId: try row.get("service_id"), name: try row.get("name"), format: format,
                              prefix: try row.get("key_prefix"), createdAt: try row.get("created_at"), revokedAt: try row.get("revoked_at"))
    }
}
