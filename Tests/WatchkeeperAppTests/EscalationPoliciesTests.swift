import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct EscalationPoliciesTests {
    static let path = "/api/v1/escalation-policies"

    static func body(_ steps: [[String: Any]], name: String = "SOC Tier 1", extra: [String: Any] = [:]) -> [String: Any] {
        ["name": name, "steps": steps].merging(extra) { $1 }
    }

    static func step(_ targets: [(String, String)], delay: Int = 300) -> [String: Any] {
        ["targets": targets.map { ["kind": $0.0, "id": $0.1] }, "delaySeconds": delay]
    }

    static func targetRows(_ api: SchedulesAPIClient, _ id: String) throws -> [String] {
        try api.server.application.database.read { db in
            try db.query("""
                SELECT coalesce(user_id, rotation_id, schedule_id) AS target FROM escalation_policy_targets
                WHERE policy_id = ? ORDER BY target
                """, [.text(id)]).map { try $0.get("target", as: String.self) }
        }
    }

    @Test func createReadReplaceDelete() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let rotation = try await api.rotation([ana])
        let schedule = try await api.schedule()
        let created = try await api.send("POST", Self.path, Self.body([Self.step([("schedule", schedule)], delay: 600),
                                                                       Self.step([("rotation", rotation), ("user", ana)], delay: 900)]))
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? String)
        #expect(id.hasPrefix("esc_") && id.count == 20)
        #expect(created.header("Location") == "\(Self.path)/\(id)")
        #expect(created.header("ETag") == "\"1\"")
        // Omitted members get their defaults and every member is present, nulls included.
        #expect(created.object["repeatCount"] as? Int == 0)
        #expect(created.object["skipEmptySteps"] as? Bool == false)
        #expect(created.object["acknowledgementTimeoutSeconds"] is NSNull)
        let steps = try #require(created.object["steps"] as? [[String: Any]])
        #expect(steps.map { $0["delaySeconds"] as? Int } == [600, 900])
        #expect(try Self.targetRows(api, id) == [ana, rotation, schedule].sorted())

        let read = try await api.send("GET", "\(Self.path)/\(id)", token: api.viewer)
        #expect(read.status == 200 && read.header("ETag") == "\"1\"")
        #expect(read.object["name"] as? String == "SOC Tier 1")
        #expect(try await api.send("GET", "\(Self.path)/\(id)", headers: ["If-None-Match": "\"1\""]).status == 304)

        var replacement = read.object
        replacement["steps"] = [Self.step([("user", ana)], delay: 60)]
        replacement["repeatCount"] = 3
        replacement["skipEmptySteps"] = true
        replacement["acknowledgementTimeoutSeconds"] = 3600
        let replaced = try await api.send("PUT", "\(Self.path)/\(id)", replacement, headers: ["If-Match": "\"1\""])
        #expect(replaced.status == 200, "\(replaced.text)")
        #expect(replaced.header("ETag") == "\"2\"")
        #expect(replaced.object["repeatCount"] as? Int == 3)
        #expect(replaced.object["skipEmptySteps"] as? Bool == true)
        #expect(replaced.object["acknowledgementTimeoutSeconds"] as? Int == 3600)
        #expect(try Self.targetRows(api, id) == [ana])

        #expect(try await api.send("PUT", "\(Self.path)/\(id)", replacement, headers: ["If-Match": "\"1\""]).status == 412)
        #expect(try await api.send("DELETE", "\(Self.path)/\(id)", headers: ["If-Match": "\"1\""]).status == 412)
        #expect(try await api.send("DELETE", "\(Self.path)/\(id)", headers: ["If-Match": "\"2\""]).status == 204)
        #expect(try await api.send("GET", "\(Self.path)/\(id)").status == 404)
        #expect(try await api.send("PUT", "\(Self.path)/\(id)", replacement).status == 404)
        #expect(try await api.send("DELETE", "\(Self.path)/\(id)").status == 404)
        #expect(try Self.targetRows(api, id) == [])
    }

    @Test func invalidBodiesNameEachFieldAndStoreNothing() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let reply = try await api.send("POST", Self.path, Self.body(
            [Self.step([("user", ana)], delay: -1), Self.step([], delay: 86_401)], name: " ",
            extra: ["repeatCount": 21, "acknowledgementTimeoutSeconds": 59]))
        #expect(reply.status == 400)
        #expect(SchedulesAPIClient.fields(reply) == [
            "name", "steps.0.delaySeconds", "steps.1.targets", "steps.1.delaySeconds", "repeatCount", "acknowledgementTimeoutSeconds",
        ])

        let none = try await api.send("POST", Self.path, Self.body([]))
        #expect(none.status == 400 && SchedulesAPIClient.fields(none) == ["steps"])

        let unknown = try await api.send("POST", Self.path, Self.body([["targets": [["kind": "user", "id": ana, "urgent": true]], "delaySeconds": 1, "wait": 2]]))
        #expect(unknown.status == 400)
        #expect(SchedulesAPIClient.fields(unknown) == ["steps.0.wait", "steps.0.targets.0.urgent"])

        let kind = try await api.send("POST", Self.path, Self.body([Self.step([("team", ana)])]))
        #expect(kind.status == 400 && SchedulesAPIClient.fields(kind) == ["steps.0.targets.0.kind"])

        let id = try await api.send("POST", Self.path, Self.body([Self.step([("user", ana)])], extra: ["id": "esc_mine"]))
        #expect(id.status == 400 && SchedulesAPIClient.fields(id) == ["id"])

        let count = try api.server.application.database.read { db in try db.queryOne("SELECT count(*) AS n FROM escalation_policies")?.get("n", as: Int64.self) }
        #expect(count == 0)
    }

    @Test func missingTargetsAreNamedByPosition() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let rotation = try await api.rotation([ana])
        // A rotation id given as a schedule does not exist as a schedule.
        let reply = try await api.send("POST", Self.path, Self.body([
            Self.step([("user", ana), ("user", "usr_gone")]),
            Self.step([("rotation", rotation), ("schedule", rotation), ("rotation", "rot_gone")]),
        ]))
        #expect(reply.status == 400)
        #expect(SchedulesAPIClient.fields(reply) == ["steps.0.targets.1.id", "steps.1.targets.1.id", "steps.1.targets.2.id"])
        #expect(reply.text.contains("no user usr_gone") && reply.text.contains("no schedule \(rotation)"))
    }

    @Test func pagedUsersRotationsAndSchedulesCannotBeDeleted() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let rotation = try await api.rotation([bo])
        let schedule = try await api.schedule()
        let policy = try await api.create(Self.path, Self.body([Self.step([("user", ana), ("rotation", rotation), ("schedule", schedule)])]))

        for path in ["/api/v1/users/\(ana)", "/api/v1/rotations/\(rotation)", "/api/v1/schedules/\(schedule)"] {
            let reply = try await api.send("DELETE", path)
            #expect(reply.status == 409, "\(path): \(reply.text)")
            #expect(reply.text.contains("escalation policy \(policy)"), "\(path)")
        }
        // Replacing the policy releases what it no longer names.
        let replaced = try await api.send("PUT", "\(Self.path)/\(policy)", Self.body([Self.step([("user", bo)])]))
        #expect(replaced.status == 200, "\(replaced.text)")
        #expect(try await api.send("DELETE", "/api/v1/users/\(ana)").status == 204)
        #expect(try await api.send("DELETE", "/api/v1/schedules/\(schedule)").status == 204)
        #expect(try await api.send("DELETE", "/api/v1/users/\(bo)").status == 409)
        #expect(try await api.send("DELETE", "\(Self.path)/\(policy)").status == 204)
        #expect(try await api.send("DELETE", "/api/v1/rotations/\(rotation)").status == 204)
        #expect(try await api.send("DELETE", "/api/v1/users/\(bo)").status == 204)
    }

    @Test func servicesMustNameAStoredPolicyThatThenCannotBeDeleted() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let policy = try await api.create(Self.path, Self.body([Self.step([("user", ana)])]))

        let missing = try await api.send("POST", "/api/v1/services", ["name": "SOC", "escalationPolicyId": "esc_gone"])
        #expect(missing.status == 400)
        #expect(SchedulesAPIClient.fields(missing) == ["escalationPolicyId"])
        #expect(missing.text.contains("no escalation policy esc_gone"))

        let service = try await api.create("/api/v1/services", ["name": "SOC", "escalationPolicyId": policy])
        let inUse = try await api.send("DELETE", "\(Self.path)/\(policy)")
        #expect(inUse.status == 409)
        #expect(inUse.text.contains("service \(service)"))

        let cleared = try await api.send("PUT", "/api/v1/services/\(service)", ["name": "SOC", "escalationPolicyId": NSNull()])
        #expect(cleared.status == 200, "\(cleared.text)")
        #expect(try await api.send("DELETE", "\(Self.path)/\(policy)").status == 204)
    }

    @Test func viewersReadAndOnlyAdminsWrite() async throws {
        let api = try SchedulesAPIClient()
        let responder = try api.server.key(.responder, name: "responder")
        let ana = try await api.user("Ana")
        let body = Self.body([Self.step([("user", ana)])])
        #expect(try await api.send("POST", Self.path, body, token: api.viewer).status == 403)
        #expect(try await api.send("POST", Self.path, body, token: responder).status == 403)
        let id = try await api.create(Self.path, body)
        #expect(try await api.send("GET", Self.path, token: api.viewer).status == 200)
        #expect(try await api.send("GET", "\(Self.path)/\(id)", token: responder).status == 200)
        #expect(try await api.send("PUT", "\(Self.path)/\(id)", body, token: api.viewer).status == 403)
        #expect(try await api.send("DELETE", "\(Self.path)/\(id)", token: responder).status == 403)
        #expect(try await api.send("GET", Self.path, token: "wk_not_a_key").status == 401)
        #expect(try await api.send("GET", "\(Self.path)/\(id)").status == 200)
    }

    @Test func listPagesByIdWithACursor() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        var ids: [String] = []
        for n in 0..<5 { ids.append(try await api.create(Self.path, Self.body([Self.step([("user", ana)])], name: "P\(n)"))) }
        var seen: [String] = []
        var cursor: String?
        repeat {
            let reply = try await api.send("GET", "\(Self.path)?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: api.viewer)
            #expect(reply.status == 200, "\(reply.text)")
            let items = try #require(reply.object["items"] as? [[String: Any]])
            #expect(items.count <= 2)
            seen += items.compactMap { $0["id"] as? String }
            cursor = reply.object["nextCursor"] as? String
        } while cursor != nil
        #expect(seen == ids.sorted())
    }

    @Test func openAPIDescribesTheRoutesAndSchemas() throws {
        let api = try SchedulesAPIClient()
        let document = api.server.application.openAPI
        let json = String(decoding: document.encoded(), as: UTF8.self)
        for name in ["\"EscalationPolicy\"", "\"EscalationPolicyWrite\"", "\"EscalationPolicyPage\"", "\"EscalationStep\"", "\"EscalationTarget\"",
                     "listEscalationPolicies", "createEscalationPolicy", "deleteEscalationPolicy", "/api/v1/escalation-policies/{id}"] {
            #expect(json.contains(name), "\(name)")
        }
    }
}
