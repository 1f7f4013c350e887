import Cryptography
import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct IntegrationKeysTests {
    @Test func secretIsShownOnceAndOnlyItsHashIsStored() async throws {
        let api = try AlertsAPIClient()
        let service = try await api.service()
        let created = try await api.send("POST", "/api/v1/services/\(service)/integration-keys", ["name": "sentinel", "format": "events-v2"])
        #expect(created.status == 201, "\(created.text)")
        let secret = try #require(created.object["secret"] as? String)
        // wki_ and 24 random bytes in base64url: 192 bits.
        #expect(secret.hasPrefix("wki_") && secret.count == 36)
        #expect(created.object["ingestURL"] as? String == "\(api.server.application.configuration.publicURL)/api/v1/integrations/\(secret)/events")
        let key = try #require(created.object["key"] as? [String: Any])
        let keyId = try #require(key["id"] as? String)
        #expect(keyId.hasPrefix("ik_") && key["format"] as? String == "events-v2" && key["serviceId"] as? String == service)
        #expect(key["revokedAt"] is NSNull)

        let list = try await api.send("GET", "/api/v1/services/\(service)/integration-keys")
        #expect(list.status == 200)
        #expect((list.object["items"] as? [Any])?.count == 1)
        #expect(!list.text.contains(secret))

        let stored = try api.server.application.database.read { db in
            try db.query("SELECT id, service_id, name, format, key_prefix, key_hash, created_at, revoked_at FROM integration_keys")
        }
        #expect(stored.count == 1)
        #expect(try stored[0].get("key_hash", as: [UInt8].self) == Digest.sha256(Array(secret.utf8)))
        #expect(!stored[0].description.contains(String(secret.dropFirst(10))))

        // A second key has another secret.
        #expect(try await api.integrationKey(service) != secret)
    }

    @Test func revokedKeyIsRefusedOnIngest() async throws {
        let api = try AlertsAPIClient()
        let service = try await api.service()
        let created = try await api.send("POST", "/api/v1/services/\(service)/integration-keys", ["name": "sentinel", "format": "generic"])
        let secret = try #require(created.object["secret"] as? String)
        let keyId = try #require((created.object["key"] as? [String: Any])?["id"] as? String)
        #expect(try await api.event(secret, ["summary": "before"]).status == 202)

        #expect(try await api.send("DELETE", "/api/v1/services/\(service)/integration-keys/\(keyId)").status == 204)
        let refused = try await api.event(secret, ["summary": "after"])
        #expect(refused.status == 404)
        #expect(refused.header("Content-Type") == "application/problem+json")
        #expect(try api.count("alerts") == 1)
        let list = try await api.send("GET", "/api/v1/services/\(service)/integration-keys")
        #expect((list.object["items"] as? [[String: Any]])?.first?["revokedAt"] is String)

        #expect(try await api.send("DELETE", "/api/v1/services/\(service)/integration-keys/ik_nope").status == 404)
        #expect(try await api.event("wki_neverissued", ["summary": "x"]).status == 404)
    }

    @Test func invalidRequestsAndRoles() async throws {
        let api = try AlertsAPIClient()
        let service = try await api.service()
        let format = try await api.send("POST", "/api/v1/services/\(service)/integration-keys", ["name": "x", "format": "sentinel-v9"])
        #expect(format.status == 400 && AlertsAPIClient.fields(format) == ["format"])
        let unknown = try await api.send("POST", "/api/v1/services/\(service)/integration-keys", ["name": "x", "format": "generic", "secret": "mine"])
        #expect(unknown.status == 400 && AlertsAPIClient.fields(unknown) == ["secret"])
        let name = try await api.send("POST", "/api/v1/services/\(service)/integration-keys", ["name": "  ", "format": "generic"])
        #expect(name.status == 400 && AlertsAPIClient.fields(name) == ["name"])
        #expect(try await api.send("POST", "/api/v1/services/svc_missing/integration-keys", ["name": "x", "format": "generic"]).status == 404)
        #expect(try await api.send("GET", "/api/v1/services/svc_missing/integration-keys").status == 404)
        #expect(try await api.send("GET", "/api/v1/services/\(service)/integration-keys", token: api.viewer).status == 403)
        #expect(try await api.send("POST", "/api/v1/services/\(service)/integration-keys", ["name": "x", "format": "generic"], token: api.responder).status == 403)
        #expect(try api.count("integration_keys") == 0)
    }
}
