import Foundation
import HTTPServer
import Storage

/// Queues the writes to Sentinel that an alert change carries, inside the change's write job (so
/// the write is durable with it). Alerts without a linked incident queue nothing, and changes
/// that came from Sentinel (method `sentinel`) are never written back.
enum SentinelWriteHook {
    static let severities = ["High", "Medium", "Low", "Informational"]
    static let maximumTimelineEntries = 200

    /// What a resolve asks for in Sentinel: a valid classification pair (nil: the configured
    /// default) and the classification comment.
    struct Resolution: Sendable, Equatable {
        var classification: SentinelWriteClassification?
        var comment: String?
    }

    static func statusChanged(alertId: String, to status: AlertStatus, actor: String, method: String, actorUserId: String?,
                              resolution: Resolution?, at now: Date, db: Connection) throws {
        guard method != SentinelState.method, let link = try SentinelIncidentStore.link(ofAlert: alertId, db: db) else { return }
        let when = RFC3339.format(now)
        switch status {
        case .acknowledged:
            var ownerObjectId: String?
            var ownerNote = ""
            if let actorUserId {
                ownerObjectId = try db.queryOne("SELECT object_id FROM user_identities WHERE user_id = ? AND tenant_id = ?",
                                                 [.text(actorUserId), .text(link.tenantId)])?.get("object_id")
                if ownerObjectId == nil { ownerNote = " (no Entra identity in tenant \(link.tenantId) for this user; the owner is unchanged)" }
            } else {
                ownerNote = " (not a Watchkeeper user; the owner is unchanged)"
            }
            let paged = try db.query("""
                SELECT DISTINCT json_extract(u.body, '$.name') AS name FROM alert_notifications n JOIN users u ON u.id = n.user_id WHERE n.alert_id = ? ORDER BY 1
                """, [.text(alertId)]).map { try $0.get("name", as: String.self) }
            let comment = "Acknowledged by \(actor) via \(method) at \(when); paged: \(paged.isEmpty ? "nobody" : paged.joined(separator: ", "))\(ownerNote)"
            try SentinelWriteQueue.enqueue(alertId: alertId, kind: .acknowledge,
                                           change: SentinelWriteChange(ownerObjectId: ownerObjectId, status: "Active", comment: comment), at: now, db: db)
        case .resolved:
            let timeline = try db.query("SELECT at, actor, method, message FROM alert_timeline WHERE alert_id = ? ORDER BY id LIMIT ?",
                                        [.text(alertId), .integer(Int64(maximumTimelineEntries))])
            var lines = ["Resolved by \(actor) via \(method) at \(when).", "", "Watchkeeper timeline:"]
            for entry in timeline {
                let at: Date = try entry.get("at")
                let by: String? = try entry.get("actor")
                lines.append("- \(RFC3339.format(at)) \(by.map { "\($0): " } ?? "")\(try entry.get("message", as: String.self))")
            }
            try SentinelWriteQueue.enqueue(alertId: alertId, kind: .resolve,
                                           change: SentinelWriteChange(status: "Closed", classification: resolution?.classification,
                                                                       classificationComment: resolution?.comment ?? "Resolved in Watchkeeper by \(actor)",
                                                                       comment: SentinelSyncAttempt.bounded(lines.joined(separator: "\n"))),
                                           at: now, db: db)
        case .triggered:
            break
        }
    }

    static func severityChanged(alertId: String, to severity: String, actor: String, method: String, at now: Date, db: Connection) throws {
        guard method != SentinelState.method else { return }
        try SentinelWriteQueue.enqueue(alertId: alertId, kind: .severity, change: SentinelWriteChange(severity: severity), at: now, db: db)
    }

    static func noteAdded(alertId: String, text: String, actor: String, method: String, at now: Date, db: Connection) throws {
        guard method != SentinelState.method else { return }
        try SentinelWriteQueue.enqueue(alertId: alertId, kind: .note, change: SentinelWriteChange(comment: "Note by \(actor) via \(method): \(text)"),
                                       at: now, db: db)
    }

    /// Validates a resolve body `{classification, classificationReason, comment}` (all optional).
    static func resolution(from body: JSONValue?) throws -> Resolution? {
        guard let body else { return nil }
        guard case .object(let fields) = body else { throw HTTPError.invalid("body", "must be a JSON object") }
        for key in fields.keys where !["classification", "classificationReason", "comment"].contains(key) {
            throw HTTPError.invalid(key, "is not a member of a resolve request")
        }
        func text(_ key: String) throws -> String? {
            switch fields[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw HTTPError.invalid(key, "must be a string")
            }
        }
        let comment = try text("comment")
        if let comment, comment.count > 1000 { throw HTTPError.invalid("comment", "must be at most 1000 characters") }
        let reason = try text("classificationReason")
        guard let classification = try text("classification") else {
            if reason != nil { throw HTTPError.invalid("classification", "is required with classificationReason") }
            return Resolution(classification: nil, comment: comment)
        }
        return Resolution(classification: try SentinelWriteClassification.validated(classification: classification, reason: reason), comment: comment)
    }
}
