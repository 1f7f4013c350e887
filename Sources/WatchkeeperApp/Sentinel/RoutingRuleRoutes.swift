import Foundation
import HTTPServer
import Sentinel
import Storage

/// `/api/v1/services/:id/integration-keys/:keyId/routing-rules`: read (viewer), replace the
/// whole ordered list (admin), and evaluate rules against a posted incident without creating
/// anything (`/test`, responder: a POST, and viewers never POST).
enum RoutingRuleRoutes {
    struct ReplaceRequest: Decodable {
        var rules: [RoutingRule]
    }

    struct RulesAnswer: Encodable {
        var rules: [StoredRoutingRule]
    }

    struct TestRequest: Decodable {
        var facts: RoutingTestFacts?
        var customer: String?
        var at: Date?
        var rules: [RoutingRule]?
    }

    struct TestAnswer: Encodable {
        struct MatchedRule: Encodable {
            var id: String
            var name: String
            var position: Int
        }

        var at: Date
        var matched: Bool
        var rule: MatchedRule?
        /// The service the alert would land on: the rule's, else the key's own.
        var serviceId: String
        var urgency: RoutingDecision.Urgency?
        var suppress: Bool
        var note: String?
        var explanation: [String]
        var facts: RoutingTestFacts

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(at, forKey: .at)
            try container.encode(matched, forKey: .matched)
            try container.encode(rule, forKey: .rule)  // explicit null: no rule matched
            try container.encode(serviceId, forKey: .serviceId)
            try container.encode(urgency, forKey: .urgency)
            try container.encode(suppress, forKey: .suppress)
            try container.encode(note, forKey: .note)
            try container.encode(explanation, forKey: .explanation)
            try container.encode(facts, forKey: .facts)
        }

        private enum CodingKeys: String, CodingKey { case at, matched, rule, serviceId, urgency, suppress, note, explanation, facts }
    }

    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource) {
        api.addSchemas(RoutingRuleSchemas.all)
        let store = RoutingRuleStore(database: database, time: time)
        let fields = SchemaFieldCheck(schemas: RoutingRuleSchemas.all)
        let problem = { @Sendable (text: String) in OpenAPIOperation.Response(text, schema: .ref("Problem"), contentType: "application/problem+json") }
        let parameters: [OpenAPIOperation.Parameter] = [.init("id", in: .path, description: "Service id"),
                                                       .init("keyId", in: .path, description: "Integration key id")]
        let path = "/api/v1/services/:id/integration-keys/:keyId/routing-rules"
        let rulesSchema: JSONValue = ["type": "object", "required": ["rules"], "additionalProperties": false,
                                      "properties": ["rules": ["type": "array", "items": .ref("RoutingRule")]]]

        api.add(.get, path, role: .viewer, OpenAPIOperation(
            "listRoutingRules", summary: "The integration key's routing rules, in order: the first whose conditions all hold decides", tag: "services",
            parameters: parameters,
            responses: [200: .init("The ordered rules", schema: rulesSchema), 404: problem("No such service or key")])) { _, context, _ in
            try HTTPResponse.json(RulesAnswer(rules: try store.list(serviceId: try context.parameter("id"), keyId: try context.parameter("keyId"))))
        }

        api.add(.put, path, role: .admin, options: RouteOptions(bodyLimit: 1024 * 1024), OpenAPIOperation(
            "replaceRoutingRules", summary: "Replace the integration key's whole ordered list of routing rules at once; an invalid list changes nothing",
            tag: "services", parameters: parameters, requestBody: rulesSchema,
            responses: [200: .init("Saved; the rules with their ids", schema: rulesSchema),
                        400: problem("Invalid rules; errors[].field names the member, e.g. rules.2.conditions.titleMatches"),
                        404: problem("No such service or key"), 415: problem("The body is not sent as application/json")])) { request, context, _ in
            let unknown = fields.unknownFields(in: try request.decodeJSONValue(), schema: rulesSchema)
            guard unknown.isEmpty else { throw HTTPError(.badRequest, detail: unknown.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: unknown) }
            let body = try request.decodeJSON(ReplaceRequest.self)
            let saved = try store.replace(serviceId: try context.parameter("id"), keyId: try context.parameter("keyId"), rules: body.rules)
            return try HTTPResponse.json(RulesAnswer(rules: saved))
        }

        let testSchema: JSONValue = [
            "type": "object", "additionalProperties": false,
            "description": "Exactly one of facts, sentinel or azureMonitor",
            "properties": [
                "facts": .ref("RoutingFacts"),
                "sentinel": ["type": "object", "description": "A Logic Apps Microsoft Sentinel incident trigger body, as the playbook forwards it"],
                "azureMonitor": ["type": "object", "description": "An Azure Monitor common alert schema body"],
                "customer": ["type": "string", "description": "The customer name the rules see (a connection's customer name)"],
                "at": ["type": "string", "format": "date-time", "description": "Evaluate at this instant (time windows, on-call); default now"],
                "rules": ["type": "array", "items": .ref("RoutingRule"), "description": "Evaluate these draft rules instead of the saved ones"],
            ],
        ]
        api.add(.post, "\(path)/test", role: .responder, options: RouteOptions(bodyLimit: 1024 * 1024), OpenAPIOperation(
            "testRoutingRules", summary: "Evaluate the key's routing rules against a posted incident: which rule matched and why; creates nothing",
            tag: "services", parameters: parameters, requestBody: testSchema,
            responses: [200: .init("The decision and the explanation of every condition checked", schema: [
                            "type": "object", "required": ["at", "matched", "rule", "serviceId", "urgency", "suppress", "note", "explanation", "facts"],
                            "properties": [
                                "at": ["type": "string", "format": "date-time"], "matched": ["type": "boolean"],
                                "rule": ["type": ["object", "null"], "properties": ["id": ["type": "string"], "name": ["type": "string"], "position": ["type": "integer"]]],
                                "serviceId": ["type": "string", "description": "Where the alert would land"],
                                "urgency": ["type": ["string", "null"], "enum": ["high", "low", .null], "description": "null: the service's urgency"],
                                "suppress": ["type": "boolean"], "note": ["type": ["string", "null"]],
                                "explanation": ["type": "array", "items": ["type": "string"]], "facts": .ref("RoutingFacts"),
                            ]]),
                        400: problem("Invalid body; errors[].field names the member"), 404: problem("No such service or key"),
                        415: problem("The body is not sent as application/json")])) { request, context, _ in
            let serviceId = try context.parameter("id")
            let keyId = try context.parameter("keyId")
            let value = try request.decodeJSONValue()
            let unknown = fields.unknownFields(in: value, schema: testSchema)
            guard unknown.isEmpty else { throw HTTPError(.badRequest, detail: unknown.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: unknown) }
            let body = try request.decodeJSON(TestRequest.self)
            let facts = try facts(body, value)
            let at = body.at ?? time.now()
            if let draft = body.rules { try RoutingRuleStore.validate(draft) }
            let decision = try database.read { db in
                try RoutingRuleStore.requireKey(serviceId: serviceId, keyId: keyId, db)
                if let draft = body.rules { try RoutingRuleStore.requireReferences(draft, db) }
                let rules = try body.rules ?? RoutingRuleStore.rules(integrationKeyId: keyId, db: db)
                let decision = try IntegrationRouting.decide(rules: rules, facts: facts, at: at, db: db)
                return (decision, decision.ruleId.flatMap { id in rules.first { $0.id == id } })
            }
            let (routed, rule) = decision
            return try HTTPResponse.json(TestAnswer(
                at: at, matched: rule != nil, rule: rule.map { .init(id: $0.id, name: $0.name, position: routed.rulePosition ?? 0) },
                serviceId: routed.serviceId ?? serviceId, urgency: routed.urgency, suppress: routed.suppress, note: routed.note,
                explanation: routed.explanation, facts: RoutingTestFacts(facts)))
        }
    }

    /// The facts of exactly one of `facts`, `sentinel` (parsed like the ingest does) or `azureMonitor`.
    private static func facts(_ body: TestRequest, _ value: JSONValue) throws -> IncidentFacts {
        let given = [body.facts != nil, value["sentinel"] != nil, value["azureMonitor"] != nil].filter { $0 }.count
        guard given == 1 else { throw HTTPError.invalid("facts", "send exactly one of facts, sentinel or azureMonitor") }
        if var facts = body.facts?.facts {
            if let customer = body.customer { facts.customer = customer }
            return facts
        }
        do {
            if let sentinel = value["sentinel"] {
                let trigger = try LogicAppTrigger.parse(json: try JSON.encoder.encode(sentinel))
                return IncidentFacts(incident: trigger.incident, customer: body.customer)
            }
            let alert = try AzureMonitorAlert.parse(json: try JSON.encoder.encode(value["azureMonitor"] ?? .null))
            return IncidentFacts(azureMonitor: alert, customer: body.customer)
        } catch let error as SentinelPayloadError {
            let prefix = value["sentinel"] != nil ? "sentinel" : "azureMonitor"
            throw HTTPError.invalid(error.field.isEmpty ? prefix : "\(prefix).\(error.field)", error.reason)
        }
    }
}
