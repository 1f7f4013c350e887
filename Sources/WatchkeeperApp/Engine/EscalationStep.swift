import Foundation
import Paging
import Storage

/// Fires the due steps of every triggered alert's escalation policy: resolves each step's targets
/// to users at that moment and starts their notification rules (rows of `alert_notifications`,
/// which the notification step turns into messages). Every due alert is handled in one write job,
/// whose reads and writes are one transaction: an acknowledge commits before or after, never between.
struct EscalationStep: EngineStep {
    /// Alerts handled per pass; more wait for the next pass, which follows at once.
    static let batchSize = 500

    let database: Database
    var name: String { "escalation" }

    /// One step that fires: whom it pages, and the targets that named nobody.
    private struct Fired {
        var index: StepIndex
        var stepCount: Int
        var passes: Int
        var resolution: EscalationTargetResolver.Resolution
    }

    func run(at now: Date) throws -> Date? {
        // Most passes have nothing due: a read answers them without a write.
        let next = try database.read { db in try Self.nextStep(db: db) }
        guard let next, next <= now else { return next }
        return try database.write { db in
            let due = try db.query("""
                SELECT alert_id FROM alert_escalations WHERE next_step_at IS NOT NULL AND next_step_at <= ? ORDER BY next_step_at LIMIT ?
                """, [SQLValue(now), .integer(Int64(Self.batchSize))])
            for row in due { try Self.fireDueSteps(alertId: try row.get("alert_id"), at: now, db: db) }
            return try Self.nextStep(db: db)
        }
    }

    private static func nextStep(db: Connection) throws -> Date? {
        try db.queryOne("SELECT MIN(next_step_at) AS next FROM alert_escalations WHERE next_step_at IS NOT NULL")?.get("next", as: Date?.self)
    }

    /// Fires every step of the alert's policy due at `now` (all the overdue ones after a restart,
    /// each once), inside the caller's write job. Also called by the ingest that opens the alert,
    /// so its first step commits with it.
    static func fireDueSteps(alertId: String, at instant: Date, db: Connection) throws {
        // Stored instants are whole milliseconds (rounded): compare fire times computed from them
        // with `now` at the same precision, or a step due this very millisecond looks early.
        let now = Date(unixMilliseconds: instant.unixMilliseconds)
        guard let row = try db.queryOne("""
            SELECT e.round, e.started_at, e.last_pass, e.last_step, a.status, p.body AS policy
            FROM alert_escalations e JOIN alerts a ON a.id = e.alert_id LEFT JOIN escalation_policies p ON p.id = e.policy_id
            WHERE e.alert_id = ? AND e.next_step_at IS NOT NULL AND e.next_step_at <= ?
            """, [.text(alertId), SQLValue(now)]) else { return }
        guard try row.get("status", as: String.self) == AlertStatus.triggered.rawValue else {
            try db.run("UPDATE alert_escalations SET next_step_at = NULL WHERE alert_id = ?", [.text(alertId)])
            return
        }
        guard let body: String = try row.get("policy"), let policy = try? AlertLifecycle.decodedPolicies.decode(body),
              var timeline = try? EscalationTimeline(policy: policy, start: try row.get("started_at")) else {
            try db.run("UPDATE alert_escalations SET next_step_at = NULL WHERE alert_id = ?", [.text(alertId)])
            try TimelineEntry.append(alertId: alertId, at: now, kind: .escalated, actor: nil, method: nil,
                                     message: "its escalation policy no longer exists or cannot be read; escalation stopped", db: db)
            return
        }
        let round: Int = try row.get("round")
        var last = try AlertLifecycle.lastFired(row)
        var fired: [Fired] = []
        while let index = timeline.index(after: last), timeline.fireTime(of: index) <= now {
            // Resolved at the moment it fires (now), also for a step overdue after a restart.
            let resolution = try EscalationTargetResolver.resolve(policy.steps[index.step].targets, at: now, db: db)
            fired.append(Fired(index: index, stepCount: policy.steps.count, passes: policy.repeatCount + 1, resolution: resolution))
            if resolution.userIds.isEmpty { timeline = timeline.afterEmptyStep(index) }
            last = index
        }
        let next = timeline.nextFireTime(after: last)
        let names = try userNames(Set(fired.flatMap(\.resolution.userIds)), db: db)
        for step in fired {
            let position = "step \(step.index.step + 1) of \(step.stepCount)" + (step.passes > 1 ? ", pass \(step.index.pass + 1) of \(step.passes)" : "")
            let message = step.resolution.userIds.isEmpty
                ? "escalated to \(position): nobody is on call (\(step.resolution.emptyTargets.joined(separator: ", ")))"
                : "escalated to \(position): " + step.resolution.userIds.map { names[$0] ?? $0 }.joined(separator: ", ")
            try TimelineEntry.append(alertId: alertId, at: now, kind: .escalated, actor: nil, method: nil, message: message, db: db)
            for userId in step.resolution.userIds {
                try startRules(alertId: alertId, round: round, pass: step.index.pass, userId: userId, userName: names[userId] ?? userId, at: now, db: db)
            }
        }
        if next == nil, !fired.isEmpty {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .escalated, actor: nil, method: nil,
                                     message: "escalation policy finished: no further step", db: db)
        }
        try db.run("UPDATE alert_escalations SET started_at = ?, last_pass = ?, last_step = ?, next_step_at = ? WHERE alert_id = ?",
                   [SQLValue(timeline.start), last.map { .integer(Int64($0.pass)) } ?? .null, last.map { .integer(Int64($0.step)) } ?? .null,
                    next.map(SQLValue.init) ?? .null, .text(alertId)])
    }

    /// Starts each of the user's notification rules for this pass; rules a previous step of the
    /// same pass already started are left alone (the UNIQUE key), so nobody gets a page twice.
    private static func startRules(alertId: String, round: Int, pass: Int, userId: String, userName: String, at now: Date, db: Connection) throws {
        let rules = try db.query("SELECT id, contact_method_id, delay_seconds FROM notification_rules WHERE user_id = ? ORDER BY delay_seconds, id",
                                 [.text(userId)])
        if rules.isEmpty {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .notified, actor: nil, method: nil,
                                     message: "\(userName) has no notification rules; nobody can be reached", db: db)
        }
        for rule in rules {
            let delay: Int = try rule.get("delay_seconds")
            try db.run("""
                INSERT OR IGNORE INTO alert_notifications (alert_id, round, pass, user_id, rule_id, contact_method_id, due_at, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')
                """, [.text(alertId), .integer(Int64(round)), .integer(Int64(pass)), .text(userId), .text(try rule.get("id")),
                      .text(try rule.get("contact_method_id")), SQLValue(now.addingTimeInterval(Double(delay)))])
        }
    }

    private static func userNames(_ ids: Set<String>, db: Connection) throws -> [String: String] {
        var names: [String: String] = [:]
        for id in ids {
            if let row = try db.queryOne("SELECT json_extract(body, '$.name') AS name FROM users WHERE id = ?", [.text(id)]) {
                names[id] = try? row.get("name", as: String.self)
            }
        }
        return names
    }
}
