import Foundation
import Testing
@testable import WatchkeeperApp

/// The shared Sentinel fixtures and shortcuts to post them to a real server.
struct SentinelFixtureClient {
    static let directory = TestServer.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/sentinel")

    let api: AlertsAPIClient
    let serviceId: String
    let secret: String

    init(api: AlertsAPIClient) async throws {
        self.api = api
        serviceId = try await api.service()
        secret = try await api.integrationKey(serviceId)
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(name)) }

    static func object(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try data(name)) as! [String: Any]
    }

    /// Changes `object.properties` of a trigger body.
    static func withProperties(_ body: [String: Any], _ change: (inout [String: Any]) -> Void) -> [String: Any] {
        var body = body
        var object = body["object"] as! [String: Any]
        var properties = object["properties"] as! [String: Any]
        change(&properties)
        object["properties"] = properties
        body["object"] = object
        return body
    }

    func sentinel(_ body: Any) async throws -> TestServer.Reply {
        try await api.server.request("POST", "/api/v1/integrations/\(secret)/sentinel", json: body)
    }

    func sentinel(fixture name: String) async throws -> TestServer.Reply {
        try await sentinel(try Self.object(name))
    }

    func azureMonitor(fixture name: String) async throws -> TestServer.Reply {
        try await api.server.request("POST", "/api/v1/integrations/\(secret)/azure-monitor", json: try Self.object(name))
    }

    func alert(_ id: String) async throws -> [String: Any] {
        try await api.send("GET", "/api/v1/alerts/\(id)", token: api.viewer).object
    }

    func timelineMessages(_ id: String) async throws -> [String] {
        let reply = try await api.send("GET", "/api/v1/alerts/\(id)/timeline?limit=500", token: api.viewer)
        return (reply.object["items"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
    }
}
