import Foundation
import HTTPServer

/// The OpenAPI 3.1 description of the JSON API, served at `/openapi.json`.
public struct OpenAPIDocument: Sendable {
    public private(set) var paths: [String: [String: JSONValue]] = [:]
    public private(set) var schemas: [String: JSONValue] = OpenAPIDocument.commonSchemas
    let version: String

    public init(version: String) { self.version = version }

    /// Converts a router pattern (`/users/:id`) to an OpenAPI path (`/users/{id}`).
    public static func openAPIPath(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    public mutating func addSchema(_ name: String, _ schema: JSONValue) { schemas[name] = schema }

    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ operation: OpenAPIOperation, requiredRole: Role?) {
        var responses: [String: JSONValue] = [:]
        for (status, response) in operation.responses {
            var entry: [String: JSONValue] = ["description": .string(response.description)]
            if let schema = response.schema { entry["content"] = [response.contentType: ["schema": schema]] }
            responses[String(status)] = .object(entry)
        }
        if let requiredRole {
            responses["401"] = ["$ref": "#/components/responses/Unauthorized"]
            if requiredRole > .viewer { responses["403"] = ["$ref": "#/components/responses/Forbidden"] }
        }
        var object: [String: JSONValue] = [
            "operationId": .string(operation.operationID),
            "summary": .string(operation.summary),
            "tags": [.string(operation.tag)],
            "responses": .object(responses),
        ]
        if let requiredRole {
            object["security"] = [["bearerAuth": []]]
            object["description"] = .string("Requires the `\(requiredRole.rawValue)` role or higher.")
        } else {
            object["security"] = []
        }
        if !operation.parameters.isEmpty {
            object["parameters"] = .array(operation.parameters.map { parameter in
                ["name": .string(parameter.name), "in": .string(parameter.location.rawValue), "required": .bool(parameter.required),
                 "description": .string(parameter.description), "schema": parameter.schema]
            })
        }
        if let body = operation.requestBody {
            object["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
        }
        paths[Self.openAPIPath(pattern), default: [:]][method.rawValue.lowercased()] = .object(object)
    }

    public var json: JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Watchkeeper API",
                "version": .string(version),
                "description": "On-call paging for Microsoft Sentinel. Every /api/v1 route needs `Authorization: Bearer <API key>`; errors are RFC 9457 problem documents.",
            ],
            "paths": .object(paths.mapValues { .object($0) }),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "description": "An API key from `watchkeeper api-key create`."]],
                "responses": [
                    "Unauthorized": ["description": "Missing or invalid API key", "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]],
                    "Forbidden": ["description": "The key's role does not allow this", "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]],
                    "BadRequest": ["description": "Invalid input; `errors` names each field at fault", "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]],
                    "NotFound": ["description": "No such resource", "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]],
                ],
            ],
        ]
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(json))) ?? []
    }

    static let commonSchemas: [String: JSONValue] = [
        "Problem": [
            "type": "object",
            "description": "RFC 9457 problem details",
            "required": ["type", "title", "status"],
            "properties": [
                "type": ["type": "string"],
                "title": ["type": "string"],
                "status": ["type": "integer"],
                "detail": ["type": "string"],
                "instance": ["type": "string"],
                "errors": ["type": "array", "items": [
                    "type": "object", "required": ["field", "detail"],
                    "properties": ["field": ["type": "string"], "detail": ["type": "string"]],
                ]],
            ],
        ],
    ]
}

extension JSONValue {
    /// A `$ref` to a schema in components.
    public static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }
}
