import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct SystemRoutesTests {
    @Test func healthzAnswersWithoutAuthentication() async throws {
        let server = try TestServer()
        let reply = try await server.request("GET", "/healthz")
        #expect(reply.status == 200)
        #expect(reply.object["status"] as? String == "ok")
    }

    @Test func readyzReportsAMigratedDatabase() async throws {
        let server = try TestServer()
        let reply = try await server.request("GET", "/readyz")
        #expect(reply.status == 200)
    }

    @Test func readyzFailsWhenAMigrationIsMissing() async throws {
        let server = try TestServer()
        _ = try server.application.database.write { db in try db.run("DELETE FROM schema_migrations") }
        let reply = try await server.request("GET", "/readyz")
        #expect(reply.status == 503)
        #expect(reply.header("Content-Type") == "application/problem+json")
    }

    @Test func everyAPIRouteIsInTheOpenAPIDocument() throws {
        let server = try TestServer()
        let apiRoutes = server.application.routes.filter { $0.pattern.hasPrefix("/api/") }
        #expect(!apiRoutes.isEmpty)
        for route in apiRoutes {
            let path = OpenAPIDocument.openAPIPath(route.pattern)
            #expect(server.application.openAPI.paths[path]?[route.method.rawValue.lowercased()] != nil,
                    "\(route.method) \(route.pattern) is routed but missing from /openapi.json")
        }
    }

    @Test func openAPIPathConversion() {
        #expect(OpenAPIDocument.openAPIPath("/api/v1/users/:id/shifts") == "/api/v1/users/{id}/shifts")
        #expect(OpenAPIDocument.openAPIPath("/healthz") == "/healthz")
    }

    @Test func metricsCountRequestsByRoutePattern() async throws {
        let server = try TestServer()
        let key = try server.key(.viewer)
        _ = try await server.request("GET", "/api/v1/api-keys/12345", token: key)
        _ = try await server.request("GET", "/api/v1/me", token: key)
        let text = try await server.request("GET", "/metrics").text
        #expect(text.contains(#"watchkeeper_http_requests_total{route="/api/v1/me",method="GET",status="200"} 1"#))
        #expect(text.contains("watchkeeper_http_open_connections "))
        #expect(text.contains("watchkeeper_database_commit_duration_seconds_count"))
        #expect(!text.contains("12345"))
    }
}
