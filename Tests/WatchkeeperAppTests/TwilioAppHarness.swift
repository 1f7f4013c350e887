import Foundation
import Gateways
import Logging
import OutboundHTTP
import Storage
import Testing
@testable import WatchkeeperApp

/// The real application paging through the Twilio gateway into a fake Twilio on loopback, with
/// shortcuts to set up who gets paged for what, and a log of what reached the fake at which
/// instant of the injected clock.
final class TwilioAppHarness {
    static let publicURL = "https://pager.example.eu"
    let fake: TwilioFakeServer
    let gateway: TwilioGateway
    let server: TestServer
    let admin: String
    /// What the fake received, each with the test clock's instant when the step that sent it ran.
    private(set) var sends: [(at: Date, request: TwilioFakeServer.Received)] = []

    init() throws {
        fake = try TwilioFakeServer(callbackBase: Self.publicURL + "/providers/twilio/twilio-main")
        let settings = #"{"name": "twilio-main", "kind": "twilio", "accountSid": "\#(fake.accountSid)", "authToken": "\#(fake.authToken)", "from": "+447700900500", "baseURL": "\#(fake.baseURL)"}"#
        let context = GatewayContext(publicURL: Self.publicURL, http: HTTPClient(), logger: Logger(label: "twilio") { _ in SwiftLogNoOpLogHandler() },
                                     now: { Date() })
        gateway = try TwilioGateway(name: "twilio-main", settings: Data(settings.utf8), context: context)
        server = try TestServer(providers: [gateway])
        admin = try server.key(.admin, name: "admin")
    }

    deinit { fake.stop() }

    var now: Date { server.time.now() }
    var database: Database { server.application.database }

    func create(_ path: String, _ json: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let reply = try await server.request("POST", path, token: admin, json: json)
        #expect(reply.status == 201, "\(path): \(reply.text)", sourceLocation: sourceLocation)
        return try #require(reply.object["id"] as? String, sourceLocation: sourceLocation)
    }

    /// A user with verified contact methods, each with a notification rule at `delaySeconds`.
    func user(_ name: String, methods: [(type: String, address: String, delaySeconds: Int)]) async throws -> String {
        let id = try await create("/api/v1/users", ["name": name, "email": "\(name.lowercased())@example.com", "timeZone": "Europe/Oslo", "role": "responder"])
        let now = self.now
        for method in methods {
            let methodId = "cm_\(UUID().uuidString.prefix(12))", ruleId = "nr_\(UUID().uuidString.prefix(12))"
            try database.write { db in
                try db.run("""
                    INSERT INTO contact_methods (id, user_id, type, name, address, verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(methodId), .text(id), .text(method.type), .text(method.type), .text(method.address), SQLValue(now), SQLValue(now), SQLValue(now)])
                try db.run("INSERT INTO notification_rules (id, user_id, contact_method_id, delay_seconds, created_at) VALUES (?, ?, ?, ?, ?)",
                           [.text(ruleId), .text(id), .text(methodId), .integer(Int64(method.delaySeconds)), SQLValue(now)])
            }
        }
        return id
    }

    /// A one-step policy paging `users`, and a service on it; the integration key's secret.
    func service(_ name: String, paging users: [String]) async throws -> String {
        let policy = try await create("/api/v1/escalation-policies", [
            "name": "Policy \(name)", "repeatCount": 0,
            "steps": [["targets": users.map { ["kind": "user", "id": $0] }, "delaySeconds": 3600]],
        ])
        let service = try await create("/api/v1/services", ["name": name, "escalationPolicyId": policy])
        let reply = try await server.request("POST", "/api/v1/services/\(service)/integration-keys", token: admin, json: ["name": "sentinel", "format": "events-v2"])
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply.object["secret"] as? String)
    }

    func trigger(_ key: String, _ summary: String) async throws -> String {
        let body: [String: Any] = ["routing_key": "ignored", "event_action": "trigger", "dedup_key": summary,
                                   "payload": ["summary": summary, "severity": "critical", "source": "sentinel-prod"]]
        let reply = try await server.request("POST", "/api/v1/integrations/\(key)/events", json: body)
        #expect(reply.status == 202, "\(reply.text)")
        return try #require(reply.object["alertId"] as? String)
    }

    /// Runs engine passes and waits for the sends they start, until nothing more happens; what
    /// reached the fake meanwhile is logged at the current instant.
    func settle() {
        for _ in 0..<4 {
            server.application.engine.runNow()
            #expect(server.application.outbox.waitUntilIdle(timeout: 10))
        }
        let received = fake.received
        for request in received.dropFirst(sends.count) { sends.append((now, request)) }
    }

    /// Settles at the current instant (so sends already made are logged there), then moves the clock.
    func advance(by seconds: TimeInterval) {
        settle()
        server.time.advance(by: seconds)
        settle()
    }

    /// The logged sends to `number` of `resource` ("Messages" or "Calls").
    func sends(to number: String, _ resource: String) -> [(at: Date, request: TwilioFakeServer.Received)] {
        sends.filter { $0.request.value("To") == number && $0.request.resource == resource }
    }
}
