import Foundation
import Sentinel
import Storage

/// Routing rules of an integration key, evaluated for an incoming Sentinel incident or Azure
/// Monitor alert inside the ingest's write job.
enum IntegrationRouting {
    /// The decision of the first matching rule of integration key `integrationKeyId`, or
    /// `RoutingDecision.default` when none matches (or the key has no rules).
    static func decide(integrationKeyId: String, facts: IncidentFacts, at now: Date, db: Connection) throws -> RoutingDecision {
        try decide(rules: try RoutingRuleStore.rules(integrationKeyId: integrationKeyId, db: db), facts: facts, at: now, db: db)
    }

    /// `rules` (stored or, for the test endpoint, a draft) against `facts` with the real on-call
    /// lookup. A service deleted since the rules were saved is dropped from the decision, so
    /// the alert still lands on the key's own service.
    static func decide(rules: [RoutingRule], facts: IncidentFacts, at now: Date, db: Connection) throws -> RoutingDecision {
        let evaluator: RoutingEvaluator
        do {
            evaluator = try RoutingEvaluator(rules: rules)
        } catch {
            // Stored rules were valid when saved; a pattern that stopped compiling is a bug, not input.
            throw StoredDataError("stored routing rules are invalid: \(error.errors)")
        }
        var decision = try evaluator.decide(facts, at: now) { scheduleId, instant in try isOnCall(scheduleId: scheduleId, at: instant, db: db) }
        if let serviceId = decision.serviceId, try db.queryOne("SELECT 1 FROM services WHERE id = ?", [.text(serviceId)]) == nil {
            decision.serviceId = nil
            decision.explanation.append("service \(serviceId) no longer exists: the integration key's own service applies")
        }
        return decision
    }

    /// True when schedule `scheduleId` puts anyone on call at `instant`; a deleted schedule has nobody.
    static func isOnCall(scheduleId: String, at instant: Date, db: Connection) throws -> Bool {
        guard let loaded = try ScheduleLoader.schedule(id: scheduleId, overlapping: instant..<instant.addingTimeInterval(1), db: db) else { return false }
        return !(try loaded.schedule.onCall(at: instant, rotations: loaded.rotations)).isEmpty
    }
}
