import Foundation
import Storage

/// Applies an incident the poller saw to its alert, inside the poll's write job: Closed resolves
/// the alert (recording who and the classification), owner and severity changes are recorded,
/// a reopen is recorded. Stale versions (older lastModifiedTimeUtc than we hold) and our own
/// writes (their etags) change nothing. Incidents not linked to an alert are left to the webhook.
///
/// This is the poller's own minimal apply until the ingest work's shared `SentinelState.apply`
/// is merged; the lead swaps the call in `SentinelPollStep` (see docs/SENTINEL-SYNC.md).
enum SentinelPollApply {
    static let actor = "Microsoft Sentinel"
    static let method = "sentinel"

    /// True when the incident changed anything here. `writtenByUs`: the incident is the answer to
    /// our PUT of that change (or what we read when no PUT was needed); the fields we wrote are
    /// taken without being reported as Sentinel's changes, and what the portal changed before our
    /// read is applied like a poll would. Our severity is replaced by Sentinel's when theirs won.
    @discardableResult
    static func apply(_ incident: SentinelSyncIncident, writtenByUs ours: SentinelWriteChange? = nil, at now: Date, db: Connection) throws -> Bool {
        if ours == nil, try SentinelSyncMirror.isOwnEtag(incident.etag, incidentKey: incident.key, db: db) { return false }
        guard let known = try SentinelSyncMirror.known(incidentKey: incident.key, db: db), known.etag != incident.etag else { return false }
        if let held = known.lastModified, let seen = incident.lastModified, seen < held { return false }
        let alertId = known.alertId
        guard let row = try db.queryOne("SELECT status FROM alerts WHERE id = ?", [.text(alertId)]) else { return false }
        let alertStatus: String = try row.get("status")
        var changed = false
        if incident.status == "Closed", alertStatus != AlertStatus.resolved.rawValue {
            let pair = [incident.classification, incident.classificationReason].compactMap { $0 }.joined(separator: "/")
            _ = try AlertStore.change(alertId, to: .resolved, actor: actor, method: method, actorUserId: nil, at: now, db: db)
            try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: actor, method: method,
                                     message: "closed in Sentinel\(pair.isEmpty ? "" : " as \(pair)")\(owner(incident))", db: db)
            changed = true
        } else if known.status == "Closed", let status = incident.status, status != "Closed" {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: actor, method: method,
                                     message: "reopened in Sentinel (status \(status))", db: db)
            changed = true
        }
        if incident.ownerObjectId != known.ownerObjectId, ours?.ownerObjectId?.lowercased() != incident.ownerObjectId {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: actor, method: method,
                                     message: "owner changed in Sentinel to \(incident.ownerObjectId ?? "nobody")\(owner(incident))", db: db)
            changed = true
        }
        if let severity = incident.severity, severity != known.severity || ours?.severity != nil {
            // Both sides end with the value of the last write to reach Sentinel.
            try db.run("UPDATE alerts SET severity = ? WHERE id = ?", [.text(severity), .text(alertId)])
        }
        if let severity = incident.severity, severity != known.severity, ours?.severity != severity {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: actor, method: method,
                                     message: "severity changed in Sentinel to \(severity)", db: db)
            changed = true
        }
        try SentinelSyncMirror.update(incident, ours: ours, db: db)
        return changed
    }

    private static func owner(_ incident: SentinelSyncIncident) -> String {
        guard case .object(let owner)? = incident.properties["owner"] else { return "" }
        for field in ["assignedTo", "userPrincipalName", "email"] {
            if case .string(let name)? = owner[field] { return " (\(name))" }
        }
        return ""
    }
}
