import Foundation
import HTTPServer

/// `/api/v1/connections[/{id}[/status]]`: admins create, change and delete Sentinel connections;
/// viewers read them. The client secret goes in (create, PATCH) and never comes out.
enum ConnectionRoutes {
    static func register(on api: APIRouteBuilder, store: ConnectionStore) {
        let problem = { @Sendable (text: String) in OpenAPIOperation.Response(text, schema: .ref("Problem"), contentType: "application/problem+json") }
        let text: JSONValue = ["type": "string"]
        api.addSchema("Connection", [
            "type": "object",
            "required": ["id", "customer", "tenantId", "clientId", "subscriptionId", "resourceGroup", "workspaceName", "workspaceId",
                         "authorityURL", "armURL", "createdAt", "updatedAt"],
            "description": "A Microsoft Sentinel workspace and the service principal (in the workspace's tenant) Watchkeeper uses for it. The client secret is never returned.",
            "properties": [
                "id": ["type": "string", "pattern": "^cn_"], "customer": text, "tenantId": text, "clientId": text,
                "subscriptionId": text, "resourceGroup": text, "workspaceName": text,
                "workspaceId": ["type": "string", "description": "The Log Analytics workspace (customer) id"],
                "authorityURL": ["type": "string", "description": "Entra authority, default https://login.microsoftonline.com"],
                "armURL": ["type": "string", "description": "ARM base URL, default https://management.azure.com"],
                "integrationKeyId": ["type": "string", "description": "The integration key (service, routing rules) new incidents seen by the poller go through; absent: they are recorded without an alert"],
                "createdAt": ["type": "string", "format": "date-time"], "updatedAt": ["type": "string", "format": "date-time"],
            ],
        ])
        let inputProperties: JSONValue = [
            "customer": ["type": "string", "minLength": 1, "maxLength": 200],
            "tenantId": ["type": "string", "description": "Entra tenant id (GUID) or domain"],
            "clientId": ["type": "string", "format": "uuid"],
            "clientSecret": ["type": "string", "writeOnly": true, "description": "Sealed with AES-256-GCM under the server's secret key; never returned"],
            "subscriptionId": ["type": "string", "format": "uuid"], "resourceGroup": ["type": "string", "maxLength": 90],
            "workspaceName": ["type": "string", "minLength": 4, "maxLength": 63], "workspaceId": ["type": "string", "format": "uuid"],
            "authorityURL": ["type": "string", "format": "uri"], "armURL": ["type": "string", "format": "uri"],
            "integrationKeyId": ["type": "string", "description": "An existing integration key's id; \"\" removes it"],
        ]
        let fieldsOnly: JSONValue = ["type": "object", "additionalProperties": false,
                                     "properties": .object(Dictionary(uniqueKeysWithValues: ConnectionInput.fields.map { ($0, [:] as JSONValue) }))]
        @Sendable func input(_ request: HTTPRequest) throws -> ConnectionInput {
            let unknown = SchemaFieldCheck(schemas: [:]).unknownFields(in: try request.decodeJSONValue(), schema: fieldsOnly)
            guard unknown.isEmpty else { throw HTTPError(.badRequest, detail: unknown.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: unknown) }
            return try request.decodeJSON(ConnectionInput.self)
        }
        let id = OpenAPIOperation.Parameter("id", in: .path, description: "Connection id")
        let keyMissing = "No secret key configured (WATCHKEEPER_SECRET_KEY or --secret-key-file), or another connection serves that workspace"

        api.add(.get, "/api/v1/connections", role: .viewer, OpenAPIOperation(
            "listConnections", summary: "List Sentinel connections (never their secrets)", tag: "connections",
            responses: [200: .init("Connections", schema: ["type": "object", "required": ["items"], "properties": ["items": ["type": "array", "items": .ref("Connection")]]])])) { _, _, _ in
            try HTTPResponse.json(["items": try store.list()])
        }

        api.add(.post, "/api/v1/connections", role: .admin, options: RouteOptions(bodyLimit: 16 * 1024), OpenAPIOperation(
            "createConnection", summary: "Create a Sentinel connection; the client secret is stored sealed", tag: "connections",
            requestBody: ["type": "object", "additionalProperties": false, "required": .array(ConnectionInput.required.map { .string($0) }), "properties": inputProperties],
            responses: [201: .init("Created", schema: .ref("Connection")), 400: problem("Invalid body; errors[].field names the member"),
                        409: problem(keyMissing), 415: problem("The body is not sent as application/json")])) { request, _, _ in
            let connection = try store.create(try input(request))
            return try HTTPResponse.json(connection, status: .created, headers: ["Location": "/api/v1/connections/\(connection.id)"])
        }

        api.add(.get, "/api/v1/connections/:id", role: .viewer, OpenAPIOperation(
            "getConnection", summary: "A Sentinel connection (never its secret)", tag: "connections", parameters: [id],
            responses: [200: .init("The connection", schema: .ref("Connection")), 404: problem("No such connection")])) { _, context, _ in
            try HTTPResponse.json(try store.get(try context.parameter("id")))
        }

        api.add(.patch, "/api/v1/connections/:id", role: .admin, options: RouteOptions(bodyLimit: 16 * 1024), OpenAPIOperation(
            "updateConnection", summary: "Change the fields given; a clientSecret replaces the stored one", tag: "connections", parameters: [id],
            requestBody: ["type": "object", "additionalProperties": false, "properties": inputProperties],
            responses: [200: .init("The connection", schema: .ref("Connection")), 400: problem("Invalid body; errors[].field names the member"),
                        404: problem("No such connection"), 409: problem(keyMissing)])) { request, context, _ in
            try HTTPResponse.json(try store.update(try context.parameter("id"), try input(request)))
        }

        api.add(.delete, "/api/v1/connections/:id", role: .admin, OpenAPIOperation(
            "deleteConnection", summary: "Delete a Sentinel connection and its sealed secret", tag: "connections", parameters: [id],
            responses: [204: .init("Deleted"), 404: problem("No such connection")])) { _, context, _ in
            try store.delete(try context.parameter("id"))
            return HTTPResponse(status: .noContent)
        }

        api.add(.get, "/api/v1/connections/:id/status", role: .viewer, OpenAPIOperation(
            "getConnectionStatus", summary: "The poller's view of a connection: last successful poll, cursor, last error, throttling", tag: "connections",
            parameters: [id],
            responses: [200: .init("Status", schema: ["type": "object", "required": ["id", "throttleCount"], "properties": [
                            "id": text,
                            "lastPollAt": ["type": ["string", "null"], "format": "date-time", "description": "End of the last poll that read every page"],
                            "pollCursor": ["type": ["string", "null"], "description": "lastModifiedTimeUtc the next poll starts from (less the overlap)"],
                            "lastError": ["type": ["string", "null"]], "lastErrorAt": ["type": ["string", "null"], "format": "date-time"],
                            "throttledUntil": ["type": ["string", "null"], "format": "date-time"], "throttleCount": ["type": "integer"],
                        ]]),
                        404: problem("No such connection")])) { _, context, _ in
            try HTTPResponse.json(try store.status(try context.parameter("id")))
        }
    }
}
