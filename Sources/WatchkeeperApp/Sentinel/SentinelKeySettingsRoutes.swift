import Foundation
import HTTPServer
import Storage

/// `GET|PUT /api/v1/services/:id/integration-keys/:keyId/sentinel`: the key's Sentinel options
/// (today the reopen policy; see docs/SENTINEL.md).
enum SentinelKeySettingsRoutes {
    struct Settings: Encodable, Sendable {
        var reopenPolicy: SentinelState.ReopenPolicy
    }

    /// The key's reopen policy inside the caller's job; `new-alert` when never set.
    static func reopenPolicy(integrationKeyId: String, db: Connection) throws -> SentinelState.ReopenPolicy {
        let text = try db.queryOne("SELECT reopen_policy FROM sentinel_key_settings WHERE integration_key_id = ?", [.text(integrationKeyId)])?
            .get("reopen_policy", as: String.self)
        return text.flatMap(SentinelState.ReopenPolicy.init(rawValue:)) ?? .newAlert
    }

    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource) {
        let policies: JSONValue = .array(SentinelState.ReopenPolicy.allCases.map { .string($0.rawValue) })
        api.addSchema("SentinelKeySettings", [
            "type": "object", "required": ["reopenPolicy"], "additionalProperties": false,
            "properties": ["reopenPolicy": ["type": "string", "enum": policies,
                                            "description": "An incident reopened in Sentinel after its alert was resolved: new-alert pages again (default); record-only adds a note"]],
        ])
        let problem = { @Sendable (text: String) in OpenAPIOperation.Response(text, schema: .ref("Problem"), contentType: "application/problem+json") }
        let parameters: [OpenAPIOperation.Parameter] = [.init("id", in: .path, description: "Service id"),
                                                        .init("keyId", in: .path, description: "Integration key id")]
        let path = "/api/v1/services/:id/integration-keys/:keyId/sentinel"

        api.add(.get, path, role: .admin, OpenAPIOperation(
            "getSentinelKeySettings", summary: "The integration key's Microsoft Sentinel options", tag: "services", parameters: parameters,
            responses: [200: .init("The options", schema: .ref("SentinelKeySettings")), 404: problem("No such service or key")])) { _, context, _ in
            let (serviceId, keyId) = (try context.parameter("id"), try context.parameter("keyId"))
            let policy = try database.read { db in
                try requireKey(serviceId: serviceId, keyId: keyId, db: db)
                return try reopenPolicy(integrationKeyId: keyId, db: db)
            }
            return try HTTPResponse.json(Settings(reopenPolicy: policy))
        }

        api.add(.put, path, role: .admin, options: RouteOptions(bodyLimit: 16 * 1024), OpenAPIOperation(
            "putSentinelKeySettings", summary: "Set the integration key's Microsoft Sentinel options", tag: "services", parameters: parameters,
            requestBody: .ref("SentinelKeySettings"),
            responses: [200: .init("The stored options", schema: .ref("SentinelKeySettings")),
                        400: problem("Invalid body; errors[].field names the member"), 404: problem("No such service or key"),
                        415: problem("The body is not sent as application/json")])) { request, context, _ in
            let (serviceId, keyId) = (try context.parameter("id"), try context.parameter("keyId"))
            let body = try request.decodeJSONValue()
            guard case .object(let members) = body else { throw HTTPError(.badRequest, detail: "the body must be a JSON object") }
            for member in members.keys.sorted() where member != "reopenPolicy" {
                throw HTTPError.invalid(member, "unknown field; the known one is reopenPolicy")
            }
            guard case .string(let text)? = members["reopenPolicy"], let policy = SentinelState.ReopenPolicy(rawValue: text) else {
                throw HTTPError.invalid("reopenPolicy", "must be one of \(SentinelState.ReopenPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let now = time.now()
            try database.write { db in
                try requireKey(serviceId: serviceId, keyId: keyId, db: db)
                try db.run("""
                    INSERT INTO sentinel_key_settings (integration_key_id, reopen_policy, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (integration_key_id) DO UPDATE SET reopen_policy = excluded.reopen_policy, updated_at = excluded.updated_at
                    """, [.text(keyId), .text(policy.rawValue), SQLValue(now)])
            }
            return try HTTPResponse.json(Settings(reopenPolicy: policy))
        }
    }

    private static func requireKey(serviceId: String, keyId: String, db: Connection) throws {
        guard try db.queryOne("SELECT 1 FROM integration_keys WHERE id = ? AND service_id = ?", [.text(keyId), .text(serviceId)]) != nil else {
            throw HTTPError(.notFound, detail: "service \(serviceId) has no integration key \(keyId)")
        }
    }
}
