import Foundation
import Testing
@testable import WatchkeeperApp

/// A real server with admin, responder and viewer keys, and shortcuts for services, integration
/// keys and events. (Named `…Tests` to sit with the alert test files.)
struct AlertsAPIClient {
    let server: TestServer
    let admin: String
    let responder: String
    let viewer: String

    init() throws {
        server = try TestServer()
        admin = try server.key(.admin, name: "admin")
        responder = try server.key(.responder, name: "ana-responder")
        viewer = try server.key(.viewer, name: "viewer")
    }

    func send(_ method: String, _ path: String, _ json: Any? = nil, token: String? = nil, headers: [String: String] = [:]) async throws -> TestServer.Reply {
        try await server.request(method, path, token: token ?? admin, json: json, headers: headers)
    }

    func service(_ name: String = "SOC Tier 1", extra: [String: Any] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let reply = try await send("POST", "/api/v1/services", ["name": name].merging(extra) { $1 })
        #expect(reply.status == 201, "\(reply.text)", sourceLocation: sourceLocation)
        return try #require(reply.object["id"] as? String, sourceLocation: sourceLocation)
    }

    /// A new key's secret.
    func integrationKey(_ serviceId: String, format: String = "events-v2", sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let reply = try await send("POST", "/api/v1/services/\(serviceId)/integration-keys", ["name": "sentinel", "format": format])
        #expect(reply.status == 201, "\(reply.text)", sourceLocation: sourceLocation)
        return try #require(reply.object["secret"] as? String, sourceLocation: sourceLocation)
    }

    /// Posts an event with no API key: the URL's key is the only credential.
    func event(_ secret: String, _ body: [String: Any]) async throws -> TestServer.Reply {
        try await server.request("POST", "/api/v1/integrations/\(secret)/events", json: body)
    }

    func trigger(_ summary: String, dedupKey: String? = nil, severity: String = "critical") -> [String: Any] {
        var body: [String: Any] = ["routing_key": "ignored", "event_action": "trigger",
                                   "payload": ["summary": summary, "severity": severity, "source": "sentinel-prod"]]
        if let dedupKey { body["dedup_key"] = dedupKey }
        return body
    }

    func count(_ table: String) throws -> Int {
        let sql = "SELECT count(*) AS n FROM \(table)"
        return Int(try server.application.database.read { db in try db.queryOne(sql)?.get("n", as: Int64.self) ?? -1 })
    }

    func timelineKinds(_ alertId: String) async throws -> [String] {
        let reply = try await send("GET", "/api/v1/alerts/\(alertId)/timeline?limit=500", token: viewer)
        return (reply.object["items"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
    }

    static func fields(_ reply: TestServer.Reply) -> [String] {
        (reply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}
