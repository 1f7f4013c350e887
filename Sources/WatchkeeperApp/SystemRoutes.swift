import Foundation
import HTTPServer
import Migrations
import Storage

/// Health, readiness, metrics, the OpenAPI document and `/api/v1/me`.
enum SystemRoutes {
    static func register(on api: APIRouteBuilder, database: Database, metrics: Metrics, openConnections: @escaping @Sendable () -> Int, document: @escaping @Sendable () -> [UInt8]) {
        api.addSchema("Me", [
            "type": "object", "required": ["kind", "id", "name", "role"],
            "properties": [
                "kind": ["type": "string", "enum": ["api_key"]],
                "id": ["type": "integer"],
                "name": ["type": "string"],
                "role": ["type": "string", "enum": ["admin", "responder", "viewer"]],
            ],
        ])
        let status: JSONValue = ["type": "object", "properties": ["status": ["type": "string"]]]

        let ok = Array(#"{"status":"ok"}"#.utf8)
        api.addPublic(.get, "/healthz", options: RouteOptions(runsOnEventLoop: true),
                      OpenAPIOperation("getHealth", summary: "The process is alive", tag: "system", responses: [200: .init("Alive", schema: status)])) { _, _ in
            HTTPResponse(contentType: "application/json", body: ok)
        }

        let expected = Set(embeddedMigrations.map(\.version))
        api.addPublic(.get, "/readyz",
                      OpenAPIOperation("getReadiness", summary: "The database is open and fully migrated", tag: "system",
                                       responses: [200: .init("Ready", schema: status), 503: .init("Not ready", schema: .ref("Problem"), contentType: "application/problem+json")])) { _, _ in
            let applied: Set<Int>
            do { applied = Set(try database.appliedMigrationVersions()) } catch {
                throw HTTPError(.serviceUnavailable, detail: "the database cannot be read")
            }
            let missing = expected.subtracting(applied)
            guard missing.isEmpty else {
                throw HTTPError(.serviceUnavailable, detail: "migrations not applied: \(missing.sorted().map(String.init).joined(separator: ", "))")
            }
            return HTTPResponse(contentType: "application/json", body: ok)
        }

        api.addPublic(.get, "/metrics", options: RouteOptions(runsOnEventLoop: true),
                      OpenAPIOperation("getMetrics", summary: "Prometheus metrics", tag: "system",
                                       responses: [200: .init("Prometheus text format 0.0.4", schema: ["type": "string"], contentType: "text/plain")])) { _, _ in
            HTTPResponse(contentType: "text/plain; version=0.0.4; charset=utf-8", body: Array(metrics.render(openConnections: openConnections()).utf8))
        }

        // On a worker, not the event loop: the first GET builds and encodes the whole document.
        api.addPublic(.get, "/openapi.json",
                      OpenAPIOperation("getOpenAPI", summary: "This document", tag: "system", responses: [200: .init("OpenAPI 3.1", schema: ["type": "object"])])) { _, _ in
            HTTPResponse(contentType: "application/json", body: document())
        }

        api.add(.get, "/api/v1/me", role: .viewer,
                OpenAPIOperation("getMe", summary: "The caller's key name and role", tag: "auth", responses: [200: .init("The caller", schema: .ref("Me"))])) { _, _, principal in
            try HTTPResponse.json(principal)
        }
    }
}
