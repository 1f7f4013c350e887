import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct ServicesTests {
    @Test func createReadReplaceDelete() async throws {
        let api = try AlertsAPIClient()
        let created = try await api.send("POST", "/api/v1/services", ["name": "SOC Tier 1"])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? String)
        #expect(id.hasPrefix("svc_") && id.count == 20)
        #expect(created.header("Location") == "/api/v1/services/\(id)")
        // Omitted members get their defaults and every member is present, nulls included.
        #expect(created.object["description"] as? String == "")
        #expect(created.object["urgency"] as? String == "high")
        #expect(created.object["escalationPolicyId"] is NSNull)
        #expect(created.object["maintenanceUntil"] is NSNull)

        let read = try await api.send("GET", "/api/v1/services/\(id)", token: api.viewer)
        #expect(read.status == 200 && read.header("ETag") == "\"1\"")

        let user = try await api.send("POST", "/api/v1/users", ["name": "Ana", "email": "ana@example.com", "timeZone": "UTC", "role": "responder"])
        let policy = try await api.send("POST", "/api/v1/escalation-policies",
                                        ["name": "P", "steps": [["targets": [["kind": "user", "id": user.object["id"] ?? ""]], "delaySeconds": 60]]])
        #expect(policy.status == 201, "\(policy.text)")
        var replacement = read.object
        replacement["urgency"] = "low"
        replacement["escalationPolicyId"] = policy.object["id"]
        replacement["maintenanceUntil"] = "2026-11-18T12:00:00Z"
        let replaced = try await api.send("PUT", "/api/v1/services/\(id)", replacement, headers: ["If-Match": "\"1\""])
        #expect(replaced.status == 200, "\(replaced.text)")
        #expect(replaced.header("ETag") == "\"2\"")
        #expect(replaced.object["urgency"] as? String == "low")
        #expect(replaced.object["escalationPolicyId"] as? String == policy.object["id"] as? String)
        #expect(replaced.object["maintenanceUntil"] as? String == "2026-11-18T12:00:00Z")

        let stale = try await api.send("PUT", "/api/v1/services/\(id)", replacement, headers: ["If-Match": "\"1\""])
        #expect(stale.status == 412)
        #expect(try await api.send("DELETE", "/api/v1/services/\(id)", headers: ["If-Match": "\"1\""]).status == 412)
        #expect(try await api.send("DELETE", "/api/v1/services/\(id)").status == 204)
        #expect(try await api.send("GET", "/api/v1/services/\(id)").status == 404)
        #expect(try await api.send("PUT", "/api/v1/services/\(id)", replacement).status == 404)
    }

    @Test func invalidBodiesNameTheFieldAndStoreNothing() async throws {
        let api = try AlertsAPIClient()
        let unknown = try await api.send("POST", "/api/v1/services", ["name": "A", "escalation_policy": "x"])
        #expect(unknown.status == 400)
        #expect(AlertsAPIClient.fields(unknown) == ["escalation_policy"])
        let urgency = try await api.send("POST", "/api/v1/services", ["name": "A", "urgency": "medium"])
        #expect(urgency.status == 400)
        #expect(AlertsAPIClient.fields(urgency) == ["urgency"])
        let name = try await api.send("POST", "/api/v1/services", ["name": " ", "escalationPolicyId": ""])
        #expect(name.status == 400)
        #expect(Set(AlertsAPIClient.fields(name)) == ["name", "escalationPolicyId"])
        let date = try await api.send("POST", "/api/v1/services", ["name": "A", "maintenanceUntil": "tomorrow"])
        #expect(date.status == 400)
        #expect(AlertsAPIClient.fields(date) == ["maintenanceUntil"])
        #expect(try api.count("services") == 0)
    }

    @Test func viewersReadAndOnlyAdminsWrite() async throws {
        let api = try AlertsAPIClient()
        #expect(try await api.send("POST", "/api/v1/services", ["name": "A"], token: api.viewer).status == 403)
        #expect(try await api.send("POST", "/api/v1/services", ["name": "A"], token: api.responder).status == 403)
        _ = try await api.service()
        let list = try await api.send("GET", "/api/v1/services", token: api.viewer)
        #expect((list.object["items"] as? [Any])?.count == 1)
        #expect(try await api.server.request("GET", "/api/v1/services").status == 401)
    }

    @Test func deleteTakesKeysButRefusesWhileAlertsExist() async throws {
        let api = try AlertsAPIClient()
        let withKeysOnly = try await api.service("Quiet")
        _ = try await api.integrationKey(withKeysOnly)
        #expect(try await api.send("DELETE", "/api/v1/services/\(withKeysOnly)").status == 204)
        #expect(try api.count("integration_keys") == 0)

        let busy = try await api.service("Busy")
        let secret = try await api.integrationKey(busy)
        #expect(try await api.event(secret, api.trigger("disk full")).status == 202)
        let refused = try await api.send("DELETE", "/api/v1/services/\(busy)")
        #expect(refused.status == 409)
        #expect(refused.text.contains("1 alert"))
    }
}
