import Foundation
import HTTPServer
import Storage

/// Services (CRUD through the generic layer) and their integration keys:
/// `/api/v1/services/:id/integration-keys[/:keyId]`.
enum ServiceRoutes {
    struct CreateKeyRequest: Decodable {
        var name: String
        var format: IntegrationFormat
    }

    /// The create answer: the key, its secret (this once) and the URL to send events to.
    struct CreatedKey: Encodable {
        var key: IntegrationKey
        var secret: String
        var ingestURL: String
    }

    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource, changes: ScheduleChangeSignal, publicURL: String) {
        let store = ResourceStore(kind: ServiceResource(), database: database, time: time, changes: changes)
        ResourceRoutes(store: store, paths: ResourcePaths(collection: "/api/v1/services", itemParameter: "id"),
                       fields: SchemaFieldCheck(schemas: [:])).register(on: api)

        let keys = IntegrationKeyStore(database: database, time: time)
        let problem = { @Sendable (text: String) in OpenAPIOperation.Response(text, schema: .ref("Problem"), contentType: "application/problem+json") }
        let formats: JSONValue = .array(IntegrationFormat.allCases.map { .string($0.rawValue) })
        api.addSchema("IntegrationKey", [
            "type": "object", "required": ["id", "serviceId", "name", "format", "prefix", "createdAt", "revokedAt"],
            "properties": [
                "id": ["type": "string", "pattern": "^ik_"], "serviceId": ["type": "string"], "name": ["type": "string"],
                "format": ["type": "string", "enum": formats, "description": "events-v2: the PagerDuty Events API v2 body; generic: Watchkeeper's plain body"],
                "prefix": ["type": "string", "description": "The first characters of the secret"],
                "createdAt": ["type": "string", "format": "date-time"],
                "revokedAt": ["type": ["string", "null"], "format": "date-time"],
            ],
        ])
        let service = OpenAPIOperation.Parameter("id", in: .path, description: "Service id")
        let collection = "/api/v1/services/:id/integration-keys"

        api.add(.get, collection, role: .admin, OpenAPIOperation(
            "listIntegrationKeys", summary: "List a service's integration keys (never their secrets), revoked ones included", tag: "services",
            parameters: [service],
            responses: [200: .init("Keys by id", schema: ["type": "object", "required": ["items"], "properties": ["items": ["type": "array", "items": .ref("IntegrationKey")]]]),
                        404: problem("No such service")])) { _, context, _ in
            try HTTPResponse.json(["items": try keys.list(serviceId: try context.parameter("id"))])
        }

        api.add(.post, collection, role: .admin, options: RouteOptions(bodyLimit: 16 * 1024), OpenAPIOperation(
            "createIntegrationKey", summary: "Create an integration key; its secret and ingest URL are shown only in this response", tag: "services",
            parameters: [service],
            requestBody: ["type": "object", "required": ["name", "format"], "additionalProperties": false, "properties": [
                "name": ["type": "string", "minLength": 1, "maxLength": .number(Double(IntegrationKeyStore.maximumNameLength))],
                "format": ["type": "string", "enum": formats],
            ]],
            responses: [201: .init("Created", schema: ["type": "object", "required": ["key", "secret", "ingestURL"], "properties": [
                            "key": .ref("IntegrationKey"), "secret": ["type": "string", "description": "wki_ and 32 base64url characters (192 random bits)"],
                            "ingestURL": ["type": "string", "description": "POST events here: {public URL}/api/v1/integrations/{secret}/events"]]]),
                        400: problem("Invalid body; errors[].field names the member"), 404: problem("No such service"),
                        415: problem("The body is not sent as application/json")])) { request, context, _ in
            let serviceId = try context.parameter("id")
            let fields = SchemaFieldCheck(schemas: [:]).unknownFields(in: try request.decodeJSONValue(), schema: [
                "type": "object", "additionalProperties": false, "properties": ["name": [:], "format": [:]]])
            guard fields.isEmpty else { throw HTTPError(.badRequest, detail: fields.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: fields) }
            let body = try request.decodeJSON(CreateKeyRequest.self)
            let (key, secret) = try keys.create(serviceId: serviceId, name: body.name, format: body.format)
            return try HTTPResponse.json(CreatedKey(key: key, secret: secret, ingestURL: "\(publicURL)/api/v1/integrations/\(secret)/events"),
                                         status: .created, headers: ["Location": "\(collection.replacingOccurrences(of: ":id", with: serviceId))/\(key.id)"])
        }

        api.add(.delete, "\(collection)/:keyId", role: .admin, OpenAPIOperation(
            "revokeIntegrationKey", summary: "Revoke an integration key: its ingest URL answers 404 from now on", tag: "services",
            parameters: [service, .init("keyId", in: .path, description: "Integration key id")],
            responses: [204: .init("Revoked (or already revoked)"), 404: problem("No such service or key")])) { _, context, _ in
            try keys.revoke(serviceId: try context.parameter("id"), keyId: try context.parameter("keyId"))
            return HTTPResponse(status: .noContent)
        }
    }
}
