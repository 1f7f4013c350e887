import Foundation
import HTTPServer
import Storage

/// `/api/v1/alerts…` for people and scripts (API keys), and the ingest URL for sources
/// (`/api/v1/integrations/:key/events`, authenticated only by the key in the path).
enum AlertRoutes {
    static let ingestBodyLimit = 512 * 1024

    struct NoteRequest: Decodable {
        var text: String
    }

    /// `wake` runs after each commit that gives the engine work (a new alert, an acknowledge).
    /// `firstPages`: fire a new alert's first step in its ingest commit (nil: leave it to the engine).
    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource, firstPages: FirstPages? = nil,
                         wake: @escaping @Sendable () -> Void) {
        let store = AlertStore(database: database, time: time, firstPages: firstPages)
        api.addSchemas(AlertSchemas.all)
        let problem = { @Sendable (text: String) in OpenAPIOperation.Response(text, schema: .ref("Problem"), contentType: "application/problem+json") }
        let alertId = OpenAPIOperation.Parameter("id", in: .path, description: "Alert id")
        let page: [OpenAPIOperation.Parameter] = [
            .init("limit", in: .query, description: "Items per page, 1–\(PageRequest.maximumLimit); default \(PageRequest.defaultLimit)",
                  schema: ["type": "integer", "minimum": 1, "maximum": .number(Double(PageRequest.maximumLimit))]),
            .init("cursor", in: .query, description: "The nextCursor of the previous page"),
        ]

        api.addPublic(.post, "/api/v1/integrations/:key/events", options: RouteOptions(bodyLimit: ingestBodyLimit, pathHoldsSecret: true), OpenAPIOperation(
            "ingestEvent", summary: "Send an event (PagerDuty Events API v2 or generic body, as the key's format says); authenticated by the key in the URL",
            tag: "alerts", parameters: [.init("key", in: .path, description: "The integration key's secret")],
            requestBody: ["type": "object", "description": "events-v2: {event_action, dedup_key, payload: {summary, severity, source, custom_details}, links}; generic: {action, dedup_key, summary, details, urgency}"],
            responses: [202: .init("Committed; the alert's id is in alertId", schema: .ref("IngestResult")),
                        400: problem("Invalid event; errors[].field names each member at fault (payload.summary); nothing was stored"),
                        404: problem("Unknown or revoked integration key"), 413: problem("Body larger than 512 KiB"),
                        415: problem("The body is not sent as application/json")])) { request, context in
            let secret = try context.parameter("key")
            let format = try store.format(ofKey: secret)
            let body = try request.decodeJSONValue()
            let event = try format == .eventsV2 ? EventsV2Parser.parse(body) : GenericEventParser.parse(body)
            let result = try store.ingest(event, secret: secret)
            firstPages?.send(result.firstPages)
            wake()
            return HTTPResponse(status: .accepted, headers: ["Content-Type": JSON.contentType], body: .bytes(result.json))
        }

        api.add(.get, "/api/v1/alerts", role: .viewer, OpenAPIOperation(
            "listAlerts", summary: "List alerts newest first, a page at a time", tag: "alerts",
            parameters: [
                .init("status", in: .query, description: "Only alerts in this state", schema: ["type": "string", "enum": ["triggered", "acknowledged", "resolved"]]),
                .init("serviceId", in: .query, description: "Only alerts of this service"),
                .init("urgency", in: .query, description: "Only alerts of this urgency", schema: ["type": "string", "enum": ["high", "low"]]),
                .init("from", in: .query, description: "Only alerts created at or after this instant", schema: ["type": "string", "format": "date-time"]),
                .init("to", in: .query, description: "Only alerts created before this instant", schema: ["type": "string", "format": "date-time"]),
            ] + page,
            responses: [200: .init("One page; follow nextCursor for the next", schema: .ref("AlertPage")),
                        400: problem("A malformed filter, limit or cursor; errors[].field names it")])) { request, _, _ in
            try HTTPResponse.json(try store.list(try AlertQuery(request)))
        }

        api.add(.get, "/api/v1/alerts/:id", role: .viewer, OpenAPIOperation(
            "getAlert", summary: "Read an alert", tag: "alerts", parameters: [alertId],
            responses: [200: .init("The alert", schema: .ref("Alert")), 404: problem("No such alert")])) { _, context, _ in
            try HTTPResponse.json(try store.get(try context.parameter("id")))
        }

        api.add(.get, "/api/v1/alerts/:id/timeline", role: .viewer, OpenAPIOperation(
            "getAlertTimeline", summary: "An alert's timeline, oldest entry first, a page at a time", tag: "alerts", parameters: [alertId] + page,
            responses: [200: .init("One page of entries", schema: .ref("TimelinePage")), 400: problem("A malformed limit or cursor"),
                        404: problem("No such alert")])) { request, context, _ in
            let pageRequest = try PageRequest(request, idPrefix: "")
            var after: Int64?
            if let text = pageRequest.after {
                guard let id = Int64(text), id > 0 else { throw HTTPError.invalid("cursor", "is not a cursor from this timeline; pass nextCursor unchanged") }
                after = id
            }
            return try HTTPResponse.json(try store.timeline(try context.parameter("id"), after: after, limit: pageRequest.limit))
        }

        for target in [AlertStatus.acknowledged, .resolved] {
            let verb = target == .acknowledged ? "acknowledge" : "resolve"
            // A resolve may name the Sentinel classification of a linked incident (docs/SENTINEL-SYNC.md).
            let resolveBody: JSONValue = [
                "type": "object", "additionalProperties": false,
                "properties": ["classification": ["type": "string", "enum": ["TruePositive", "BenignPositive", "FalsePositive", "Undetermined"]],
                               "classificationReason": ["type": "string", "enum": ["SuspiciousActivity", "SuspiciousButExpected", "IncorrectAlertLogic", "InaccurateData"]],
                               "comment": ["type": "string", "maxLength": 1000]]]
            api.add(.post, "/api/v1/alerts/:id/\(verb)", role: .responder, OpenAPIOperation(
                "\(verb)Alert", summary: target == .acknowledged ? "Acknowledge an alert as the calling API key (method api); no body"
                    : "Resolve an alert as the calling API key (method api); the optional body names the linked Sentinel incident's classification pair (default: the configured one)",
                tag: "alerts", parameters: [alertId], requestBody: target == .resolved ? resolveBody : nil,
                responses: [200: .init("The changed alert", schema: .ref("Alert")), 404: problem("No such alert"),
                            400: problem("An invalid classification pair or unknown member; errors[].field names it"),
                            409: problem(target == .acknowledged ? "The alert is already acknowledged or resolved" : "The alert is already resolved")])) { request, context, principal in
                let resolution = target == .resolved && !request.body.isEmpty ? try SentinelWriteHook.resolution(from: try request.decodeJSONValue()) : nil
                let alert = try store.change(try context.parameter("id"), to: target, actor: principal.name, method: "api", resolution: resolution)
                wake()
                return try HTTPResponse.json(alert)
            }
        }

        api.add(.post, "/api/v1/alerts/:id/severity", role: .responder, OpenAPIOperation(
            "changeAlertSeverity", summary: "Set an alert's severity; a linked Sentinel incident gets the same severity", tag: "alerts", parameters: [alertId],
            requestBody: ["type": "object", "required": ["severity"], "additionalProperties": false,
                          "properties": ["severity": ["type": "string", "enum": .array(SentinelWriteHook.severities.map { .string($0) })]]],
            responses: [200: .init("The changed alert", schema: .ref("Alert")), 400: problem("Missing or invalid severity"),
                        404: problem("No such alert"), 415: problem("The body is not sent as application/json")])) { request, context, principal in
            guard case .object(let fields) = try request.decodeJSONValue() else { throw HTTPError.invalid("severity", "is required") }
            if let unknown = fields.keys.first(where: { $0 != "severity" }) { throw HTTPError.invalid(unknown, "is not a member of a severity request") }
            guard case .string(let severity)? = fields["severity"] else { throw HTTPError.invalid("severity", "is required and must be a string") }
            return try HTTPResponse.json(try store.changeSeverity(try context.parameter("id"), to: severity, actor: principal.name, method: "api"))
        }

        api.add(.post, "/api/v1/alerts/:id/escalate", role: .responder, OpenAPIOperation(
            "escalateAlert", summary: "Fire the alert's next escalation step now (step 1 again after the last); an acknowledged alert is triggered again; no body",
            tag: "alerts", parameters: [alertId],
            responses: [200: .init("The alert", schema: .ref("Alert")), 404: problem("No such alert"),
                        409: problem("The alert is resolved, or its service has no escalation policy")])) { _, context, principal in
            let alert = try store.escalate(try context.parameter("id"), actor: principal.name, method: "api")
            wake()
            return try HTTPResponse.json(alert)
        }

        api.add(.post, "/api/v1/alerts/:id/notes", role: .responder, options: RouteOptions(bodyLimit: 16 * 1024), OpenAPIOperation(
            "addAlertNote", summary: "Add a note to an alert's timeline (any status)", tag: "alerts", parameters: [alertId],
            requestBody: ["type": "object", "required": ["text"], "additionalProperties": false,
                          "properties": ["text": ["type": "string", "minLength": 1, "maxLength": .number(Double(AlertStore.maximumNoteLength))]]],
            responses: [201: .init("The note's timeline entry", schema: .ref("TimelineEntry")), 400: problem("Missing, empty or unknown members"),
                        404: problem("No such alert"), 415: problem("The body is not sent as application/json")])) { request, context, principal in
            let unknown = SchemaFieldCheck(schemas: [:]).unknownFields(in: try request.decodeJSONValue(),
                                                                        schema: ["type": "object", "additionalProperties": false, "properties": ["text": [:]]])
            guard unknown.isEmpty else { throw HTTPError(.badRequest, detail: unknown.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: unknown) }
            let note = try store.addNote(try context.parameter("id"), text: try request.decodeJSON(NoteRequest.self).text, actor: principal.name, method: "api")
            return try HTTPResponse.json(note, status: .created)
        }
    }
}
