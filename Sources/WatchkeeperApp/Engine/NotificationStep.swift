import Foundation
import Storage

/// Turns the notification rules that came due into messages in the outbox: one message per
/// (alert, user, rule), to the rule's contact method, while the alert is still triggered.
/// All due rules are handled in one write job.
struct NotificationStep: EngineStep {
    static let batchSize = 2000

    let database: Database
    var name: String { "notification" }

    func run(at now: Date) throws -> Date? {
        // Most passes have nothing due: a read answers them without a write.
        let next = try database.read { db in
            try db.queryOne("SELECT MIN(due_at) AS next FROM alert_notifications WHERE state = 'pending'")?.get("next", as: Date?.self)
        }
        guard let next, next <= now else { return next }
        return try database.write { db in
            try Self.queueDue(at: now, db: db)
            return try db.queryOne("SELECT MIN(due_at) AS next FROM alert_notifications WHERE state = 'pending'")?.get("next", as: Date?.self)
        }
    }

    /// Turns the rules due at `now` into messages inside the caller's write job (only those of
    /// `alertId` when given: the ingest that opens an alert queues its first pages itself).
    static func queueDue(at now: Date, alertId: String? = nil, db: Connection) throws {
        let due = try db.query("""
            SELECT n.id, n.alert_id, n.user_id, n.contact_method_id, a.status, a.summary, a.service_id, a.urgency, a.severity,
                   json_extract(s.body, '$.name') AS service_name, json_extract(u.body, '$.name') AS user_name,
                   cm.type, cm.verified_at, cm.disabled_at
            FROM alert_notifications n JOIN alerts a ON a.id = n.alert_id LEFT JOIN services s ON s.id = a.service_id
            LEFT JOIN users u ON u.id = n.user_id LEFT JOIN contact_methods cm ON cm.id = n.contact_method_id
            WHERE n.state = 'pending' AND n.due_at <= ? AND (? IS NULL OR n.alert_id = ?) ORDER BY n.due_at, n.id LIMIT ?
            """, [SQLValue(now), alertId.map { .text($0) } ?? .null, alertId.map { .text($0) } ?? .null, .integer(Int64(Self.batchSize))])
        for row in due {
            try handle(row, at: now, db: db)
        }
    }

    private static func handle(_ row: Row, at now: Date, db: Connection) throws {
        let id: Int64 = try row.get("id")
        let alertId: String = try row.get("alert_id")
        let userId: String = try row.get("user_id")
        let userName: String = (try? row.get("user_name", as: String.self)) ?? userId
        guard try row.get("status", as: String.self) == AlertStatus.triggered.rawValue else {
            try db.run("UPDATE alert_notifications SET state = 'cancelled' WHERE id = ?", [.integer(id)])
            return
        }
        let type: String? = try row.get("type")
        let verified: Date? = try row.get("verified_at")
        let disabled: Date? = try row.get("disabled_at")
        guard let type, verified != nil, disabled == nil else {
            let why = type == nil ? "was deleted" : verified == nil ? "is not verified" : "is disabled"
            try db.run("UPDATE alert_notifications SET state = 'skipped' WHERE id = ?", [.integer(id)])
            try TimelineEntry.append(alertId: alertId, at: now, kind: .notified, actor: nil, method: nil,
                                     message: "not notifying \(userName): contact method \(try row.get("contact_method_id", as: String.self)) \(why)", db: db)
            return
        }
        let summary: String = try row.get("summary")
        let serviceName: String = (try? row.get("service_name", as: String.self)) ?? "a service"
        let severity: String? = try row.get("severity")
        try OutboxQueue.enqueue(.init(alertId: alertId, serviceId: try row.get("service_id"), userId: try row.get("user_id"),
                                      contactMethodId: try row.get("contact_method_id"), kind: .alert,
                                      subject: "Alert on \(serviceName): \(summary)",
                                      body: "\(serviceName): \(summary)" + (severity.map { " [\($0)]" } ?? "")),
                                at: now, db: db)
        try db.run("UPDATE alert_notifications SET state = 'queued' WHERE id = ?", [.integer(id)])
        try TimelineEntry.append(alertId: alertId, at: now, kind: .notified, actor: nil, method: nil,
                                 message: "notifying \(userName) by \(type)", db: db)
    }
}
