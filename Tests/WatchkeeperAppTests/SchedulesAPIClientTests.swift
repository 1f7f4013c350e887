import Foundation
import Testing
@testable import WatchkeeperApp

/// A real server with an admin and a viewer key, and shortcuts for creating the resources the
/// schedule API tests need. (Named `…Tests` to sit with the schedule API's test files.)
struct SchedulesAPIClient {
    let server: TestServer
    let admin: String
    let viewer: String

    init() throws {
        server = try TestServer()
        admin = try server.key(.admin, name: "admin")
        viewer = try server.key(.viewer, name: "viewer")
    }

    /// Shares another client's server and keys.
    init(server: TestServer, admin: String, viewer: String) {
        self.server = server
        self.admin = admin
        self.viewer = viewer
    }

    func send(_ method: String, _ path: String, _ json: Any? = nil, token: String? = nil, headers: [String: String] = [:]) async throws -> TestServer.Reply {
        try await server.request(method, path, token: token ?? admin, json: json, headers: headers)
    }

    /// Creates and returns the new resource's id, failing the test unless the answer is 201.
    func create(_ path: String, _ json: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let reply = try await send("POST", path, json)
        #expect(reply.status == 201, "POST \(path): \(reply.text)", sourceLocation: sourceLocation)
        return try #require(reply.object["id"] as? String, sourceLocation: sourceLocation)
    }

    func user(_ name: String, email: String? = nil) async throws -> String {
        try await create("/api/v1/users", userBody(name, email: email))
    }

    func userBody(_ name: String, email: String? = nil) -> [String: Any] {
        ["name": name, "email": email ?? "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@example.com", "timeZone": "Europe/Oslo", "role": "responder"]
    }

    func rotationBody(_ participants: [String], name: String = "Primary", anchor: String = "2026-11-01T09:00", index: Int = 0) -> [String: Any] {
        ["name": name, "timeZone": "UTC", "participants": participants, "shiftLength": ["count": 1, "unit": "days"],
         "anchor": ["start": anchor, "participantIndex": index]]
    }

    func rotation(_ participants: [String]) async throws -> String {
        try await create("/api/v1/rotations", rotationBody(participants))
    }

    func schedule(_ name: String = "SOC", timeZone: String = "Europe/Oslo") async throws -> String {
        try await create("/api/v1/schedules", ["name": name, "timeZone": timeZone])
    }

    static func fields(_ reply: TestServer.Reply) -> Set<String> {
        Set((reply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
    }
}
