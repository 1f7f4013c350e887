import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Storage
import Testing
@testable import WatchkeeperApp

/// A real server and shortcuts to build what paging needs: users with verified contact methods
/// and notification rules, schedules, escalation policies, services and integration keys.
/// (Named `…Tests` to sit with the paging test files.)
struct PagingAPIClient {
    let alerts: AlertsAPIClient
    var server: TestServer { alerts.server }
    var admin: String { alerts.admin }
    var responder: String { alerts.responder }
    var time: ManualTimeSource { server.time }
    private let schedules: SchedulesAPIClient

    init() throws {
        alerts = try AlertsAPIClient()
        schedules = SchedulesAPIClient(server: alerts.server, admin: alerts.admin, viewer: alerts.viewer)
    }

    func send(_ method: String, _ path: String, _ json: Any? = nil, token: String? = nil) async throws -> TestServer.Reply {
        try await alerts.send(method, path, json, token: token)
    }

    func create(_ path: String, _ json: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await schedules.create(path, json, sourceLocation: sourceLocation)
    }

    /// A user with one verified contact method per `(type, delay)` and a notification rule each.
    func user(_ name: String, methods: [(type: String, delaySeconds: Int)] = [("sms", 0)], statusUpdates: Bool = false) async throws -> String {
        let id = try await schedules.user(name)
        for (position, method) in methods.enumerated() {
            let address = method.type == "email" ? "\(name.lowercased())@example.com" : "+4790000\(String(format: "%03d", abs(id.hashValue % 1000)))\(position)"
            try addMethod(userId: id, type: method.type, address: address, delaySeconds: method.delaySeconds, statusUpdates: statusUpdates)
        }
        return id
    }

    /// Stored directly: verification has its own tests; here the engine is under test.
    func addMethod(userId: String, type: String, address: String, delaySeconds: Int, statusUpdates: Bool = false, verified: Bool = true) throws {
        let now = time.now()
        let methodId = "cm_\(UUID().uuidString.prefix(12))", ruleId = "nr_\(UUID().uuidString.prefix(12))"
        try server.application.database.write { db in
            try db.run("""
                INSERT INTO contact_methods (id, user_id, type, name, address, status_updates, verified_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(methodId), .text(userId), .text(type), .text(type), .text(address), .integer(statusUpdates ? 1 : 0),
                      verified ? SQLValue(now) : .null, SQLValue(now), SQLValue(now)])
            try db.run("INSERT INTO notification_rules (id, user_id, contact_method_id, delay_seconds, created_at) VALUES (?, ?, ?, ?, ?)",
                       [.text(ruleId), .text(userId), .text(methodId), .integer(Int64(delaySeconds)), SQLValue(now)])
        }
    }

    /// A schedule whose only rule is a daily rotation of `participants` (the first holds today's shift).
    func schedule(rotating participants: [String]) async throws -> String {
        let rotation = try await schedules.rotation(participants)
        let schedule = try await schedules.schedule()
        _ = try await create("/api/v1/schedules/\(schedule)/rules", ["target": ["kind": "rotation", "id": rotation]])
        return schedule
    }

    /// An empty schedule: nobody is ever on call in it.
    func emptySchedule() async throws -> String {
        try await schedules.schedule("Nobody")
    }

    /// A policy from `(targets, delay)` steps, where a target is `("user"|"schedule"|"rotation", id)`.
    func policy(_ steps: [(targets: [(String, String)], delaySeconds: Int)], repeatCount: Int = 0, skipEmptySteps: Bool = false,
                acknowledgementTimeoutSeconds: Int? = nil) async throws -> String {
        var body: [String: Any] = [
            "name": "Policy \(UUID().uuidString.prefix(6))", "repeatCount": repeatCount, "skipEmptySteps": skipEmptySteps,
            "steps": steps.map { step in ["targets": step.targets.map { ["kind": $0.0, "id": $0.1] }, "delaySeconds": step.delaySeconds] },
        ]
        if let acknowledgementTimeoutSeconds { body["acknowledgementTimeoutSeconds"] = acknowledgementTimeoutSeconds }
        return try await create("/api/v1/escalation-policies", body)
    }

    /// A service paged by `policy` and the secret of an integration key for it.
    func service(policy: String, name: String = "SOC Tier 1", extra: [String: Any] = [:]) async throws -> (id: String, key: String) {
        let id = try await alerts.service(name, extra: ["escalationPolicyId": policy].merging(extra) { $1 })
        return (id, try await alerts.integrationKey(id))
    }

    /// Triggers an event and returns the alert id from the 202.
    func trigger(_ key: String, _ summary: String, dedupKey: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let reply = try await alerts.event(key, alerts.trigger(summary, dedupKey: dedupKey))
        #expect(reply.status == 202, "\(reply.text)", sourceLocation: sourceLocation)
        return try #require(reply.object["alertId"] as? String, sourceLocation: sourceLocation)
    }

    /// Moves the clock and runs one engine pass at the new instant (the engine thread also runs;
    /// passes are serialized, so everything due is done when this returns).
    func advance(by seconds: TimeInterval) {
        time.advance(by: seconds)
        server.application.engine.runNow()
    }

    func runEngine() { server.application.engine.runNow() }

    /// The pages queued or sent for `alertId`: (user id, contact method type) in creation order.
    func pages(_ alertId: String) throws -> [(userId: String, type: String, state: String)] {
        try server.application.database.read { db in
            try db.query("""
                SELECT m.user_id, cm.type, m.state FROM messages m JOIN contact_methods cm ON cm.id = m.contact_method_id
                WHERE m.alert_id = ? AND m.kind = 'alert' ORDER BY m.created_at, m.rowid
                """, [.text(alertId)]).map { (try $0.get("user_id"), try $0.get("type"), try $0.get("state")) }
        }
    }

    func pagedUsers(_ alertId: String) throws -> [String] { try pages(alertId).map(\.userId) }

    func timeline(_ alertId: String) async throws -> [(kind: String, message: String)] {
        let reply = try await send("GET", "/api/v1/alerts/\(alertId)/timeline?limit=500")
        return (reply.object["items"] as? [[String: Any]] ?? []).map { ($0["kind"] as? String ?? "", $0["message"] as? String ?? "") }
    }

    func escalations(_ alertId: String) async throws -> [String] {
        try await timeline(alertId).filter { $0.kind == "escalated" }.map(\.message)
    }

    func status(_ alertId: String) async throws -> String {
        try await send("GET", "/api/v1/alerts/\(alertId)").object["status"] as? String ?? ""
    }

    /// A user set up the way a person would: an SMS contact method created and verified through
    /// the API (the code read from the console provider's delivery), and a rule at 0 s.
    func verifiedUser(_ name: String, phone: String) async throws -> String {
        let id = try await schedules.user(name)
        let method = try await create("/api/v1/users/\(id)/contact-methods", ["type": "sms", "name": "Phone", "address": phone])
        #expect(try await send("POST", "/api/v1/users/\(id)/contact-methods/\(method)/send-verification").status == 202)
        settle()
        let code = try #require(try await deliveries(id).last?.text.firstMatch(of: /code: (\d{6})/).map { String($0.1) })
        #expect(try await send("POST", "/api/v1/users/\(id)/contact-methods/\(method)/verify", ["code": code]).status == 200)
        _ = try await create("/api/v1/users/\(id)/notification-rules", ["contactMethodId": method, "delaySeconds": 0])
        return id
    }

    /// Runs a pass and waits for the outbox's sends in flight, so deliveries can be read.
    func settle() {
        server.application.engine.runNow()
        _ = server.application.outbox.waitUntilIdle(timeout: 5)
        server.application.engine.runNow()
    }

    /// What the console provider delivered to `userId`, oldest first.
    func deliveries(_ userId: String) async throws -> [(kind: String, text: String)] {
        let reply = try await send("GET", "/api/v1/console/messages?userId=\(userId)&limit=200")
        #expect(reply.status == 200, "\(reply.text)")
        return (reply.object["items"] as? [[String: Any]] ?? []).map { ($0["kind"] as? String ?? "", $0["text"] as? String ?? "") }

    }

    /// The ack link in a delivered text.
    static func ackToken(in text: String) -> String? {
        text.firstMatch(of: /\/a\/([A-Za-z0-9_-]+)/).map { String($0.1) }
    }

    /// Presses a button of the ack-link page, as a browser's form POST (the 303 is not followed).
    func press(_ action: String, token: String) async throws -> TestServer.Reply {
        try await AckLinkTests.send(server, "POST", "/a/\(token)", body: Data("action=\(action)".utf8), contentType: "application/x-www-form-urlencoded")
    }
}
