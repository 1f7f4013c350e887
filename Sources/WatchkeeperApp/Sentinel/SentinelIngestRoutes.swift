import Foundation
import HTTPServer
import Sentinel
import Storage

/// `POST /api/v1/integrations/:key/sentinel` (the Logic Apps "Microsoft Sentinel incident"
/// trigger body, forwarded whole by a playbook) and `…/azure-monitor` (the common alert schema).
/// Authenticated by the integration key in the path, like `/events`; any live key may post here,
/// whatever its format (the URL says what the body is). 202 only after the commit.
enum SentinelIngestRoutes {
    /// A trigger body carries every alert and entity of the incident: larger than an event.
    static let sentinelBodyLimit = 4 * 1024 * 1024
    /// The answer: the outcome and the alert's id.
    struct Answer: Encodable {
        var status = "success"
        var outcome: String
        var message: String
        var dedupKey: String
        var alertId: String?
        var changes: [String]

        private enum CodingKeys: String, CodingKey { case status, outcome, message, dedupKey = "dedup_key", alertId, changes }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(message, forKey: .message)
            try container.encode(dedupKey, forKey: .dedupKey)
            try container.encode(alertId, forKey: .alertId)
            try container.encode(changes, forKey: .changes)
        }
    }

    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource, firstPages: FirstPages?,
                         wake: @escaping @Sendable () -> Void) {
        api.addSchema("SentinelIngestResult", [
            "type": "object", "required": ["status", "outcome", "message", "dedup_key", "alertId", "changes"],
            "properties": [
                "status": ["type": "string", "enum": ["success"]],
                "outcome": ["type": "string", "enum": ["created", "updated", "resolved", "reopened", "recorded", "stale", "own-write"],
                            "description": "stale: older than or the same version as what is held (a retry); nothing changed"],
                "message": ["type": "string"],
                "dedup_key": ["type": "string", "description": "The incident's ARM id lower-cased, or the Azure Monitor alertId lower-cased"],
                "alertId": ["type": ["string", "null"], "description": "The alert the incident drives; null when none (first seen closed)"],
                "changes": ["type": "array", "items": ["type": "string"], "description": "What changed in Sentinel, one line per field"],
            ],
        ])
        let problem = { @Sendable (text: String) in OpenAPIOperation.Response(text, schema: .ref("Problem"), contentType: "application/problem+json") }
        let responses = { @Sendable (what: String, limit: String) -> [Int: OpenAPIOperation.Response] in
            [202: .init("Committed (or recognised as a retry); the alert's id is in alertId", schema: .ref("SentinelIngestResult")),
             400: problem("Not \(what); errors[].field names the member at fault (object.properties.severity); nothing was stored"),
             404: problem("Unknown or revoked integration key"), 413: problem("Body larger than \(limit)"),
             415: problem("The body is not sent as application/json")]
        }
        let keyParameter = OpenAPIOperation.Parameter("key", in: .path, description: "The integration key's secret (any format)")

        api.addPublic(.post, "/api/v1/integrations/:key/sentinel", options: RouteOptions(bodyLimit: sentinelBodyLimit, pathHoldsSecret: true), OpenAPIOperation(
            "ingestSentinelIncident", summary: "Send a Microsoft Sentinel incident: the Logic Apps incident trigger's body, forwarded whole; idempotent",
            tag: "alerts", parameters: [keyParameter],
            requestBody: ["type": "object", "description": "{eventUniqueId, objectSchemaType: Incident, objectEventType, workspaceInfo, workspaceId, object: Incident}"],
            responses: responses("a Sentinel incident trigger body", "4 MiB"))) { request, context in
            try ingest(request, context, database: database, time: time, firstPages: firstPages, wake: wake,
                       parse: LogicAppTrigger.parse(json:), dedupKey: { $0.incident.incidentKey }) { trigger, context, now, db in
                // The workspace's connection names the customer (routing, page text) and the write-back's path.
                if let connection = try SentinelConnectionFacts.matching(subscriptionId: trigger.incident.subscriptionId,
                                                                         resourceGroup: trigger.incident.resourceGroup,
                                                                         workspaceName: trigger.incident.workspace, workspaceId: trigger.workspaceId, db: db) {
                    context.connectionId = connection.id
                    context.customer = connection.customer
                    context.tenantId = connection.tenantId
                }
                return try SentinelState.apply(trigger.incident, source: .webhook, context: context, at: now, firstPages: firstPages, db: db)
            }
        }

        api.addPublic(.post, "/api/v1/integrations/:key/azure-monitor", options: RouteOptions(bodyLimit: AlertRoutes.ingestBodyLimit, pathHoldsSecret: true), OpenAPIOperation(
            "ingestAzureMonitorAlert", summary: "Send an Azure Monitor alert in the common alert schema: Fired triggers, Resolved resolves (dedup on essentials.alertId)",
            tag: "alerts", parameters: [keyParameter],
            requestBody: ["type": "object", "description": "{schemaId: azureMonitorCommonAlertSchema, data: {essentials, alertContext, customProperties}}"],
            responses: responses("an Azure Monitor common alert schema body", "512 KiB"))) { request, context in
            try ingest(request, context, database: database, time: time, firstPages: firstPages, wake: wake,
                       parse: AzureMonitorAlert.parse(json:), dedupKey: { $0.alertId.lowercased() }) { alert, context, now, db in
                try AzureMonitorState.apply(alert, context: context, at: now, firstPages: firstPages, db: db)
            }
        }
    }

    /// One ingest for both payloads: the key checked, the body parsed (400 naming the field), then
    /// applied in one write job with the key's context, and answered after the commit.
    private static func ingest<Payload: Sendable>(
        _ request: HTTPRequest, _ route: RequestContext, database: Database, time: any TimeSource, firstPages: FirstPages?,
        wake: @escaping @Sendable () -> Void, parse payload: (Data) throws -> Payload, dedupKey: (Payload) -> String,
        apply: @escaping @Sendable (Payload, inout SentinelState.Context, Date, Connection) throws -> SentinelState.ApplyResult
    ) throws -> HTTPResponse {
        let secret = try route.parameter("key")
        _ = try AlertStore(database: database, time: time).format(ofKey: secret)
        let body = try parse { try payload(Data(try request.jsonBody())) }
        let now = Date(unixMilliseconds: time.now().unixMilliseconds)
        let result = try database.write { db in
            var context = try ingestContext(secret: secret, db: db)
            return try apply(body, &context, now, db)
        }
        return try answer(result, dedupKey: dedupKey(body), firstPages: firstPages, wake: wake)
    }

    /// The key's service and routing, checked again inside the write: a revoked key stores nothing.
    private static func ingestContext(secret: String, db: Connection) throws -> SentinelState.Context {
        guard let resolved = try IntegrationKeyStore.resolve(secret: secret, db: db) else {
            throw HTTPError(.notFound, detail: "no such integration key (unknown or revoked)")
        }
        return SentinelState.Context(service: resolved.service, integrationKeyId: resolved.key.id, actor: "integration key \(resolved.key.name)",
                                     reopenPolicy: try SentinelKeySettingsRoutes.reopenPolicy(integrationKeyId: resolved.key.id, db: db))
    }

    private static func parse<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SentinelPayloadError {
            throw HTTPError.invalid(error.field, error.reason)
        }
    }

    private static func answer(_ result: SentinelState.ApplyResult, dedupKey: String, firstPages: FirstPages?,
                               wake: @Sendable () -> Void) throws -> HTTPResponse {
        firstPages?.send(result.firstPages)
        if result.outcome != .stale { wake() }
        let message = switch result.outcome {
        case .created: "Alert created"
        case .updated: "Alert updated"
        case .resolved: "Alert resolved"
        case .reopened: "Reopened in Sentinel: new alert"
        case .recorded: "Recorded; no alert"
        case .stale: "Stale or repeated update ignored"
        case .ownWrite: "Our own write's echo; recorded"
        }
        return try HTTPResponse.json(Answer(outcome: result.outcome.rawValue, message: message, dedupKey: dedupKey, alertId: result.alertId,
                                            changes: result.changes), status: .accepted)
    }
}
