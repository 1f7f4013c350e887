import Foundation
import Testing
import HTTPServer
@testable import WatchkeeperApp

/// Contract checks over every registered `/api/v1` route, so a new route cannot skip them.
@Suite struct EveryRouteTests {
    /// Routes authenticated by their own secret rather than an API key.
    static func ownSecret(_ pattern: String) -> Bool {
        pattern.hasSuffix("/calendar.ics") || pattern.hasPrefix("/api/v1/integrations/")
    }

    static func concrete(_ pattern: String) -> String {
        let path = pattern.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "nope_0000" : String($0) }.joined(separator: "/")
        return path + "?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&at=2026-11-01T12:00:00Z"
    }

    @Test func everyAPIRouteNeedsAValidKey() async throws {
        let server = try TestServer()
        let routes = server.application.routes.filter { $0.pattern.hasPrefix("/api/v1/") && !Self.ownSecret($0.pattern) }
        #expect(routes.count > 30)
        for route in routes {
            let json: Any? = [.post, .put, .patch].contains(route.method) ? [String: Any]() : nil
            let missing = try await server.request(route.method.rawValue, Self.concrete(route.pattern), json: json)
            #expect(missing.status == 401, "\(route.method) \(route.pattern) without a key: \(missing.status)")
            let forged = try await server.request(route.method.rawValue, Self.concrete(route.pattern), token: "wk_forged", json: json)
            #expect(forged.status == 401, "\(route.method) \(route.pattern) with a forged key: \(forged.status)")
        }
    }

    @Test func everyRouteNamingAnUnknownResourceIs404() async throws {
        let server = try TestServer()
        let admin = try server.key(.admin)
        let routes = server.application.routes.filter { $0.pattern.hasPrefix("/api/v1/") && $0.pattern.contains(":") && !Self.ownSecret($0.pattern) }
        #expect(routes.count > 20)
        for route in routes where [.get, .delete].contains(route.method) {
            let reply = try await server.request(route.method.rawValue, Self.concrete(route.pattern), token: admin)
            #expect(reply.status == 404, "\(route.method) \(route.pattern): \(reply.status) \(reply.text)")
            #expect(reply.header("Content-Type") == "application/problem+json")
        }
    }

    @Test func viewersCannotWriteAnywhere() async throws {
        let server = try TestServer()
        let viewer = try server.key(.viewer)
        let writes = server.application.routes.filter {
            $0.pattern.hasPrefix("/api/v1/") && !Self.ownSecret($0.pattern) && [.post, .put, .patch, .delete].contains($0.method)
        }
        #expect(writes.count > 15)
        for route in writes {
            let json: Any? = route.method == .delete ? nil : [String: Any]()
            let reply = try await server.request(route.method.rawValue, Self.concrete(route.pattern), token: viewer, json: json)
            #expect(reply.status == 403, "\(route.method) \(route.pattern) as viewer: \(reply.status)")
        }
    }
}
