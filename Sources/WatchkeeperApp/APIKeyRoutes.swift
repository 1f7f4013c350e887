import Foundation
import HTTPServer

/// Managing API keys over the API (admins only). The secret is returned once, by the create call.
enum APIKeyRoutes {
    struct CreateRequest: Decodable {
        var name: String
        var role: Role
    }

    struct Created: Encodable {
        var key: APIKey
        var secret: String
    }

    static func register(on api: APIRouteBuilder, keys: APIKeyStore) {
        api.addSchema("APIKey", [
            "type": "object", "required": ["id", "name", "role", "prefix", "createdAt"],
            "properties": [
                "id": ["type": "integer"], "name": ["type": "string"],
                "role": ["type": "string", "enum": ["admin", "responder", "viewer"]],
                "prefix": ["type": "string", "description": "The first characters of the secret"],
                "createdAt": ["type": "string", "format": "date-time"],
                "revokedAt": ["type": ["string", "null"], "format": "date-time"],
            ],
        ])
        let idParameter = OpenAPIOperation.Parameter("id", in: .path, description: "API key id", schema: ["type": "integer"])

        api.add(.get, "/api/v1/api-keys", role: .admin,
                OpenAPIOperation("listAPIKeys", summary: "List API keys (never their secrets)", tag: "auth",
                                 responses: [200: .init("Keys", schema: ["type": "object", "properties": ["items": ["type": "array", "items": .ref("APIKey")]]])])) { _, _, _ in
            try HTTPResponse.json(["items": try keys.list()])
        }

        api.add(.post, "/api/v1/api-keys", role: .admin, options: RouteOptions(bodyLimit: 16 * 1024),
                OpenAPIOperation("createAPIKey", summary: "Create an API key; the secret is shown only in this response", tag: "auth",
                                 requestBody: ["type": "object", "required": ["name", "role"], "properties": [
                                     "name": ["type": "string", "minLength": 1, "maxLength": 100],
                                     "role": ["type": "string", "enum": ["admin", "responder", "viewer"]],
                                 ]],
                                 responses: [201: .init("Created", schema: ["type": "object", "properties": ["key": .ref("APIKey"), "secret": ["type": "string"]]]),
                                             400: .init("Invalid input", schema: .ref("Problem"), contentType: "application/problem+json")])) { request, _, _ in
            let body = try request.decodeJSON(CreateRequest.self)
            do {
                let (key, secret) = try keys.create(name: body.name, role: body.role)
                return try HTTPResponse.json(Created(key: key, secret: secret), status: .created, headers: ["Location": "/api/v1/api-keys/\(key.id)"])
            } catch let error as APIKeyError {
                throw HTTPError.invalid("name", error.description)
            }
        }

        api.add(.delete, "/api/v1/api-keys/:id", role: .admin,
                OpenAPIOperation("revokeAPIKey", summary: "Revoke an API key", tag: "auth", parameters: [idParameter],
                                 responses: [204: .init("Revoked"), 404: .init("No such key", schema: .ref("Problem"), contentType: "application/problem+json")])) { _, context, _ in
            let text = try context.parameter("id")
            // Key ids are integers, so any other id names no key: 404 like an unknown number.
            guard let id = Int64(text), try keys.revoke(id: id) else { throw HTTPError(.notFound, detail: "no API key \(text)") }
            return HTTPResponse(status: .noContent)
        }
    }
}
