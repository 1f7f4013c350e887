import Cryptography
import Foundation
import HTTPServer
import Logging
import OutboundHTTP
import Sentinel
import Storage

/// Sentinel connections: stored with the client secret sealed under the server's secret key, and
/// turned into ready `SentinelClient`s (secret unsealed in memory only) sharing one token cache,
/// so every connection of a tenant reuses that tenant's token.
public final class ConnectionStore: Sendable {
    let database: Database
    let time: any TimeSource
    let secretKey: ConnectionSecretKey?
    let logger: Logger
    public let http: HTTPClient
    public let tokens: TokenCache

    public init(database: Database, time: any TimeSource, secretKey: ConnectionSecretKey?, logger: Logger, http: HTTPClient = HTTPClient()) {
        self.database = database
        self.time = time
        self.secretKey = secretKey
        self.logger = logger
        self.http = http
        self.tokens = TokenCache(http: http)
    }

    static let noKey = "no secret key is configured: set WATCHKEEPER_SECRET_KEY to base64 of 32 random bytes (openssl rand -base64 32) or --secret-key-file to a file holding it, then restart"

    func create(_ input: ConnectionInput) throws -> SentinelConnection {
        try input.requireAll()
        try input.validate()
        guard let secretKey else { throw HTTPError(.conflict, detail: Self.noKey) }
        let id = "cn_" + SecureRandom.token(bytes: 12)
        let now = time.now()
        let sealed = try Self.seal(input.clientSecret!, id: id, key: secretKey)
        let connection = SentinelConnection(
            id: id, customer: input.customer!.trimmingCharacters(in: .whitespaces), tenantId: input.tenantId!, clientId: input.clientId!,
            subscriptionId: input.subscriptionId!, resourceGroup: input.resourceGroup!, workspaceName: input.workspaceName!,
            workspaceId: input.workspaceId!, authorityURL: ConnectionInput.trimmedURL(input.authorityURL ?? "https://login.microsoftonline.com"),
            armURL: ConnectionInput.trimmedURL(input.armURL ?? "https://management.azure.com"),
            integrationKeyId: input.integrationKeyId.flatMap { $0.isEmpty ? nil : $0 }, createdAt: now, updatedAt: now)
        try database.write { db in
            try Self.requireFreeWorkspace(connection, db)
            try ConnectionInput.checkIntegrationKey(connection.integrationKeyId, db: db)
            try db.run("""
                INSERT INTO connections (id, customer, tenant_id, client_id, client_secret_sealed, subscription_id, resource_group, workspace_name,
                                         workspace_id, authority_url, arm_url, integration_key_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(id), .text(connection.customer), .text(connection.tenantId), .text(connection.clientId), .blob(sealed),
                      .text(connection.subscriptionId), .text(connection.resourceGroup), .text(connection.workspaceName), .text(connection.workspaceId),
                      .text(connection.authorityURL), .text(connection.armURL), connection.integrationKeyId.map { .text($0) } ?? .null,
                      SQLValue(now), SQLValue(now)])
        }
        logger.info("Sentinel connection \(id) created for \(connection.customer), workspace \(connection.workspaceName) in tenant \(connection.tenantId)")
        return connection
    }

    public func list() throws -> [SentinelConnection] {
        try database.read { db in try db.query(Self.selectColumns + " ORDER BY customer, id").map(Self.decode) }
    }

    public func get(_ id: String) throws -> SentinelConnection {
        try database.read { db in
            guard let row = try db.queryOne(Self.selectColumns + " WHERE id = ?", [.text(id)]) else { throw Self.notFound(id) }
            return try Self.decode(row)
        }
    }

    /// Changes the fields given; a new secret is sealed again (which needs the key).
    func update(_ id: String, _ input: ConnectionInput) throws -> SentinelConnection {
        try input.validate()
        let sealed: [UInt8]?
        if let secret = input.clientSecret {
            guard let secretKey else { throw HTTPError(.conflict, detail: Self.noKey) }
            sealed = try Self.seal(secret, id: id, key: secretKey)
        } else {
            sealed = nil
        }
        let now = time.now()
        let updated = try database.write { db -> SentinelConnection in
            guard let row = try db.queryOne(Self.selectColumns + " WHERE id = ?", [.text(id)]) else { throw Self.notFound(id) }
            var connection = try Self.decode(row)
            if let value = input.customer { connection.customer = value.trimmingCharacters(in: .whitespaces) }
            if let value = input.tenantId { connection.tenantId = value }
            if let value = input.clientId { connection.clientId = value }
            if let value = input.subscriptionId { connection.subscriptionId = value }
            if let value = input.resourceGroup { connection.resourceGroup = value }
            if let value = input.workspaceName { connection.workspaceName = value }
            if let value = input.workspaceId { connection.workspaceId = value }
            if let value = input.authorityURL { connection.authorityURL = ConnectionInput.trimmedURL(value) }
            if let value = input.armURL { connection.armURL = ConnectionInput.trimmedURL(value) }
            if let value = input.integrationKeyId { connection.integrationKeyId = value.isEmpty ? nil : value }
            connection.updatedAt = now
            try Self.requireFreeWorkspace(connection, db)
            try ConnectionInput.checkIntegrationKey(input.integrationKeyId, db: db)
            try db.run("""
                UPDATE connections SET customer = ?, tenant_id = ?, client_id = ?, subscription_id = ?, resource_group = ?, workspace_name = ?,
                    workspace_id = ?, authority_url = ?, arm_url = ?, integration_key_id = ?, updated_at = ?,
                    client_secret_sealed = coalesce(?, client_secret_sealed)
                WHERE id = ?
                """, [.text(connection.customer), .text(connection.tenantId), .text(connection.clientId), .text(connection.subscriptionId),
                      .text(connection.resourceGroup), .text(connection.workspaceName), .text(connection.workspaceId), .text(connection.authorityURL),
                      .text(connection.armURL), connection.integrationKeyId.map { .text($0) } ?? .null, SQLValue(now), sealed.map { .blob($0) } ?? .null,
                      .text(id)])
            return connection
        }
        logger.info("Sentinel connection \(id) updated\(sealed == nil ? "" : " (new client secret)")")
        return updated
    }

    func delete(_ id: String) throws {
        try database.write { db in
            guard try db.run("DELETE FROM connections WHERE id = ?", [.text(id)]) > 0 else { throw Self.notFound(id) }
        }
        logger.info("Sentinel connection \(id) deleted")
    }

    /// Every connection's id, oldest first (what the poller iterates).
    public func connectionIds() throws -> [String] {
        try database.read { db in try db.query("SELECT id FROM connections ORDER BY created_at, id").map { try $0.get("id") as String } }
    }

    // MARK: The poller's bookkeeping (shown by the status route)

    /// A poll that read every page: its end time and the cursor the next one starts from. Call it
    /// inside the write job that applies the page chain, so cursor and changes commit together.
    public static func recordPoll(_ id: String, cursor: String?, at time: Date, db: Storage.Connection) throws {
        try db.run("UPDATE connections SET last_poll_at = ?, poll_cursor = coalesce(?, poll_cursor) WHERE id = ?",
                   [SQLValue(time), cursor.map { .text($0) } ?? .null, .text(id)])
    }

    /// Where the next poll starts: the cursor the last complete poll recorded; nil: never polled
    /// (or no such connection).
    public static func pollCursor(_ id: String, db: Storage.Connection) throws -> Date? {
        try db.queryOne("SELECT poll_cursor FROM connections WHERE id = ?", [.text(id)])?.get("poll_cursor", as: String?.self).flatMap(RFC3339.parse)
    }

    /// A failed poll or write (the message must not hold secrets; AzureError's never do).
    public static func recordError(_ id: String, _ message: String, at time: Date, db: Storage.Connection) throws {
        try db.run("UPDATE connections SET last_error = ?, last_error_at = ? WHERE id = ?", [.text(String(message.prefix(1000))), SQLValue(time), .text(id)])
    }

    /// A 429: Azure asked us to wait until `until`.
    public static func recordThrottled(_ id: String, until: Date, db: Storage.Connection) throws {
        try db.run("UPDATE connections SET throttled_until = ?, throttle_count = throttle_count + 1 WHERE id = ?", [SQLValue(until), .text(id)])
    }

    public func status(_ id: String) throws -> ConnectionStatus {
        try database.read { db in
            guard let row = try db.queryOne("""
                SELECT id, last_poll_at, poll_cursor, last_error, last_error_at, throttled_until, throttle_count FROM connections WHERE id = ?
                """, [.text(id)]) else { throw Self.notFound(id) }
            return ConnectionStatus(id: try row.get("id"), lastPollAt: try row.get("last_poll_at"), pollCursor: try row.get("poll_cursor"),
                                    lastError: try row.get("last_error"), lastErrorAt: try row.get("last_error_at"),
                                    throttledUntil: try row.get("throttled_until"), throttleCount: try row.get("throttle_count"))
        }
    }

    /// The ARM client for a connection, with its secret unsealed; throws `ConnectionUnavailable`
    /// when there is no such connection, no key, or the key is not the one it was sealed with.
    public func client(for id: String, timeout: TimeInterval = 30) throws -> SentinelClient {
        let (connection, sealed) = try database.read { db -> (SentinelConnection, [UInt8]) in
            guard let row = try db.queryOne("SELECT \(Self.columnList), client_secret_sealed FROM connections WHERE id = ?", [.text(id)]) else {
                throw ConnectionUnavailable(id: id, reason: "no such connection")
            }
            return (try Self.decode(row), try row.get("client_secret_sealed"))
        }
        guard let secretKey else { throw ConnectionUnavailable(id: id, reason: Self.noKey) }
        let secret: String
        do {
            secret = String(decoding: try AESGCM.open(sealed, key: secretKey.key, associatedData: Array(id.utf8)), as: UTF8.self)
        } catch {
            throw ConnectionUnavailable(id: id, reason: "its client secret does not open with the configured secret key (was the key changed?); set the secret again")
        }
        return SentinelClient(workspace: ARMWorkspace(armURL: connection.armURL, subscriptionId: connection.subscriptionId,
                                                      resourceGroup: connection.resourceGroup, workspaceName: connection.workspaceName),
                              credentials: ClientCredentials(authorityURL: connection.authorityURL, tenantId: connection.tenantId,
                                                             clientId: connection.clientId, clientSecret: secret, armURL: connection.armURL),
                              tokens: tokens, http: http, timeout: timeout, now: { [time] in time.now() })
    }

    /// The connection whose workspace this is (as the playbook names it), for tying webhook
    /// incidents to a connection; names compared case-insensitively, like ARM.
    public func connection(subscriptionId: String, resourceGroup: String, workspaceName: String) throws -> SentinelConnection? {
        try database.read { db in
            try db.queryOne(Self.selectColumns + " WHERE lower(subscription_id) = lower(?) AND lower(resource_group) = lower(?) AND lower(workspace_name) = lower(?)",
                            [.text(subscriptionId), .text(resourceGroup), .text(workspaceName)]).map(Self.decode)
        }
    }

    private static func seal(_ secret: String, id: String, key: ConnectionSecretKey) throws -> [UInt8] {
        // The id as associated data: a sealed secret copied into another row does not open there.
        try AESGCM.seal(Array(secret.utf8), key: key.key, associatedData: Array(id.utf8))
    }

    private static func requireFreeWorkspace(_ connection: SentinelConnection, _ db: Storage.Connection) throws {
        if let other = try db.queryOne("""
            SELECT id FROM connections WHERE lower(subscription_id) = lower(?) AND lower(resource_group) = lower(?) AND lower(workspace_name) = lower(?) AND id <> ?
            """, [.text(connection.subscriptionId), .text(connection.resourceGroup), .text(connection.workspaceName), .text(connection.id)]) {
            let otherId: String = try other.get("id")
            throw HTTPError(.conflict, detail: "connection \(otherId) already serves workspace \(connection.workspaceName) in resource group \(connection.resourceGroup)")
        }
    }

    private static func notFound(_ id: String) -> HTTPError { HTTPError(.notFound, detail: "no connection \(id)") }

    private static let columnList = """
        id, customer, tenant_id, client_id, subscription_id, resource_group, workspace_name, workspace_id, authority_url, arm_url, integration_key_id,
        created_at, updated_at
        """
    private static let selectColumns = "SELECT \(columnList) FROM connections"

    private static func decode(_ row: Row) throws -> SentinelConnection {
        SentinelConnection(id: try row.get("id"), customer: try row.get("customer"), tenantId: try row.get("tenant_id"), clientId: try row.get("client_id"),
                           subscriptionId: try row.get("subscription_id"), resourceGroup: try row.get("resource_group"),
                           workspaceName: try row.get("workspace_name"), workspaceId: try row.get("workspace_id"),
                           authorityURL: try row.get("authority_url"), armURL: try row.get("arm_url"), integrationKeyId: try row.get("integration_key_id"),
                           createdAt: try row.get("created_at"), updatedAt: try row.get("updated_at"))
    }
}
