import Foundation
import Storage

/// The ack timeout: an alert acknowledged longer ago than its policy allows, and not resolved,
/// is triggered again and escalation starts over from step 1 (a new round pages everyone again).
struct RetriggerStep: EngineStep {
    let database: Database
    var name: String { "ack timeout" }

    func run(at now: Date) throws -> Date? {
        let next = try database.read { db in
            try db.queryOne("SELECT MIN(retrigger_at) AS next FROM alert_escalations WHERE retrigger_at IS NOT NULL")?.get("next", as: Date?.self)
        }
        guard let next, next <= now else { return next }
        return try database.write { db in
            let due = try db.query("""
                SELECT e.alert_id, a.status, a.acknowledged_by FROM alert_escalations e JOIN alerts a ON a.id = e.alert_id
                WHERE e.retrigger_at IS NOT NULL AND e.retrigger_at <= ?
                """, [SQLValue(now)])
            for row in due {
                let alertId: String = try row.get("alert_id")
                guard try row.get("status", as: String.self) == AlertStatus.acknowledged.rawValue else {
                    try db.run("UPDATE alert_escalations SET retrigger_at = NULL WHERE alert_id = ?", [.text(alertId)])
                    continue
                }
                let by: String = (try? row.get("acknowledged_by", as: String.self)) ?? "someone"
                try db.run("""
                    UPDATE alerts SET status = 'triggered', acknowledged_by = NULL, acknowledged_via = NULL, acknowledged_at = NULL WHERE id = ?
                    """, [.text(alertId)])
                try TimelineEntry.append(alertId: alertId, at: now, kind: .retriggered, actor: nil, method: nil,
                                         message: "acknowledged by \(by) but not resolved within the acknowledgement timeout; triggered again", db: db)
                try AlertLifecycle.restart(alertId: alertId, at: now, db: db)
            }
            return try db.queryOne("SELECT MIN(retrigger_at) AS next FROM alert_escalations WHERE retrigger_at IS NOT NULL")?.get("next", as: Date?.self)
        }
    }
}
