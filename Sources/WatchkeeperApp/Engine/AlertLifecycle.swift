import Foundation
import HTTPServer
import Paging
import Storage

/// What the engine's durable state does when an alert opens, is acknowledged, resolved, escalated
/// by hand or re-triggered. Each function runs inside the caller's write job, so the alert's new
/// status and its timers commit together; the caller wakes the engine after the commit.
enum AlertLifecycle {
    /// A new alert starts its service's escalation policy at once (step 1 fires on the engine's
    /// next pass), unless the service is in maintenance or has no policy.
    static func opened(alertId: String, service: Service, at now: Date, db: Connection) throws {
        guard !service.isInMaintenance(at: now) else { return }
        guard let policyId = service.escalationPolicyId else {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .suppressed, actor: nil, method: nil,
                                     message: "service \(service.name) has no escalation policy; nobody is paged", db: db)
            return
        }
        try db.run("INSERT INTO alert_escalations (alert_id, policy_id, round, started_at, next_step_at) VALUES (?, ?, 0, ?, ?)",
                   [.text(alertId), .text(policyId), SQLValue(now), SQLValue(now)])
    }

    /// Acknowledged or resolved: nothing more fires for it, what is queued is cancelled, an
    /// acknowledgement starts the policy's ack timeout, and paged users who asked are told.
    static func stopped(alertId: String, status: AlertStatus, actor: String, method: String, actorUserId: String?, at now: Date, db: Connection) throws {
        try db.run("UPDATE alert_notifications SET state = 'cancelled' WHERE alert_id = ? AND state = 'pending'", [.text(alertId)])
        try OutboxQueue.cancelQueuedPages(alertId: alertId, at: now, db: db)
        var retriggerAt: Date?
        if status == .acknowledged, let policy = try policy(ofAlert: alertId, db: db) {
            retriggerAt = policy.retriggerTime(acknowledgedAt: now)
        }
        try db.run("UPDATE alert_escalations SET next_step_at = NULL, retrigger_at = ? WHERE alert_id = ?",
                   [retriggerAt.map(SQLValue.init) ?? .null, .text(alertId)])
        try queueStatusUpdates(alertId: alertId, status: status, actor: actor, method: method, actorUserId: actorUserId, at: now, db: db)
    }

    /// Escalated by hand: the next step fires now (its timeline moves earlier so the steps after
    /// it keep their delays). After the last step, the policy starts over from step 1.
    static func escalated(alertId: String, at now: Date, db: Connection) throws {
        guard let row = try db.queryOne("SELECT round, started_at, last_pass, last_step FROM alert_escalations WHERE alert_id = ?", [.text(alertId)]),
              let policy = try policy(ofAlert: alertId, db: db),
              let timeline = try? EscalationTimeline(policy: policy, start: try row.get("started_at")) else {
            throw HTTPError(.conflict, detail: "alert \(alertId) has no escalation policy to escalate (its service has none, or was in maintenance)")
        }
        if let next = timeline.index(after: try lastFired(row)) {
            let earlier = max(timeline.fireTime(of: next).timeIntervalSince(now), 0)
            try db.run("UPDATE alert_escalations SET started_at = ?, next_step_at = ?, retrigger_at = NULL WHERE alert_id = ?",
                       [SQLValue(timeline.start.addingTimeInterval(-earlier)), SQLValue(now), .text(alertId)])
        } else {
            try restart(alertId: alertId, at: now, db: db)
        }
    }

    /// Escalation starts over from step 1 in a new round, so everyone is paged again.
    static func restart(alertId: String, at now: Date, db: Connection) throws {
        try db.run("""
            UPDATE alert_escalations SET round = round + 1, started_at = ?, last_pass = NULL, last_step = NULL, next_step_at = ?, retrigger_at = NULL
            WHERE alert_id = ?
            """, [SQLValue(now), SQLValue(now), .text(alertId)])
    }

    static func lastFired(_ row: Row) throws -> StepIndex? {
        guard let pass: Int = try row.get("last_pass"), let step: Int = try row.get("last_step") else { return nil }
        return StepIndex(pass: pass, step: step)
    }

    /// The policy the alert's escalation runs (as stored now); nil when there is none.
    static func policy(ofAlert alertId: String, db: Connection) throws -> EscalationPolicy? {
        guard let row = try db.queryOne("""
            SELECT p.body FROM alert_escalations e JOIN escalation_policies p ON p.id = e.policy_id WHERE e.alert_id = ?
            """, [.text(alertId)]) else { return nil }
        let body: String = try row.get("body")
        do {
            return try decodedPolicies.decode(body)
        } catch {
            throw StoredDataError("stored escalation policy of alert \(alertId) cannot be read: \(error)")
        }
    }

    /// Policies are read for every step that fires; see `DecodedBodyCache`.
    static let decodedPolicies = DecodedBodyCache<EscalationPolicy>()

    /// Users paged for the alert (a page was queued for them) whose verified contact methods ask
    /// for status updates are told who acknowledged or resolved it, except the one who did.
    private static func queueStatusUpdates(alertId: String, status: AlertStatus, actor: String, method: String, actorUserId: String?,
                                           at now: Date, db: Connection) throws {
        let rows = try db.query("""
            SELECT cm.id, cm.user_id, a.summary, a.service_id, json_extract(s.body, '$.name') AS service_name
            FROM contact_methods cm, alerts a LEFT JOIN services s ON s.id = a.service_id
            WHERE a.id = ? AND cm.status_updates = 1 AND cm.verified_at IS NOT NULL AND cm.disabled_at IS NULL
              AND cm.user_id IN (SELECT user_id FROM alert_notifications WHERE alert_id = ? AND state = 'queued')
              AND cm.user_id != ?
            ORDER BY cm.user_id, cm.id
            """, [.text(alertId), .text(alertId), .text(actorUserId ?? "")])
        for row in rows {
            let summary: String = try row.get("summary")
            let serviceName: String = (try? row.get("service_name", as: String.self)) ?? "a service"
            let verb = status == .acknowledged ? "Acknowledged" : "Resolved"
            try OutboxQueue.enqueue(.init(alertId: alertId, serviceId: try row.get("service_id"), userId: try row.get("user_id"),
                                          contactMethodId: try row.get("id"), kind: .statusUpdate,
                                          subject: "\(verb): \(summary)",
                                          body: "\(verb) by \(actor) via \(method): \(summary) (\(serviceName))"),
                                    at: now, db: db)
        }
    }
}
