import Foundation
import HTTPServer
import Sentinel
import Storage

/// Applies an Azure Monitor common-schema alert inside the caller's write job: `Fired` opens an
/// alert (dedup key: `essentials.alertId` lower-cased, whichever service routing chose) or
/// counts a repeat; `Resolved` resolves the open one. A retried `Fired` of an instance already
/// resolved (same `firedDateTime`) opens nothing.
enum AzureMonitorState {
    static let method = "azure-monitor"
    static let actor = "Azure Monitor"

    static func apply(_ alert: AzureMonitorAlert, context: SentinelState.Context, at now: Date, firstPages: FirstPages?,
                      db: Connection) throws -> SentinelState.ApplyResult {
        let key = alert.alertId.lowercased()
        let latest = try db.queryOne("SELECT id, status, json_extract(details, '$.firedDateTime') AS fired FROM alerts WHERE dedup_key = ? ORDER BY created_at DESC, id DESC LIMIT 1",
                                     [.text(key)])
        let latestId: String? = try latest?.get("id")
        let latestOpen = try latest.map { try $0.get("status", as: String.self) != AlertStatus.resolved.rawValue } ?? false
        let event = try alertEvent(alert, context: context)

        guard alert.fired else {
            guard let latestId, latestOpen else { return .init(outcome: .stale, alertId: latestId) }
            _ = try AlertStore.change(latestId, to: .resolved, actor: actor, method: method, actorUserId: nil, at: now, db: db)
            return .init(outcome: .resolved, alertId: latestId)
        }
        if let latestId, latestOpen {
            let (details, links) = try SentinelState.encoded(event)
            try db.run("UPDATE alerts SET summary = ?, details = ?, links = ?, severity = ?, last_event_at = ?, event_count = event_count + 1 WHERE id = ?",
                       [.text(event.summary), .text(details), .text(links), .text(alert.severity.rawValue), SQLValue(now), .text(latestId)])
            try TimelineEntry.append(alertId: latestId, at: now, kind: .deduplicated, actor: context.actor, method: method,
                                     message: "Azure Monitor fired again for \(alert.alertRule)", db: db)
            return .init(outcome: .updated, alertId: latestId)
        }
        if let latestId, let fired = alert.firedDateTime, try latest?.get("fired", as: String?.self) == fired {
            return .init(outcome: .stale, alertId: latestId)
        }
        let facts = IncidentFacts(azureMonitor: alert, customer: context.customer)
        let routed = try SentinelIngestDecision.make(facts: facts, context: context, at: now, db: db)
        var routedEvent = event
        routedEvent.urgency = routed.urgency
        let id = SortableID.make(prefix: AlertStore.idPrefix, at: now)
        let pages = try AlertStore.open(id: id, service: routed.service, dedupKey: key, event: routedEvent, encoded: try SentinelState.encoded(event),
                                        actor: context.actor, method: method, createdMessage: "created from an Azure Monitor alert (\(alert.azureSeverity)): \(event.summary)",
                                        paging: routed.pages, now: now, firstPages: firstPages, db: db)
        try routed.record(alertId: id, at: now, db: db)
        return .init(outcome: .created, alertId: id, firstPages: pages)
    }

    static func alertEvent(_ alert: AzureMonitorAlert, context: SentinelState.Context) throws -> AlertEvent {
        let details: JSONValue = .object([
            "source": "Azure Monitor",
            "alertId": .string(alert.alertId),
            "alertRule": .string(alert.alertRule),
            "severity": .string(alert.severity.rawValue),
            "azureSeverity": .string(alert.azureSeverity),
            "monitorCondition": .string(alert.fired ? "Fired" : "Resolved"),
            "description": .string(alert.description),
            "firedDateTime": alert.firedDateTime.map(JSONValue.string) ?? .null,
            "signalType": alert.signalType.map(JSONValue.string) ?? .null,
            "monitoringService": alert.monitoringService.map(JSONValue.string) ?? .null,
            "targets": .array(alert.targets.map(JSONValue.string)),
            "dimensions": .array(alert.dimensions.map { .object(["name": .string($0.name), "value": .string($0.value)]) }),
            "customProperties": .object(alert.customProperties.mapValues(JSONValue.string)),
            "customer": (context.customer ?? alert.customProperties["customer"]).map(JSONValue.string) ?? .null,
        ])
        let links = alert.links.enumerated().map { AlertLink(href: $0.element, text: $0.offset == 0 ? "Search results" : "Search results \($0.offset + 1)") }
        return AlertEvent(action: .trigger, dedupKey: alert.alertId.lowercased(), summary: SentinelPageText.summary(alert, customer: context.customer),
                          details: details, links: links, source: alert.workspace, severity: alert.severity.rawValue)
    }
}
