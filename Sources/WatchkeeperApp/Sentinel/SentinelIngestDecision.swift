import Foundation
import Sentinel
import Storage

/// The integration key's routing decision (`IntegrationRouting.decide`) made concrete for a new
/// alert from Sentinel or Azure Monitor: which service, which urgency, whether anyone is paged,
/// and the timeline entries that say why.
struct SentinelIngestDecision {
    var decision: RoutingDecision
    var service: Service
    /// nil: the service's urgency.
    var urgency: AlertUrgency?
    /// False when the rule suppresses or sets low urgency: the alert is recorded, nobody is paged.
    var pages: Bool
    /// A rule's service that no longer exists (the key's own service is used instead).
    var missingServiceId: String?

    var explanation: String { decision.explanation.joined(separator: "; ") }

    static func make(facts: IncidentFacts, context: SentinelState.Context, at now: Date, db: Connection) throws -> SentinelIngestDecision {
        let decision = try context.integrationKeyId.map { try context.decide($0, facts, now, db) } ?? .default
        // Callers open alerts only with a service; none here is a stored-data fault.
        guard var service = context.service else { throw StoredDataError("a Sentinel incident's alert has no service to go to") }
        var missing: String?
        if let serviceId = decision.serviceId, serviceId != service.id {
            if let routed = try SentinelIncidentStore.service(id: serviceId, db: db) { service = routed } else { missing = serviceId }
        }
        let urgency = decision.urgency.map { $0 == .low ? AlertUrgency.low : .high }
        // Low urgency from a rule records and pages nobody (alerts have no quieter paging path yet).
        return SentinelIngestDecision(decision: decision, service: service, urgency: urgency, pages: !decision.suppress && urgency != .low,
                                      missingServiceId: missing)
    }

    /// The timeline entries of the decision, on the new alert.
    func record(alertId: String, at now: Date, db: Connection) throws {
        let rule = decision.ruleId.map { id in "routing rule \(decision.rulePosition.map { "#\($0) " } ?? "")\(id)" }
        try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: "routing", method: SentinelState.method,
                                 message: (rule.map { "\($0) matched" } ?? "no routing rule matched") + (explanation.isEmpty ? "" : ": \(explanation)"), db: db)
        if let missingServiceId {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: "routing", method: SentinelState.method,
                                     message: "the rule's service \(missingServiceId) does not exist; the alert stays on \(service.name)", db: db)
        }
        if decision.suppress {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .suppressed, actor: "routing", method: SentinelState.method,
                                     message: "suppressed by \(rule ?? "routing"): recorded, nobody is paged", db: db)
        } else if urgency == .low {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .suppressed, actor: "routing", method: SentinelState.method,
                                     message: "low urgency by \(rule ?? "routing"): recorded, nobody is paged", db: db)
        }
        if let note = decision.note, !note.isEmpty {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: rule ?? "routing", method: SentinelState.method, message: note, db: db)
        }
    }
}
