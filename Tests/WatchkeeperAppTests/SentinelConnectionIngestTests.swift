import Foundation
import Sentinel
import Testing
@testable import WatchkeeperApp

/// Connections and the one apply function: a webhook incident takes its workspace's connection
/// (customer, write-back path); the connection's default integration key decides whether the
/// poller opens alerts for incidents it sees first.
@Suite struct SentinelConnectionIngestTests {
    static let key4711 = SentinelIngestTests.key4711

    /// A service, an integration key whose rule matches customer Contoso, and a connection to
    /// Contoso's workspace (the fixtures' subscription, resource group and workspace name).
    struct Setup {
        let server: ConnectionTests.Server
        let admin: String
        let serviceId: String
        let keyId: String
        let secret: String
        let connectionId: String

        init(defaultKey: Bool = false) async throws {
            server = try ConnectionTests.Server(key: ConnectionSecretKey(key: .generate()))
            admin = try server.application.keys.create(name: "a", role: .admin).secret
            let service = try await server.request("POST", "/api/v1/services", token: admin, json: ["name": "SOC"])
            serviceId = try #require(service.object["id"] as? String, "\(service.text)")
            let key = try await server.request("POST", "/api/v1/services/\(serviceId)/integration-keys", token: admin,
                                               json: ["name": "sentinel", "format": "generic"])
            secret = try #require(key.object["secret"] as? String)
            keyId = try #require((key.object["key"] as? [String: Any])?["id"] as? String)
            let rules = try await server.request("PUT", "/api/v1/services/\(serviceId)/integration-keys/\(keyId)/routing-rules", token: admin, json: [
                "rules": [["id": "contoso", "name": "Contoso", "conditions": ["customer": "Contoso"], "actions": ["note": "Contoso's runbook"]]],
            ])
            #expect(rules.status == 200, "\(rules.text)")
            var body = ConnectionTests.body()
            if defaultKey { body["integrationKeyId"] = keyId }
            let created = try await server.request("POST", "/api/v1/connections", token: admin, json: body)
            #expect(created.status == 201, "\(created.text)")
            connectionId = try #require(created.object["id"] as? String)
        }
    }

    @Test func aWebhookIncidentTakesItsWorkspacesConnectionCustomerAndWriteBackPath() async throws {
        let setup = try await Setup()
        defer { setup.server.shutdown() }
        let body = try SentinelFixtureClient.object("logicapp-incident-created-high.json")
        let reply = try await setup.server.request("POST", "/api/v1/integrations/\(setup.secret)/sentinel", token: "", json: body)
        #expect(reply.status == 202, "\(reply.text)")
        let alertId = try #require(reply.object["alertId"] as? String)
        let database = setup.server.application.database
        let alert = try AlertStore(database: database, time: ManualTimeSource(Date(timeIntervalSince1970: 0))).get(alertId)
        // The page text names the customer, not the workspace.
        #expect(alert.summary.hasPrefix("High #4711 Contoso: "), "\(alert.summary)")
        let messages = try database.read { db in
            try db.query("SELECT message FROM alert_timeline WHERE alert_id = ? ORDER BY id", [.text(alertId)]).map { try $0.get("message", as: String.self) }
        }
        // The routing rule's customer condition saw Contoso.
        #expect(messages.contains { $0.contains("Contoso's runbook") }, "\(messages)")
        let (held, link) = try database.read { db in
            (try SentinelIncidentStore.fetch(incidentKey: Self.key4711, db: db), try SentinelIncidentStore.link(ofAlert: alertId, db: db))
        }
        #expect(held?.connectionId == setup.connectionId)
        #expect(link == SentinelIncidentStore.Link(incidentKey: Self.key4711, connectionId: setup.connectionId, tenantId: "5b3c8f2e-9d41-4a7c-b6e2-1f0a9c3d7e54"))
    }

    @Test func aWebhookIncidentFromAnotherWorkspaceHasNoConnection() async throws {
        let setup = try await Setup()
        defer { setup.server.shutdown() }
        var body = try SentinelFixtureClient.object("logicapp-incident-created-high.json")
        var object = try #require(body["object"] as? [String: Any])
        object["id"] = (object["id"] as? String)?.replacingOccurrences(of: "law-contoso-sentinel", with: "law-fabrikam")
        body["object"] = object
        body["workspaceId"] = "00000000-0000-4000-8000-000000000001"
        body["workspaceInfo"] = ["SubscriptionId": "3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63", "ResourceGroupName": "rg-soc-contoso", "WorkspaceName": "law-fabrikam"]
        let reply = try await setup.server.request("POST", "/api/v1/integrations/\(setup.secret)/sentinel", token: "", json: body)
        #expect(reply.status == 202, "\(reply.text)")
        let alertId = try #require(reply.object["alertId"] as? String)
        let alert = try AlertStore(database: setup.server.application.database, time: ManualTimeSource(Date(timeIntervalSince1970: 0))).get(alertId)
        #expect(!alert.summary.contains("Contoso"), "\(alert.summary)")
        let link = try setup.server.application.database.read { db in try SentinelIncidentStore.link(ofAlert: alertId, db: db) }
        #expect(link == nil)
    }

    @Test func theDefaultIntegrationKeyIsValidatedAndShown() async throws {
        let setup = try await Setup()
        defer { setup.server.shutdown() }
        let path = "/api/v1/connections/\(setup.connectionId)"
        let unknown = try await setup.server.request("PATCH", path, token: setup.admin, json: ["integrationKeyId": "ik_nope"])
        #expect(unknown.status == 400 && ((unknown.object["errors"] as? [[String: Any]])?.first?["field"] as? String) == "integrationKeyId", "\(unknown.text)")
        let set = try await setup.server.request("PATCH", path, token: setup.admin, json: ["integrationKeyId": setup.keyId])
        #expect(set.status == 200 && set.object["integrationKeyId"] as? String == setup.keyId, "\(set.text)")
        let cleared = try await setup.server.request("PATCH", path, token: setup.admin, json: ["integrationKeyId": ""])
        #expect(cleared.status == 200 && cleared.object["integrationKeyId"] == nil, "\(cleared.text)")
    }
}
