import Foundation
import HTTPServer
import Paging
import Storage

/// Fires the due steps of every triggered alert's escalation policy: resolves each step's targets
/// to users at that moment and starts their notification rules (rows of `alert_notifications`,
/// which the notification step turns into messages). Every due alert is handled in one write job.
///
/// Targets are resolved from reads before the write; the write re-checks that the alert's
/// escalation row is as read (an acknowledge may have committed in between) and skips it if not.
struct EscalationStep: EngineStep {
    /// Alerts handled per pass; more wait for the next pass, which follows at once.
    static let batchSize = 500

    let database: Database
    var name: String { "escalation" }
    private var resolver: EscalationTargetResolver { EscalationTargetResolver(database: database) }

    /// One alert's row as read, and what firing its due steps does.
    private struct Firing {
        var alertId: String
        var round: Int
        var startedAt: Date
        var lastFired: StepIndex?
        var steps: [(index: StepIndex, stepCount: Int, passes: Int, userIds: [String], emptyTargets: [String])] = []
        var newStart: Date
        var newLast: StepIndex?
        var next: Date?
        var problem: String?
    }

    func run(at now: Date) throws -> Date? {
        let due = try database.read { db in
            try db.query("""
                SELECT e.alert_id, e.round, e.started_at, e.last_pass, e.last_step, a.status, p.body AS policy
                FROM alert_escalations e JOIN alerts a ON a.id = e.alert_id LEFT JOIN escalation_policies p ON p.id = e.policy_id
                WHERE e.next_step_at IS NOT NULL AND e.next_step_at <= ? ORDER BY e.next_step_at LIMIT ?
                """, [SQLValue(now), .integer(Int64(Self.batchSize))])
        }
        if !due.isEmpty {
            let firings = try due.map { try plan($0, at: now) }
            try database.write { db in try Self.apply(firings, at: now, db: db) }
        }
        return try database.read { db in
            try db.queryOne("SELECT MIN(next_step_at) AS next FROM alert_escalations WHERE next_step_at IS NOT NULL")?.get("next", as: Date?.self)
        }
    }

    /// Works out which steps fire and whom they page (reads only).
    private func plan(_ row: Row, at now: Date) throws -> Firing {
        let startedAt: Date = try row.get("started_at")
        let lastFired = try AlertLifecycle.lastFired(row)
        var firing = Firing(alertId: try row.get("alert_id"), round: try row.get("round"), startedAt: startedAt, lastFired: lastFired,
                            newStart: startedAt, newLast: lastFired, next: nil)
        guard try row.get("status", as: String.self) == AlertStatus.triggered.rawValue else {
            firing.problem = ""
            return firing
        }
        guard let body: String = try row.get("policy"),
              let policy = try? JSON.decoder.decode(EscalationPolicy.self, from: Data(body.utf8)),
              var timeline = try? EscalationTimeline(policy: policy, start: startedAt) else {
            firing.problem = "its escalation policy no longer exists or cannot be read; escalation stopped"
            return firing
        }
        var last = lastFired
        while let index = timeline.index(after: last), timeline.fireTime(of: index) <= now {
            // Resolved at the moment it fires (now), also for a step overdue after a restart.
            let resolution = try resolver.resolve(policy.steps[index.step].targets, at: now)
            firing.steps.append((index, policy.steps.count, policy.repeatCount + 1, resolution.userIds, resolution.emptyTargets))
            if resolution.userIds.isEmpty { timeline = timeline.afterEmptyStep(index) }
            last = index
        }
        firing.newStart = timeline.start
        firing.newLast = last
        firing.next = timeline.nextFireTime(after: last)
        return firing
    }

    private static func apply(_ firings: [Firing], at now: Date, db: Connection) throws {
        for firing in firings {
            // Changed since it was read (acknowledged, escalated by hand): the next pass sees the new state.
            guard let current = try db.queryOne("""
                SELECT e.round, e.started_at, e.last_pass, e.last_step, a.status FROM alert_escalations e JOIN alerts a ON a.id = e.alert_id
                WHERE e.alert_id = ?
                """, [.text(firing.alertId)]),
                try current.get("round") == firing.round, try current.get("started_at", as: Date.self) == firing.startedAt,
                try AlertLifecycle.lastFired(current) == firing.lastFired else { continue }
            if let problem = firing.problem {
                try db.run("UPDATE alert_escalations SET next_step_at = NULL WHERE alert_id = ?", [.text(firing.alertId)])
                if !problem.isEmpty {
                    try TimelineEntry.append(alertId: firing.alertId, at: now, kind: .escalated, actor: nil, method: nil, message: problem, db: db)
                }
                continue
            }
            let names = try userNames(Set(firing.steps.flatMap(\.userIds)), db: db)
            for step in firing.steps {
                let position = "step \(step.index.step + 1) of \(step.stepCount)" + (step.passes > 1 ? ", pass \(step.index.pass + 1) of \(step.passes)" : "")
                let message: String
                if step.userIds.isEmpty {
                    message = "escalated to \(position): nobody is on call (\(step.emptyTargets.joined(separator: ", ")))"
                } else {
                    message = "escalated to \(position): " + step.userIds.map { names[$0] ?? $0 }.joined(separator: ", ")
                }
                try TimelineEntry.append(alertId: firing.alertId, at: now, kind: .escalated, actor: nil, method: nil, message: message, db: db)
                for userId in step.userIds {
                    try startRules(alertId: firing.alertId, round: firing.round, pass: step.index.pass, userId: userId,
                                   userName: names[userId] ?? userId, at: now, db: db)
                }
            }
            if firing.next == nil, !firing.steps.isEmpty {
                try TimelineEntry.append(alertId: firing.alertId, at: now, kind: .escalated, actor: nil, method: nil,
                                         message: "escalation policy finished: no further step", db: db)
            }
            try db.run("UPDATE alert_escalations SET started_at = ?, last_pass = ?, last_step = ?, next_step_at = ? WHERE alert_id = ?",
                       [SQLValue(firing.newStart), firing.newLast.map { .integer(Int64($0.pass)) } ?? .null,
                        firing.newLast.map { .integer(Int64($0.step)) } ?? .null, firing.next.map(SQLValue.init) ?? .null, .text(firing.alertId)])
        }
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
