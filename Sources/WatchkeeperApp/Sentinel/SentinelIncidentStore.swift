import Foundation
import HTTPServer
import Sentinel
import Storage

/// The `sentinel_incidents` mirror: per incident, the last version applied, the alert it drives,
/// the connection its alert's changes are written back through, our own etags, our comment count
/// and when someone else last changed the owner or the severity. The webhook, the poller and the
/// write-back all read and write it through `SentinelState.apply`. Every function runs inside
/// the caller's write (or read) job.
enum SentinelIncidentStore {
    /// How many of our own etags are kept per incident: enough for the writes whose echo may still arrive.
    static let maximumOwnEtags = 20

    /// One row.
    struct Record: Sendable, Equatable {
        var incidentKey: String
        var armId: String
        var alertId: String?
        var integrationKeyId: String?
        /// Nil: polled for a connection without a default integration key (recorded, no alert).
        var serviceId: String?
        var connectionId: String?
        var tenantId: String?
        var workspace: String?
        var incidentNumber: Int?
        var etag: String
        var lastModified: SentinelTimestamp
        var status: IncidentStatus
        var severity: IncidentSeverity
        var ownerObjectId: String?
        var ownerName: String?
        var classification: String?
        var classificationReason: String?
        var title: String
        var ownEtags: [String]
        var ownerChangedAt: Date?
        var severityChangedAt: Date?
        var commentCount: Int
    }

    /// An alert's incident and the connection its changes are written back through.
    struct Link: Sendable, Equatable {
        var incidentKey: String
        var connectionId: String
        var tenantId: String
    }

    static func fetch(incidentKey: String, db: Connection) throws -> Record? {
        guard let row = try db.queryOne("SELECT * FROM sentinel_incidents WHERE incident_key = ?", [.text(incidentKey.lowercased())]) else { return nil }
        let key: String = try row.get("incident_key")
        let modified: String = try row.get("last_modified")
        guard let lastModified = SentinelTimestamp(modified), let status = IncidentStatus(text: try row.get("status")),
              let severity = IncidentSeverity(text: try row.get("severity")) else {
            throw StoredDataError("sentinel incident \(key) has an unreadable last_modified, status or severity")
        }
        let ownText: String = try row.get("own_etags")
        let own = (try? JSONSerialization.jsonObject(with: Data(ownText.utf8))) as? [String] ?? []
        let number: Int64? = try row.get("incident_number")
        return Record(incidentKey: key, armId: try row.get("arm_id"), alertId: try row.get("alert_id"), integrationKeyId: try row.get("integration_key_id"),
                      serviceId: try row.get("service_id"), connectionId: try row.get("connection_id"), tenantId: try row.get("tenant_id"),
                      workspace: try row.get("workspace"), incidentNumber: number.map { Int($0) }, etag: try row.get("etag"), lastModified: lastModified,
                      status: status, severity: severity, ownerObjectId: try row.get("owner_object_id"), ownerName: try row.get("owner_name"),
                      classification: try row.get("classification"), classificationReason: try row.get("classification_reason"),
                      title: try row.get("title"), ownEtags: own, ownerChangedAt: try row.get("owner_changed_at"),
                      severityChangedAt: try row.get("severity_changed_at"), commentCount: try row.get("comment_count"))
    }

    /// The incident `alertId` drives, when it has a connection (and so a tenant) to write back through.
    static func link(ofAlert alertId: String, db: Connection) throws -> Link? {
        guard let row = try db.queryOne("""
            SELECT i.incident_key, i.connection_id, coalesce(i.tenant_id, c.tenant_id) AS tenant_id
            FROM sentinel_incidents i LEFT JOIN connections c ON c.id = i.connection_id
            WHERE i.alert_id = ? AND i.connection_id IS NOT NULL LIMIT 1
            """, [.text(alertId)]) else { return nil }
        guard let tenantId: String = try row.get("tenant_id") else { return nil }
        return Link(incidentKey: try row.get("incident_key"), connectionId: try row.get("connection_id"), tenantId: tenantId)
    }

    /// Writes `incident` as the version held, with the alert it drives now (insert or update).
    /// `changedAt`: when someone else last changed the owner and the severity (stored as given).
    static func save(_ incident: SentinelIncident, alertId: String?, serviceId: String?, integrationKeyId: String?, connectionId: String?,
                     tenantId: String?, changedAt: (owner: Date?, severity: Date?) = (nil, nil), at now: Date, db: Connection) throws {
        try db.run("""
            INSERT INTO sentinel_incidents (incident_key, arm_id, alert_id, integration_key_id, service_id, connection_id, tenant_id, workspace,
                incident_number, etag, last_modified, status, severity, owner_object_id, owner_name, classification, classification_reason, title,
                owner_changed_at, severity_changed_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (incident_key) DO UPDATE SET arm_id = excluded.arm_id, alert_id = excluded.alert_id,
                integration_key_id = coalesce(excluded.integration_key_id, integration_key_id), service_id = coalesce(excluded.service_id, service_id),
                connection_id = coalesce(excluded.connection_id, connection_id), tenant_id = coalesce(excluded.tenant_id, tenant_id),
                workspace = excluded.workspace, incident_number = excluded.incident_number,
                etag = excluded.etag, last_modified = excluded.last_modified, status = excluded.status, severity = excluded.severity,
                owner_object_id = excluded.owner_object_id, owner_name = excluded.owner_name, classification = excluded.classification,
                classification_reason = excluded.classification_reason, title = excluded.title, owner_changed_at = excluded.owner_changed_at,
                severity_changed_at = excluded.severity_changed_at, updated_at = excluded.updated_at
            """, [.text(incident.incidentKey), .text(incident.armId), text(alertId), text(integrationKeyId), text(serviceId), text(connectionId),
                  text(tenantId), text(incident.workspace), incident.incidentNumber.map { .integer(Int64($0)) } ?? .null, .text(incident.etag),
                  .text(incident.lastModified.text), .text(incident.status.rawValue), .text(incident.severity.rawValue), text(incident.owner.objectId),
                  text(incident.owner.displayName), text(incident.classification?.rawValue), text(incident.classificationReason?.rawValue),
                  .text(incident.title), changedAt.owner.map(SQLValue.init) ?? .null, changedAt.severity.map(SQLValue.init) ?? .null,
                  SQLValue(now), SQLValue(now)])
    }

    /// Remembers an etag one of our own writes got back, so its echo (webhook or poll) is not
    /// taken for a change made in Sentinel. Keeps the newest `maximumOwnEtags`.
    static func recordOwnEtag(incidentKey: String, etag: String, db: Connection) throws {
        guard let row = try db.queryOne("SELECT own_etags FROM sentinel_incidents WHERE incident_key = ?", [.text(incidentKey.lowercased())]) else { return }
        let text: String = try row.get("own_etags")
        var etags = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
        guard !etags.contains(etag) else { return }
        etags.append(etag)
        etags = Array(etags.suffix(maximumOwnEtags))
        let encoded = String(decoding: try JSONSerialization.data(withJSONObject: etags), as: UTF8.self)
        try db.run("UPDATE sentinel_incidents SET own_etags = ? WHERE incident_key = ?", [.text(encoded), .text(incidentKey.lowercased())])
    }

    /// Counts the comments we added to the incident (Sentinel allows 100).
    static func addComments(_ count: Int, incidentKey: String, db: Connection) throws {
        try db.run("UPDATE sentinel_incidents SET comment_count = comment_count + ? WHERE incident_key = ?",
                   [.integer(Int64(count)), .text(incidentKey.lowercased())])
    }

    /// A stored service, or nil when there is none with this id.
    static func service(id: String, db: Connection) throws -> Service? {
        guard let row = try ServiceResource().table.fetch(id: id, parentId: nil, db: db) else { return nil }
        do {
            return try JSON.decoder.decode(Service.self, from: Data(row.body.utf8))
        } catch {
            throw StoredBodyError(id: row.id, underlying: "\(error)")
        }
    }

    private static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
}

extension SentinelIncidentStore.Record {
    /// The version held with the fields of our write `ours` as Sentinel answered them (`seen`): what
    /// differs from it was changed by someone else.
    func expecting(_ ours: SentinelWriteChange, seen incident: SentinelIncident) -> Self {
        var expected = self
        if let status = ours.status.flatMap(IncidentStatus.init(text:)) { expected.status = status }
        if let severity = ours.severity.flatMap(IncidentSeverity.init(text:)) { expected.severity = severity }
        if let owner = ours.ownerObjectId, owner.lowercased() == incident.owner.objectId?.lowercased() {
            expected.ownerObjectId = incident.owner.objectId
            expected.ownerName = incident.owner.displayName
        }
        if ours.status == IncidentStatus.closed.rawValue {
            expected.classification = incident.classification?.rawValue
            expected.classificationReason = incident.classificationReason?.rawValue
        }
        return expected
    }
}
