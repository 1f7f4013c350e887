import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct AuthenticationTests {
    @Test func missingKeyIs401WithChallenge() async throws {
        let server = try TestServer()
        let reply = try await server.request("GET", "/api/v1/me")
        #expect(reply.status == 401)
        #expect(reply.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(reply.header("Content-Type") == "application/problem+json")
    }

    @Test func wrongSchemeOrUnknownKeyIs401() async throws {
        let server = try TestServer()
        let key = try server.key(.admin)
        #expect(try await server.request("GET", "/api/v1/me", headers: ["Authorization": "Basic \(key)"]).status == 401)
        #expect(try await server.request("GET", "/api/v1/me", token: key + "x").status == 401)
        #expect(try await server.request("GET", "/api/v1/me", token: "wk_" + String(repeating: "A", count: 43)).status == 401)
    }

    @Test func meTellsTheKeysNameAndRole() async throws {
        let server = try TestServer()
        let key = try server.key(.responder, name: "night shift")
        let reply = try await server.request("GET", "/api/v1/me", token: key)
        #expect(reply.status == 200)
        #expect(reply.object["name"] as? String == "night shift")
        #expect(reply.object["role"] as? String == "responder")
        #expect(reply.object["kind"] as? String == "api_key")
    }

    @Test func rolesGateActions() async throws {
        let server = try TestServer()
        for role in [Role.viewer, .responder] {
            let reply = try await server.request("POST", "/api/v1/api-keys", token: try server.key(role), json: ["name": "x", "role": "viewer"])
            #expect(reply.status == 403)
        }
        let admin = try server.key(.admin)
        #expect(try await server.request("POST", "/api/v1/api-keys", token: admin, json: ["name": "x", "role": "viewer"]).status == 201)
    }

    @Test func revokedKeyStopsWorking() async throws {
        let server = try TestServer()
        let admin = try server.key(.admin)
        let created = try await server.request("POST", "/api/v1/api-keys", token: admin, json: ["name": "temp", "role": "viewer"])
        let secret = try #require(created.object["secret"] as? String)
        let id = try #require((created.object["key"] as? [String: Any])?["id"] as? Int)
        #expect(try await server.request("GET", "/api/v1/me", token: secret).status == 200)
        #expect(try await server.request("DELETE", "/api/v1/api-keys/\(id)", token: admin).status == 204)
        #expect(try await server.request("GET", "/api/v1/me", token: secret).status == 401)
        #expect(try await server.request("DELETE", "/api/v1/api-keys/999999", token: admin).status == 404)
    }

    @Test func badInputNamesTheFieldAndChangesNothing() async throws {
        let server = try TestServer()
        let admin = try server.key(.admin)
        let before = try server.application.keys.list().count
        let badRole = try await server.request("POST", "/api/v1/api-keys", token: admin, json: ["name": "x", "role": "root"])
        #expect(badRole.status == 400)
        #expect(((badRole.object["errors"] as? [[String: Any]])?.first?["field"] as? String) == "role")
        let blankName = try await server.request("POST", "/api/v1/api-keys", token: admin, json: ["name": "  ", "role": "viewer"])
        #expect(blankName.status == 400)
        #expect(((blankName.object["errors"] as? [[String: Any]])?.first?["field"] as? String) == "name")
        #expect(try server.application.keys.list().count == before)
    }

    @Test func secretsAreStoredOnlyAsHashes() throws {
        let server = try TestServer()
        let secret = try server.key(.admin)
        let stored = try server.application.database.read { db in try db.query("SELECT * FROM api_keys") }
        for row in stored {
            for column in ["name", "key_prefix", "role"] {
                let value: String = try row.get(column)
                #expect(!value.contains(secret.dropFirst(12)))
            }
        }
    }
}
