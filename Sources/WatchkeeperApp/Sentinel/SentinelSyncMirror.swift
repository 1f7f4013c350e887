import Foundation
import Storage

/// What we last knew of each linked incident (`sentinel_sync_mirror`) and the etags of our own
/// writes (`sentinel_own_etags`). The link from an alert to its incident and connection decides
/// whether an alert change is written back at all.
enum SentinelSyncMirror {
    struct Link: Sendable, Equatable {
        var incidentKey: String
        var connectionId: String
        var tenantId: String
    }

    /// Sentinel's fields as we last saw them.
    struct Known: Sendable, Equatable {
        var alertId: String
        var etag: String?
        var lastModified: Date?
        var status: String?
        var ownerObjectId: String?
        var severity: String?
        var classification: String?
        var classificationReason: String?
        var ownerChangedAt: Date?
        var severityChangedAt: Date?
    }

    static let ownEtagsKept = 20

    static func link(ofAlert alertId: String, db: Connection) throws -> Link? {
        if let row = try db.queryOne("SELECT incident_key, connection_id, tenant_id FROM sentinel_sync_mirror WHERE alert_id = ? LIMIT 1",
                                     [.text(alertId)]) {
            return Link(incidentKey: try row.get("incident_key"), connectionId: try row.get("connection_id"), tenantId: try row.get("tenant_id"))
        }
        // An incident the webhook (the ingest's apply) tied to a connection: linked here on first use.
        guard let row = try db.queryOne("""
            SELECT i.incident_key, i.arm_id, i.connection_id, c.tenant_id, i.etag, i.last_modified, i.status, i.owner_object_id, i.severity,
                   i.classification, i.classification_reason
            FROM sentinel_incidents i JOIN connections c ON c.id = i.connection_id WHERE i.alert_id = ? LIMIT 1
            """, [.text(alertId)]) else { return nil }
        let modified: String = try row.get("last_modified")
        let key: String = try row.get("incident_key")
        let connectionId: String = try row.get("connection_id")
        let tenantId: String = try row.get("tenant_id")
        try db.run("""
            INSERT INTO sentinel_sync_mirror (incident_key, alert_id, connection_id, tenant_id, arm_id, etag, last_modified, status, owner_object_id,
                                              severity, classification, classification_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident_key) DO NOTHING
            """, [.text(key), .text(alertId), .text(connectionId), .text(tenantId), .text(try row.get("arm_id")),
                  .text(try row.get("etag")), SentinelSyncIncident.parseTime(modified).map(SQLValue.init) ?? .null, .text(try row.get("status")),
                  optional(try row.get("owner_object_id")), .text(try row.get("severity")), optional(try row.get("classification")),
                  optional(try row.get("classification_reason"))])
        return Link(incidentKey: key, connectionId: connectionId, tenantId: tenantId)
    }

    /// Links `incident` to `alertId` through `connectionId` (or keeps the existing link) and records its fields.
    static func link(_ incident: SentinelSyncIncident, alertId: String, connectionId: String, tenantId: String, db: Connection) throws {
        try db.run("""
            INSERT INTO sentinel_sync_mirror (incident_key, alert_id, connection_id, tenant_id, arm_id) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (incident_key) DO NOTHING
            """, [.text(incident.key), .text(alertId), .text(connectionId), .text(tenantId), .text(incident.armId)])
        try update(incident, linking: true, db: db)
    }

    static func known(incidentKey: String, db: Connection) throws -> Known? {
        guard let row = try db.queryOne("SELECT * FROM sentinel_sync_mirror WHERE incident_key = ?", [.text(incidentKey)]) else { return nil }
        return Known(alertId: try row.get("alert_id"), etag: try row.get("etag"), lastModified: try row.get("last_modified"),
                     status: try row.get("status"), ownerObjectId: try row.get("owner_object_id"), severity: try row.get("severity"),
                     classification: try row.get("classification"), classificationReason: try row.get("classification_reason"),
                     ownerChangedAt: try row.get("owner_changed_at"), severityChangedAt: try row.get("severity_changed_at"))
    }

    /// Records `incident`'s fields unless we already hold a newer version (by lastModifiedTimeUtc).
    /// `ours`: the change we just wrote; a changed owner or severity other than ours was changed by
    /// someone else, at the latest at the version's lastModifiedTimeUtc. `linking`: first sight.
    static func update(_ incident: SentinelSyncIncident, ours: SentinelWriteChange? = nil, linking: Bool = false, db: Connection) throws {
        let modified = incident.lastModified.map(SQLValue.init) ?? .null
        let ownerByOthers = !linking && ours?.ownerObjectId?.lowercased() != incident.ownerObjectId
        let severityByOthers = !linking && ours?.severity != incident.severity
        // SET expressions read the row's old values, so the comparisons see what we held before.
        try db.run("""
            UPDATE sentinel_sync_mirror SET
                   owner_changed_at = CASE WHEN ? AND owner_object_id IS NOT ? THEN ? ELSE owner_changed_at END,
                   severity_changed_at = CASE WHEN ? AND severity IS NOT ? THEN ? ELSE severity_changed_at END,
                   etag = ?, last_modified = ?, status = ?, owner_object_id = ?, severity = ?,
                   classification = ?, classification_reason = ?
            WHERE incident_key = ? AND (last_modified IS NULL OR ? IS NULL OR last_modified <= ?)
            """, [.integer(ownerByOthers ? 1 : 0), optional(incident.ownerObjectId), modified,
                  .integer(severityByOthers ? 1 : 0), optional(incident.severity), modified,
                  optional(incident.etag), incident.lastModified.map(SQLValue.init) ?? .null, optional(incident.status),
                  optional(incident.ownerObjectId), optional(incident.severity), optional(incident.classification),
                  optional(incident.classificationReason), .text(incident.key),
                  incident.lastModified.map(SQLValue.init) ?? .null, incident.lastModified.map(SQLValue.init) ?? .null])
    }

    static func recordOwnEtag(_ etag: String, incidentKey: String, at now: Date, db: Connection) throws {
        // The webhook's apply recognises our writes by the incident table's list.
        try SentinelIncidentStore.recordOwnEtag(incidentKey: incidentKey, etag: etag, db: db)
        try db.run("INSERT INTO sentinel_own_etags (incident_key, etag, recorded_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                   [.text(incidentKey), .text(etag), SQLValue(now)])
        // Bounded: only the latest ones can still come back.
        try db.run("""
            DELETE FROM sentinel_own_etags WHERE incident_key = ? AND etag NOT IN
              (SELECT etag FROM sentinel_own_etags WHERE incident_key = ? ORDER BY recorded_at DESC, rowid DESC LIMIT ?)
            """, [.text(incidentKey), .text(incidentKey), .integer(Int64(ownEtagsKept))])
    }

    static func isOwnEtag(_ etag: String, incidentKey: String, db: Connection) throws -> Bool {
        try db.queryOne("SELECT 1 AS own FROM sentinel_own_etags WHERE incident_key = ? AND etag = ?", [.text(incidentKey), .text(etag)]) != nil
    }

    private static func optional(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
}
