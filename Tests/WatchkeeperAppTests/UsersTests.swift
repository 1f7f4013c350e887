import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct UsersTests {
    let identity: [String: Any] = ["tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47", "objectId": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "upn": "ana@contoso.com"]

    @Test func createReadReplaceDelete() async throws {
        let api = try SchedulesAPIClient()
        var body = api.userBody("Ana")
        body["identities"] = [identity]
        let created = try await api.send("POST", "/api/v1/users", body)
        #expect(created.status == 201)
        let id = try #require(created.object["id"] as? String)
        #expect(id.hasPrefix("usr_") && id.count == 20)
        #expect(created.header("Location") == "/api/v1/users/\(id)")
        #expect(created.header("ETag") == "\"1\"")

        let read = try await api.send("GET", "/api/v1/users/\(id)", token: api.viewer)
        #expect(read.status == 200)
        #expect(read.header("ETag") == "\"1\"")
        #expect(read.object["name"] as? String == "Ana")
        #expect(read.object["role"] as? String == "responder")
        #expect(read.object["createdAt"] as? String == "2026-11-18T11:06:40Z")
        let identities = try #require(read.object["identities"] as? [[String: Any]])
        #expect(identities.count == 1 && identities[0]["upn"] as? String == "ana@contoso.com")

        // A GET body sent back with one change is a valid replacement (read-only members are accepted).
        var replacement = read.object
        replacement["name"] = "Ana Lima"
        replacement["identities"] = []
        api.server.time.advance(by: 60)
        let replaced = try await api.send("PUT", "/api/v1/users/\(id)", replacement)
        #expect(replaced.status == 200, "\(replaced.text)")
        #expect(replaced.header("ETag") == "\"2\"")
        #expect(replaced.object["name"] as? String == "Ana Lima")
        #expect((replaced.object["identities"] as? [Any])?.isEmpty == true)
        #expect(replaced.object["updatedAt"] as? String == "2026-11-18T11:07:40Z")
        #expect(replaced.object["createdAt"] as? String == "2026-11-18T11:06:40Z")

        #expect(try await api.send("DELETE", "/api/v1/users/\(id)").status == 204)
        #expect(try await api.send("GET", "/api/v1/users/\(id)").status == 404)
        #expect(try await api.send("DELETE", "/api/v1/users/\(id)").status == 404)
    }

    @Test func storedBodyIsTheSharedContract() async throws {
        let api = try SchedulesAPIClient()
        var body = api.userBody("Bo")
        body["identities"] = [identity]
        let id = try await api.create("/api/v1/users", body)
        let stored = try api.server.application.database.read { db in
            try db.queryOne("SELECT email, body FROM users WHERE id = ?", [.text(id)])
        }
        let row = try #require(stored)
        #expect(try row.get("email", as: String.self) == "bo@example.com")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try row.get("body", as: String.self).utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["id", "name", "email", "timeZone", "role"])
        let tenants = try api.server.application.database.read { db in
            try db.query("SELECT tenant_id FROM user_identities WHERE user_id = ?", [.text(id)]).count
        }
        #expect(tenants == 1)
    }

    @Test func validationNamesEveryFieldAndStoresNothing() async throws {
        let api = try SchedulesAPIClient()
        let duplicateTenant: [String: Any] = ["tenantId": identity["tenantId"]!, "objectId": "not-a-guid"]
        let reply = try await api.send("POST", "/api/v1/users", [
            "name": " ", "email": "ana.example.com", "timeZone": "Mars/Olympus", "role": "responder",
            "identities": [identity, duplicateTenant],
        ])
        #expect(reply.status == 400)
        #expect(reply.header("Content-Type") == "application/problem+json")
        #expect(SchedulesAPIClient.fields(reply) == ["name", "email", "timeZone", "identities.1.tenantId", "identities.1.objectId"])
        let list = try await api.send("GET", "/api/v1/users")
        #expect((list.object["items"] as? [Any])?.isEmpty == true)
    }

    @Test func badRoleIsNamed() async throws {
        let api = try SchedulesAPIClient()
        var body = api.userBody("Ana")
        body["role"] = "root"
        let reply = try await api.send("POST", "/api/v1/users", body)
        #expect(reply.status == 400)
        #expect(SchedulesAPIClient.fields(reply) == ["role"])
    }

    @Test func unknownMembersAreRefusedAtAnyDepth() async throws {
        let api = try SchedulesAPIClient()
        var body = api.userBody("Ana")
        body["timezone"] = "UTC"
        body["identities"] = [["tenantId": identity["tenantId"]!, "objectId": identity["objectId"]!, "upm": "x@y.z"]]
        let reply = try await api.send("POST", "/api/v1/users", body)
        #expect(reply.status == 400)
        #expect(SchedulesAPIClient.fields(reply) == ["timezone", "identities.0.upm"])
    }

    @Test func idIsAssignedByTheServerAndMustMatchTheURL() async throws {
        let api = try SchedulesAPIClient()
        var body = api.userBody("Ana")
        body["id"] = "usr_mine"
        let create = try await api.send("POST", "/api/v1/users", body)
        #expect(create.status == 400)
        #expect(SchedulesAPIClient.fields(create) == ["id"])

        let id = try await api.user("Ana")
        let replace = try await api.send("PUT", "/api/v1/users/\(id)", body)
        #expect(replace.status == 400)
        #expect(SchedulesAPIClient.fields(replace) == ["id"])
    }

    @Test func duplicateEmailIs409CaseInsensitively() async throws {
        let api = try SchedulesAPIClient()
        let first = try await api.user("Ana", email: "ana@example.com")
        let second = try await api.send("POST", "/api/v1/users", api.userBody("Ana Two", email: "ANA@Example.com"))
        #expect(second.status == 409)
        #expect(second.text.contains(first))
        // Replacing a user with its own address is not a conflict.
        #expect(try await api.send("PUT", "/api/v1/users/\(first)", api.userBody("Ana L", email: "Ana@example.com")).status == 200)
        let other = try await api.user("Bo")
        #expect(try await api.send("PUT", "/api/v1/users/\(other)", api.userBody("Bo", email: "ana@EXAMPLE.com")).status == 409)
    }

    @Test func deletingAReferencedUserIs409NamingTheReferrers() async throws {
        let api = try SchedulesAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let rotation = try await api.rotation([ana, bo])
        let schedule = try await api.schedule()
        let override = try await api.create("/api/v1/schedules/\(schedule)/overrides", [
            "start": "2026-12-01T00:00:00Z", "end": "2026-12-02T00:00:00Z", "action": "add", "addUserId": bo,
        ])

        let blocked = try await api.send("DELETE", "/api/v1/users/\(bo)")
        #expect(blocked.status == 409)
        #expect(blocked.text.contains("rotation \(rotation)"))
        #expect(blocked.text.contains("override \(override) of schedule \(schedule)"))
        #expect(try await api.send("GET", "/api/v1/users/\(bo)").status == 200)

        #expect(try await api.send("PUT", "/api/v1/rotations/\(rotation)", api.rotationBody([ana])).status == 200)
        #expect(try await api.send("DELETE", "/api/v1/schedules/\(schedule)/overrides/\(override)").status == 204)
        #expect(try await api.send("DELETE", "/api/v1/users/\(bo)").status == 204)
    }

    @Test func staleIfMatchIs412AndChangesNothing() async throws {
        let api = try SchedulesAPIClient()
        let id = try await api.user("Ana")
        let first = try await api.send("PUT", "/api/v1/users/\(id)", api.userBody("Ana B"), headers: ["If-Match": "\"1\""])
        #expect(first.status == 200, "\(first.text)")

        // A second admin still holding version 1.
        let stale = try await api.send("PUT", "/api/v1/users/\(id)", api.userBody("Ana C"), headers: ["If-Match": "\"1\""])
        #expect(stale.status == 412)
        #expect(stale.header("Content-Type") == "application/problem+json")
        #expect(stale.header("ETag") == "\"2\"")
        let read = try await api.send("GET", "/api/v1/users/\(id)")
        #expect(read.object["name"] as? String == "Ana B")
        #expect(read.header("ETag") == "\"2\"")

        #expect(try await api.send("DELETE", "/api/v1/users/\(id)", headers: ["If-Match": "\"1\""]).status == 412)
        #expect(try await api.send("GET", "/api/v1/users/\(id)").status == 200)
        #expect(try await api.send("PUT", "/api/v1/users/\(id)", api.userBody("Ana D"), headers: ["If-Match": "\"7\", \"2\""]).status == 200)
        #expect(try await api.send("PUT", "/api/v1/users/\(id)", api.userBody("Ana E"), headers: ["If-Match": "*"]).status == 200)
        #expect(try await api.send("PUT", "/api/v1/users/\(id)", api.userBody("Ana F"), headers: ["If-Match": "W/\"4\""]).status == 412)
        let malformed = try await api.send("DELETE", "/api/v1/users/\(id)", headers: ["If-Match": "4"])
        #expect(malformed.status == 400)
        #expect(SchedulesAPIClient.fields(malformed) == ["If-Match"])
        #expect(try await api.send("DELETE", "/api/v1/users/\(id)", headers: ["If-Match": "\"4\""]).status == 204)
    }

    @Test func ifNoneMatchAnswers304() async throws {
        let api = try SchedulesAPIClient()
        let id = try await api.user("Ana")
        let reply = try await api.send("GET", "/api/v1/users/\(id)", headers: ["If-None-Match": "\"1\""])
        #expect(reply.status == 304)
        #expect(try await api.send("GET", "/api/v1/users/\(id)", headers: ["If-None-Match": "\"0\""]).status == 200)
    }

    @Test func unknownIdsAre404() async throws {
        let api = try SchedulesAPIClient()
        let missing = "/api/v1/users/usr_AAAAAAAAAAAAAAAA"
        for method in ["GET", "DELETE"] {
            let reply = try await api.send(method, missing)
            #expect(reply.status == 404)
            #expect(reply.header("Content-Type") == "application/problem+json")
        }
        #expect(try await api.send("PUT", missing, api.userBody("Ana")).status == 404)
    }

    @Test func viewersReadAndAdminsWrite() async throws {
        let api = try SchedulesAPIClient()
        #expect(try await api.server.request("GET", "/api/v1/users").status == 401)
        #expect(try await api.send("POST", "/api/v1/users", api.userBody("Ana"), token: api.viewer).status == 403)
        let responder = try api.server.key(.responder)
        #expect(try await api.send("POST", "/api/v1/users", api.userBody("Ana"), token: responder).status == 403)
        let id = try await api.user("Ana")
        #expect(try await api.send("GET", "/api/v1/users/\(id)", token: api.viewer).status == 200)
        #expect(try await api.send("PUT", "/api/v1/users/\(id)", api.userBody("Bo"), token: api.viewer).status == 403)
        #expect(try await api.send("DELETE", "/api/v1/users/\(id)", token: api.viewer).status == 403)
    }

    @Test func bodyMustBeAJSONObject() async throws {
        let api = try SchedulesAPIClient()
        #expect(try await api.send("POST", "/api/v1/users", ["not", "an", "object"]).status == 400)
        let plain = try await api.server.request("POST", "/api/v1/users", token: api.admin, headers: ["Content-Type": "text/plain"])
        #expect(plain.status == 400 || plain.status == 415)
    }
}
