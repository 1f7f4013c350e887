import FakeAzure
import Foundation
import Logging
import Testing
@testable import WatchkeeperApp

/// Acceptance 1 and 4 end to end: the write-back and the poller through the stored connections'
/// real ARM clients, against the loopback FakeARM + Entra (which validates every request against
/// the saved incidents spec), two tenants at once.
@Suite struct SentinelTenantsLoopbackTests {
    static let secret = "fake-secret-value-0123456789"

    @Test func twoTenantsOverLoopbackARM() throws {
        let cloud = try FakeAzureCloud()
        defer { cloud.shutdown() }
        let time = ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000))
        cloud.arm.setClock { time.now() }
        let contoso = FakeARM.Workspace(tenantId: "5b3c8f2e-9d41-4a7c-b6e2-1f0a9c3d7e54", subscriptionId: "3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63",
                                        resourceGroup: "rg-soc", workspaceName: "law-contoso")
        let fabrikam = FakeARM.Workspace(tenantId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", subscriptionId: "11111111-2222-4333-8444-555555555555",
                                         resourceGroup: "rg-soc", workspaceName: "law-fabrikam")
        cloud.add(contoso, clientId: "0e4c6a8f-2b4d-4e6f-8a0c-2e4a6c8e0a41", clientSecret: Self.secret)
        cloud.add(fabrikam, clientId: "0e4c6a8f-2b4d-4e6f-8a0c-2e4a6c8e0a41", clientSecret: Self.secret)
        cloud.arm.addUser(objectId: "aaaaaaaa-0000-4000-8000-0000000000c1", name: "Ana (Contoso)", email: "ana@contoso.com")
        cloud.arm.addUser(objectId: "aaaaaaaa-0000-4000-8000-0000000000f1", name: "Ana (Fabrikam)", email: "ana@fabrikam.com")

        let (configuration, directory) = try loopbackAzureConfiguration("wk-sentinel-lb")
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "sentinel-lb")
        logger.logLevel = .critical
        let application = try Application(configuration: configuration, logger: logger, time: time)
        defer { application.shutdown() }

        var ids: [String] = []
        for workspace in [contoso, fabrikam] {
            let connection = try application.connections.create(ConnectionInput(
                customer: workspace.workspaceName, tenantId: workspace.tenantId, clientId: "0e4c6a8f-2b4d-4e6f-8a0c-2e4a6c8e0a41", clientSecret: Self.secret,
                subscriptionId: workspace.subscriptionId, resourceGroup: workspace.resourceGroup, workspaceName: workspace.workspaceName,
                workspaceId: "e7d1c0b4-2a3f-4c5d-9e8f-1a2b3c4d5e6f", authorityURL: cloud.authorityURL, armURL: cloud.armURL))
            ids.append(connection.id)
        }
        try application.database.write { db in
            try db.run("INSERT INTO services (id, version, created_at, updated_at, body) VALUES ('svc_soc', 1, 0, 0, ?)",
                       [.text(#"{"id":"svc_soc","name":"SOC","description":"","escalationPolicyId":null,"urgency":"high","maintenanceUntil":null}"#)])
            try db.run("INSERT INTO users (id, version, created_at, updated_at, email, body) VALUES ('usr_ana', 1, 0, 0, 'ana@example.com', ?)",
                       [.text(#"{"id":"usr_ana","name":"Ana","email":"ana@example.com","timeZone":"UTC","role":"responder"}"#)])
            try db.run("INSERT INTO user_identities (user_id, tenant_id, object_id) VALUES ('usr_ana', ?, 'aaaaaaaa-0000-4000-8000-0000000000c1'), ('usr_ana', ?, 'aaaaaaaa-0000-4000-8000-0000000000f1')",
                       [.text(contoso.tenantId), .text(fabrikam.tenantId)])
        }
        let names = [cloud.arm.seedIncident(in: contoso, title: "Contoso sign-in"), cloud.arm.seedIncident(in: fabrikam, title: "Fabrikam sign-in")]
        var alerts: [String] = []
        for (index, workspace) in [contoso, fabrikam].enumerated() {
            let transport = try #require(try application.sentinelConnections.transport(forConnection: ids[index]))
            guard case .success(let incident) = transport.getIncident(armId: "\(workspace.incidentsPath)/\(names[index])") else {
                Issue.record("cannot read the seeded incident")
                return
            }
            let alertId = "alt_lb\(index)"
            let connectionId = ids[index]
            try application.database.write { db in
                try db.run("""
                    INSERT INTO alerts (id, service_id, dedup_key, summary, details, links, severity, urgency, status, created_at, last_event_at, event_count)
                    VALUES (?, 'svc_soc', ?, 'x', '{}', '[]', 'High', 'high', 'triggered', 0, 0, 1)
                    """, [.text(alertId), .text(incident.key)])
                try SentinelIncidentStore.save(try incident.parsed(), alertId: alertId, serviceId: "svc_soc", integrationKeyId: nil,
                                               connectionId: connectionId, tenantId: workspace.tenantId, at: Date(timeIntervalSince1970: 0), db: db)
            }
            alerts.append(alertId)
        }
        let store = AlertStore(database: application.database, time: time)
        for alertId in alerts { _ = try store.change(alertId, to: .acknowledged, actor: "Ana", method: "sms", actorUserId: "usr_ana") }
        // The first PUT is throttled: nothing more until Retry-After has passed.
        cloud.arm.inject(.throttle(retryAfter: 7))
        for _ in 0..<6 {
            _ = try application.sentinelSync.run(at: time.now())
            application.sentinelSync.waitUntilIdle()
            if let due = try application.database.read({ db in try SentinelWriteQueue.nextDue(db: db) }), due > time.now() { time.set(due) }
        }
        #expect(try application.database.read { db in try db.queryOne("SELECT COUNT(*) AS n FROM sentinel_writes WHERE state = 'done'")!.get("n", as: Int.self) } == 2)
        for (index, workspace) in [contoso, fabrikam].enumerated() {
            let properties = cloud.arm.properties(names[index], in: workspace)
            #expect((properties["owner"] as? [String: Any])?["objectId"] as? String == ["aaaaaaaa-0000-4000-8000-0000000000c1", "aaaaaaaa-0000-4000-8000-0000000000f1"][index])
            #expect(properties["status"] as? String == "Active")
            #expect(cloud.arm.comments(names[index], in: workspace).count == 1)
        }
        #expect(cloud.arm.violations.isEmpty, "\(cloud.arm.violations)")
        #expect(cloud.entra.tokensIssued == 2)

        // A close in Fabrikam's portal comes back through the poller and resolves only that alert.
        time.advance(by: 120)
        cloud.arm.portalEdit(names[1], in: fabrikam) { $0["status"] = "Closed"; $0["classification"] = "FalsePositive"; $0["classificationReason"] = "InaccurateData" }
        try application.sentinelPoll.pollAllNow()
        #expect(try store.get(alerts[1]).status == .resolved)
        #expect(try store.get(alerts[0]).status == .acknowledged)
        // GET /api/v1/connections/{id}/status reads what the poller and the write-back recorded.
        let status = try application.connections.status(ids[1])
        #expect(status.lastPollAt == time.now() && status.lastError == nil && status.pollCursor != nil)
        #expect(try application.connections.status(ids[0]).throttleCount + status.throttleCount == 1)
        #expect(cloud.arm.violations.isEmpty, "\(cloud.arm.violations)")
    }
}
