import Foundation
import HTTPServer
import Sentinel
import Storage

/// The one idempotent "apply Sentinel state" function: the playbook webhook and the poller both
/// feed every incident version they see through `apply`, inside one write job. Versions are
/// ordered by `lastModifiedTimeUtc` (all 7 fractional digits), then etag: an older or identical
/// version changes nothing, so Logic App retries and poll overlaps are harmless.
enum SentinelState {
    static let method = "sentinel"
    static let sentinelActor = "Microsoft Sentinel"

    enum Source: String, Sendable {
        case webhook
        case poll
    }

    /// What happens when an incident closed in Sentinel comes back as New or Active.
    enum ReopenPolicy: String, Codable, Sendable, CaseIterable {
        /// A new alert (pages again); the resolved one stays as it was. The default.
        case newAlert = "new-alert"
        /// Recorded on the resolved alert's timeline; nobody is paged.
        case recordOnly = "record-only"
    }

    /// Where an incident's alerts go and who brought it.
    struct Context: Sendable {
        /// The integration key's service (or the connection's default key's): alerts go there unless
        /// a routing rule says otherwise. Nil: incidents are recorded without an alert (a poll of a
        /// connection without a default integration key).
        var service: Service?
        /// Whose routing rules apply; nil: none (default routing).
        var integrationKeyId: String?
        /// The timeline's actor for what the source did ("integration key Sentinel contoso").
        var actor: String
        var connectionId: String?
        /// The connection's customer name, for routing and the page text.
        var customer: String?
        /// The connection's Entra tenant (where owners' object ids are looked up for the write-back).
        var tenantId: String?
        var reopenPolicy: ReopenPolicy = .newAlert
        /// The routing decision for a key's incident; `IntegrationRouting.decide` except in tests of the actions.
        var decide: @Sendable (_ integrationKeyId: String, _ facts: IncidentFacts, _ now: Date, _ db: Connection) throws -> RoutingDecision = {
            try IntegrationRouting.decide(integrationKeyId: $0, facts: $1, at: $2, db: $3)
        }
    }

    /// The context of an integration key by id (a connection's default key, or the key an incident
    /// came in by): its service, routing rules and reopen policy. Nil when the key or its service is gone.
    static func context(integrationKeyId: String, actor: String, connection: SentinelConnectionFacts?, db: Connection) throws -> Context? {
        guard let row = try db.queryOne("SELECT service_id FROM integration_keys WHERE id = ? AND revoked_at IS NULL", [.text(integrationKeyId)]),
              let service = try SentinelIncidentStore.service(id: try row.get("service_id"), db: db) else { return nil }
        return Context(service: service, integrationKeyId: integrationKeyId, actor: actor, connectionId: connection?.id, customer: connection?.customer,
                       tenantId: connection?.tenantId, reopenPolicy: try SentinelKeySettingsRoutes.reopenPolicy(integrationKeyId: integrationKeyId, db: db))
    }

    /// The context for a service by id; the reopen policy is the integration key's when one is
    /// given. 404 when the service does not exist.
    static func context(serviceId: String, integrationKeyId: String?, actor: String, connectionId: String?, customer: String?,
                        db: Connection) throws -> Context {
        guard let service = try SentinelIncidentStore.service(id: serviceId, db: db) else {
            throw HTTPError(.notFound, detail: "no service \(serviceId)")
        }
        let policy = try integrationKeyId.map { try SentinelKeySettingsRoutes.reopenPolicy(integrationKeyId: $0, db: db) } ?? .newAlert
        return Context(service: service, integrationKeyId: integrationKeyId, actor: actor, connectionId: connectionId, customer: customer, reopenPolicy: policy)
    }

    /// The context an incident already held keeps (its key's routing, its service), for the poller
    /// and the write-back; a context without a service when the incident never had one.
    static func context(held: SentinelIncidentStore.Record, actor: String, connection: SentinelConnectionFacts?, db: Connection) throws -> Context {
        if let keyId = held.integrationKeyId, var context = try context(integrationKeyId: keyId, actor: actor, connection: connection, db: db) {
            if let serviceId = held.serviceId, let service = try SentinelIncidentStore.service(id: serviceId, db: db) { context.service = service }
            return context
        }
        let service = try held.serviceId.flatMap { try SentinelIncidentStore.service(id: $0, db: db) }
        return Context(service: service, integrationKeyId: nil, actor: actor, connectionId: connection?.id ?? held.connectionId,
                       customer: connection?.customer, tenantId: connection?.tenantId ?? held.tenantId)
    }

    struct ApplyResult: Sendable {
        enum Outcome: String, Sendable {
            /// A new alert for a new incident.
            case created
            /// A newer version changed the mirror and the alert.
            case updated
            /// Closed in Sentinel: the alert was resolved.
            case resolved
            /// Closed → New/Active: a new alert (policy new-alert).
            case reopened
            /// Stored without an alert (an incident first seen closed, or a reopen under record-only).
            case recorded
            /// Older than, or the same version as, what is held: nothing changed.
            case stale
            /// The echo of one of our own writes (its etag is in own_etags): the mirror follows, the timeline does not.
            case ownWrite = "own-write"
        }

        var outcome: Outcome
        /// The alert the incident drives (nil when it has none).
        var alertId: String?
        /// One line per field that changed ("owner: unassigned → Alex Morgan").
        var changes: [String] = []
        /// A new alert's first pages, claimed in the same commit; send them after it.
        var firstPages: [ClaimedMessage] = []
    }

    /// Applies one version of `incident` inside the caller's write job. `ours`: the version is the
    /// answer to our own PUT of that change (the write-back): the fields we wrote are taken without
    /// being reported as Sentinel's changes; whatever else changed is applied like any version.
    static func apply(_ incident: SentinelIncident, source: Source, context: Context, writtenByUs ours: SentinelWriteChange? = nil, at now: Date,
                      firstPages: FirstPages?, db: Connection) throws -> ApplyResult {
        guard let held = try SentinelIncidentStore.fetch(incidentKey: incident.incidentKey, db: db) else {
            return try applyNew(incident, source: source, context: context, at: now, firstPages: firstPages, db: db)
        }
        // An open incident recorded without an alert (polled, no default key) gets one from the
        // first path that can open alerts, even for the version already held.
        let unopened = held.alertId == nil && held.serviceId == nil && incident.status != .closed && context.service != nil
        let sameVersion = incident.lastModified == held.lastModified && incident.etag == held.etag
        if incident.lastModified < held.lastModified || (sameVersion && !unopened) {
            return ApplyResult(outcome: .stale, alertId: held.alertId)
        }
        let own = ours == nil && held.ownEtags.contains(incident.etag)
        let changedAt = own ? (held.ownerChangedAt, held.severityChangedAt) : dating(held, incident, ours: ours)
        func save(alertId: String?, serviceId: String?) throws {
            try SentinelIncidentStore.save(incident, alertId: alertId, serviceId: serviceId, integrationKeyId: context.integrationKeyId,
                                           connectionId: context.connectionId, tenantId: context.tenantId, changedAt: changedAt, at: now, db: db)
        }
        if unopened {
            let opened = try openAlert(incident, context: context, reason: "first alert for an incident recorded without one (\(source.rawValue))",
                                       now: now, firstPages: firstPages, db: db)
            try save(alertId: opened.alertId, serviceId: opened.serviceId)
            return ApplyResult(outcome: .created, alertId: opened.alertId, firstPages: opened.pages)
        }
        let alertStatus = try held.alertId.flatMap { try db.queryOne("SELECT status FROM alerts WHERE id = ?", [.text($0)])?.get("status", as: String.self) }
            .flatMap(AlertStatus.init(rawValue:))
        // What we wrote is what we expect to see: only the rest is Sentinel's change.
        let expected = ours.map { held.expecting($0, seen: incident) } ?? held
        let changes = self.changes(from: expected, to: incident)
        if own {
            try save(alertId: held.alertId, serviceId: held.serviceId)
            if let alertId = held.alertId { try updateAlert(alertId, incident, context: context, now: now, db: db) }
            return ApplyResult(outcome: .ownWrite, alertId: held.alertId, changes: changes)
        }
        let actor = incident.owner.displayName ?? sentinelActor

        // Closed → New/Active in Sentinel after our alert was resolved: the reopen policy decides.
        if incident.status != .closed, expected.status == .closed, alertStatus == nil || alertStatus == .resolved {
            if context.reopenPolicy == .newAlert, context.service != nil {
                let opened = try openAlert(incident, context: context, reason: "reopened in Sentinel (\(held.status.rawValue) → \(incident.status.rawValue))",
                                           now: now, firstPages: firstPages, db: db)
                try save(alertId: opened.alertId, serviceId: opened.serviceId)
                return ApplyResult(outcome: .reopened, alertId: opened.alertId, changes: changes, firstPages: opened.pages)
            }
            if let alertId = held.alertId {
                try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: actor, method: method,
                                         message: "reopened in Sentinel as \(incident.status.rawValue); reopen policy record-only: no new alert", db: db)
            }
            try save(alertId: held.alertId, serviceId: held.serviceId)
            return ApplyResult(outcome: .recorded, alertId: held.alertId, changes: changes)
        }

        guard let alertId = held.alertId else {
            // Seen closed before, still closed, or recorded without an alert: only the mirror moves.
            try save(alertId: nil, serviceId: held.serviceId)
            return ApplyResult(outcome: .recorded, alertId: nil, changes: changes)
        }
        try updateAlert(alertId, incident, context: context, now: now, db: db)
        for change in changes {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: actor, method: method, message: "changed in Sentinel: \(change)", db: db)
        }
        var outcome = ApplyResult.Outcome.updated
        var pages: [ClaimedMessage] = []
        if incident.status == .closed, let status = alertStatus, status != .resolved {
            let judged = [incident.classification?.rawValue, incident.classificationReason?.rawValue].compactMap { $0 }.joined(separator: " / ")
            let comment = incident.classificationComment.map { ": \($0)" } ?? ""
            try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: actor, method: method,
                                     message: "closed in Sentinel by \(actor)" + (judged.isEmpty ? "" : " as \(judged)") + comment, db: db)
            _ = try AlertStore.change(alertId, to: .resolved, actor: actor, method: method, actorUserId: nil, at: now, db: db)
            outcome = .resolved
        } else if incident.severity > expected.severity, alertStatus == .triggered, context.service != nil {
            pages = try pageAfterRaise(alertId, incident, context: context, now: now, firstPages: firstPages, db: db)
        }
        try save(alertId: alertId, serviceId: held.serviceId)
        return ApplyResult(outcome: outcome, alertId: alertId, changes: changes, firstPages: pages)
    }

    /// When someone else last changed the owner and the severity: the version's lastModifiedTimeUtc
    /// when it shows a value other than the one held and other than the one we wrote (`ours`).
    static func dating(_ held: SentinelIncidentStore.Record, _ incident: SentinelIncident, ours: SentinelWriteChange?) -> (owner: Date?, severity: Date?) {
        let at = SentinelSyncIncident.parseTime(incident.lastModified.text)
        let owner = incident.owner.objectId?.lowercased()
        let ownerByOthers = owner != held.ownerObjectId?.lowercased() && owner != ours?.ownerObjectId?.lowercased()
        let severityByOthers = incident.severity != held.severity && incident.severity.rawValue != ours?.severity
        return (ownerByOthers ? at : held.ownerChangedAt, severityByOthers ? at : held.severityChangedAt)
    }

    private static func applyNew(_ incident: SentinelIncident, source: Source, context: Context, at now: Date, firstPages: FirstPages?,
                                 db: Connection) throws -> ApplyResult {
        guard incident.status != .closed, context.service != nil else {
            // Already closed when first seen (a poll's first pass), or polled for a connection
            // without a default integration key: recorded, nothing to page for.
            try SentinelIncidentStore.save(incident, alertId: nil, serviceId: context.service?.id, integrationKeyId: context.integrationKeyId,
                                           connectionId: context.connectionId, tenantId: context.tenantId, at: now, db: db)
            return ApplyResult(outcome: .recorded, alertId: nil)
        }
        let opened = try openAlert(incident, context: context, reason: "new incident (\(source.rawValue))", now: now, firstPages: firstPages, db: db)
        try SentinelIncidentStore.save(incident, alertId: opened.alertId, serviceId: opened.serviceId, integrationKeyId: context.integrationKeyId,
                                       connectionId: context.connectionId, tenantId: context.tenantId, at: now, db: db)
        return ApplyResult(outcome: .created, alertId: opened.alertId, firstPages: opened.pages)
    }

    /// A new alert for `incident`, routed by the integration key's rules; the routing decision is on its timeline.
    private static func openAlert(_ incident: SentinelIncident, context: Context, reason: String, now: Date, firstPages: FirstPages?,
                                  db: Connection) throws -> (alertId: String, serviceId: String, pages: [ClaimedMessage]) {
        let facts = IncidentFacts(incident: incident, customer: context.customer)
        let event = try alertEvent(incident, context: context)
        let routed = try SentinelIngestDecision.make(facts: facts, context: context, at: now, db: db)
        var routedEvent = event
        routedEvent.urgency = routed.urgency
        let id = SortableID.make(prefix: AlertStore.idPrefix, at: now)
        let pages = try AlertStore.open(id: id, service: routed.service, dedupKey: incident.incidentKey, event: routedEvent, encoded: try encoded(event),
                                        actor: context.actor, method: method, createdMessage: "created from a Microsoft Sentinel incident, \(reason): \(event.summary)",
                                        paging: routed.pages, now: now, firstPages: firstPages, db: db)
        try routed.record(alertId: id, at: now, db: db)
        return (id, routed.service.id, pages)
    }

    /// A raised severity may page an alert routing kept quiet: routing decides again, and if it now
    /// pages (and nothing pages yet), the alert becomes high urgency and its escalation starts.
    private static func pageAfterRaise(_ alertId: String, _ incident: SentinelIncident, context: Context, now: Date, firstPages: FirstPages?,
                                       db: Connection) throws -> [ClaimedMessage] {
        guard try db.queryOne("SELECT alert_id FROM alert_escalations WHERE alert_id = ?", [.text(alertId)]) == nil else { return [] }
        let routed = try SentinelIngestDecision.make(facts: IncidentFacts(incident: incident, customer: context.customer), context: context, at: now, db: db)
        guard routed.pages else { return [] }
        let serviceId: String = try AlertStore.fetch(alertId, db: db).serviceId
        guard let service = try SentinelIncidentStore.service(id: serviceId, db: db), service.escalationPolicyId != nil, !service.isInMaintenance(at: now) else {
            return []
        }
        try db.run("UPDATE alerts SET urgency = ? WHERE id = ?", [.text((routed.urgency ?? service.urgency).rawValue), .text(alertId)])
        try TimelineEntry.append(alertId: alertId, at: now, kind: .note, actor: sentinelActor, method: method,
                                 message: "severity raised to \(incident.severity.rawValue) in Sentinel; routing now pages: \(routed.explanation)", db: db)
        try AlertLifecycle.opened(alertId: alertId, service: service, at: now, db: db)
        return firstPages?.prepare(alertId: alertId, at: now, db: db) ?? []
    }

    /// The alert's summary, details and links follow the incident's newest version.
    private static func updateAlert(_ alertId: String, _ incident: SentinelIncident, context: Context, now: Date, db: Connection) throws {
        let event = try alertEvent(incident, context: context)
        let (details, links) = try encoded(event)
        try db.run("""
            UPDATE alerts SET summary = ?, details = ?, links = ?, source = ?, severity = ?, last_event_at = ?, event_count = event_count + 1 WHERE id = ?
            """, [.text(event.summary), .text(details), .text(links), event.source.map { .text($0) } ?? .null, .text(incident.severity.rawValue),
                  SQLValue(now), .text(alertId)])
    }

    /// What changed between the version held and `incident`, one line per field people care about.
    static func changes(from held: SentinelIncidentStore.Record, to incident: SentinelIncident) -> [String] {
        var lines: [String] = []
        if held.status != incident.status { lines.append("status \(held.status.rawValue) → \(incident.status.rawValue)") }
        if held.ownerObjectId?.lowercased() != incident.owner.objectId?.lowercased() || held.ownerName != incident.owner.displayName {
            lines.append("owner \(held.ownerName ?? held.ownerObjectId ?? "unassigned") → \(incident.owner.displayName ?? incident.owner.objectId ?? "unassigned")")
        }
        if held.severity != incident.severity { lines.append("severity \(held.severity.rawValue) → \(incident.severity.rawValue)") }
        if held.classification != incident.classification?.rawValue || held.classificationReason != incident.classificationReason?.rawValue {
            let now = [incident.classification?.rawValue, incident.classificationReason?.rawValue].compactMap { $0 }.joined(separator: " / ")
            lines.append("classification \(now.isEmpty ? "none" : now)")
        }
        if held.title != incident.title { lines.append("title \"\(incident.title)\"") }
        return lines
    }

    /// The generic alert fields of an incident: the page text as summary, every mapped field in
    /// details, the portal link.
    static func alertEvent(_ incident: SentinelIncident, context: Context) throws -> AlertEvent {
        let owner: JSONValue = incident.owner.isAssigned
            ? .object(["objectId": text(incident.owner.objectId), "name": text(incident.owner.assignedTo), "email": text(incident.owner.email),
                       "userPrincipalName": text(incident.owner.userPrincipalName), "ownerType": text(incident.owner.ownerType)])
            : .null
        let details: JSONValue = .object([
            "source": "Microsoft Sentinel",
            "armId": .string(incident.armId),
            "incidentNumber": incident.incidentNumber.map { .number(Double($0)) } ?? .null,
            "incidentUrl": text(incident.incidentUrl),
            "title": .string(incident.title),
            "description": .string(incident.description),
            "severity": .string(incident.severity.rawValue),
            "status": .string(incident.status.rawValue),
            "owner": owner,
            "classification": text(incident.classification?.rawValue),
            "classificationReason": text(incident.classificationReason?.rawValue),
            "classificationComment": text(incident.classificationComment),
            "workspace": text(incident.workspace),
            "customer": text(context.customer),
            "subscriptionId": text(incident.subscriptionId),
            "resourceGroup": text(incident.resourceGroup),
            "providerName": text(incident.providerName),
            "tactics": .array(incident.tactics.map(JSONValue.string)),
            "techniques": .array(incident.techniques.map(JSONValue.string)),
            "alertProductNames": .array(incident.alertProductNames.map(JSONValue.string)),
            "labels": .array(incident.labels.map(JSONValue.string)),
            "alerts": .array(incident.alerts.map { alert in
                .object(["name": .string(alert.alertDisplayName), "productName": text(alert.productName), "severity": text(alert.severity),
                         "tactics": .array(alert.tactics.map(JSONValue.string))])
            }),
            "entities": .array(incident.entities.map { .object(["kind": .string($0.kind), "value": .string($0.value)]) }),
            "lastModifiedTimeUtc": .string(incident.lastModified.text),
            "etag": .string(incident.etag),
        ])
        let number = incident.incidentNumber.map { " #\($0)" } ?? ""
        return AlertEvent(action: .trigger, dedupKey: incident.incidentKey, summary: SentinelPageText.summary(incident, customer: context.customer),
                          details: details, links: incident.incidentUrl.map { [AlertLink(href: $0, text: "Microsoft Sentinel incident\(number)")] } ?? [],
                          source: incident.workspace, severity: incident.severity.rawValue)
    }

    static func encoded(_ event: AlertEvent) throws -> (details: String, links: String) {
        (try AlertStore.jsonText(event.details), try AlertStore.jsonText(event.links))
    }

    private static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}
