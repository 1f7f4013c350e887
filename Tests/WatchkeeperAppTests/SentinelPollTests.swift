import Foundation
import HTTPServer
import Sentinel
import Testing
@testable import WatchkeeperApp

/// The poller: changes made in Sentinel come back to the alert; our own writes do not.
@Suite struct SentinelPollTests {
    let time = ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000))
    static let tenant = "11111111-1111-1111-1111-111111111111"

    @Test func aCloseInThePortalResolvesTheAlertWithItsClassification() throws {
        let workspace = SentinelSyncTestWorkspace(tenantId: Self.tenant, time: time)
        let harness = try SentinelSyncTestHarness(workspaces: ["con_a": workspace], time: time)
        let armId = workspace.create(name: "inc-1", title: "Phishing")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        time.advance(by: 60)
        workspace.portal(armId) {
            SentinelSyncTestWorkspace.close(&$0, .init(classification: "BenignPositive", reason: "SuspiciousButExpected"))
            $0["owner"] = ["objectId": "dddddddd-0000-0000-0000-00000000000d", "assignedTo": "Dee"]
        }
        try harness.poll()
        let alert = try harness.alert(alertId)
        #expect(alert.status == .resolved)
        // Like the webhook: the incident's owner closed it (Sentinel does not say who did).
        #expect(alert.resolvedBy == "Dee")
        let timeline = try harness.timeline(alertId)
        #expect(timeline.contains { $0.contains("closed in Sentinel by Dee as BenignPositive / SuspiciousButExpected") })
        #expect(timeline.contains { $0.contains("changed in Sentinel: owner unassigned → Dee") })
        // Resolving because Sentinel closed it writes nothing back.
        #expect(try harness.writes(state: "queued") == 0)
        // A second poll of the same version changes nothing.
        let entries = timeline.count
        time.advance(by: 60)
        try harness.poll()
        #expect(try harness.timeline(alertId).count == entries)
        let status = try harness.application.connections.status("con_a")
        #expect(status.lastPollAt == time.now())
        #expect(status.pollCursor.flatMap(RFC3339.parse) == workspace.snapshot(armId)?.lastModified)
        #expect(status.lastError == nil)
    }

    @Test func ourOwnWritesNeverComeBackAsChanges() throws {
        let workspace = SentinelSyncTestWorkspace(tenantId: Self.tenant, time: time)
        let harness = try SentinelSyncTestHarness(workspaces: ["con_a": workspace], time: time)
        try harness.addUser("usr_ana", name: "Ana", identities: [(Self.tenant, "aaaaaaaa-0000-0000-0000-00000000000a")])
        let armId = workspace.create(name: "inc-2", title: "Echo")
        let alertId = try harness.linkAlert(toIncident: armId, connectionId: "con_a")
        _ = try harness.store.change(alertId, to: .acknowledged, actor: "Ana", method: "sms", actorUserId: "usr_ana")
        _ = try harness.store.changeSeverity(alertId, to: "High", actor: "Ana", method: "api")
        #expect(try harness.settleWrites())
        let before = try harness.timeline(alertId).count
        for _ in 0..<3 {
            time.advance(by: 61)
            try harness.poll()
            #expect(try harness.settleWrites())
        }
        #expect(try harness.timeline(alertId).count == before)
        #expect(workspace.ourPuts == 1)
        #expect(try harness.writes(state: "done") == 2)
    }

    @Test func thePollStepIsDueEveryIntervalPerConnection() throws {
        let workspace = SentinelSyncTestWorkspace(tenantId: Self.tenant, time: time)
        let harness = try SentinelSyncTestHarness(workspaces: ["con_a": workspace], time: time)
        let poll = harness.application.sentinelPoll
        let first = time.now()
        _ = try poll.run(at: first)
        poll.waitUntilIdle()
        let next = try #require(try poll.run(at: first))
        #expect(next >= first.addingTimeInterval(60))
        #expect(next <= first.addingTimeInterval(66))
    }

    /// New incidents: a connection without a default integration key records them (no alert); one
    /// with a key opens the alert the webhook would. Either path then sees the other's version as stale.
    @Test func newIncidentsAreRecordedWithoutADefaultKeyAndOpenAlertsWithOne() throws {
        let plain = SentinelSyncTestWorkspace(tenantId: Self.tenant, time: time)
        let keyed = SentinelSyncTestWorkspace(tenantId: Self.tenant, time: time)
        let harness = try SentinelSyncTestHarness(workspaces: ["con_a": plain, "con_b": keyed], time: time)
        let serviceId = SentinelSyncTestHarness.serviceId
        try harness.application.database.write { db in
            try db.run("""
                INSERT INTO integration_keys (id, service_id, name, format, key_prefix, key_hash, created_at)
                VALUES ('ik_b', ?, 'sentinel', 'generic', 'wk_int_', x'01', 0)
                """, [.text(serviceId)])
            try db.run("""
                UPDATE connections SET customer = 'Fabrikam', subscription_id = 'sub-2', resource_group = 'rg', workspace_name = 'ws-2',
                                       workspace_id = 'workspace-2', integration_key_id = 'ik_b'
                WHERE id = 'con_b'
                """)
            // The key's routing rule sees the connection's customer.
            try db.run("""
                INSERT INTO routing_rules (integration_key_id, position, id, body, created_at, updated_at)
                VALUES ('ik_b', 0, 'fabrikam', ?, 0, 0)
                """, [.text(#"{"name":"Fabrikam","conditions":{"customer":"Fabrikam"},"actions":{"note":"Fabrikam runbook"}}"#)])
        }
        let unkeyed = plain.create(name: "inc-a", title: "Unkeyed")
        let withKey = keyed.create(name: "inc-b", title: "Keyed", severity: "High", subscription: "sub-2", workspace: "ws-2")
        try harness.poll()
        let database = harness.application.database
        let recorded = try #require(try harness.known(unkeyed))
        #expect(recorded.alertId == nil && recorded.serviceId == nil && recorded.connectionId == "con_a" && recorded.tenantId == Self.tenant)
        let opened = try #require(try harness.known(withKey))
        let alertId = try #require(opened.alertId)
        let alert = try harness.alert(alertId)
        #expect(alert.serviceId == serviceId && alert.dedupKey == withKey.lowercased() && alert.severity == "High")
        #expect(alert.summary.contains("Fabrikam"), "\(alert.summary)")
        let timeline = try harness.timeline(alertId)
        #expect(timeline.first == "created from a Microsoft Sentinel incident, new incident (poll): \(alert.summary)")
        #expect(timeline.contains { $0.contains("Fabrikam runbook") }, "\(timeline)")
        #expect(try database.read { db in try db.queryOne("SELECT COUNT(*) AS n FROM alerts")!.get("n", as: Int.self) } == 1)
        // Linked through its connection: our changes are written back.
        #expect(try database.read { db in try SentinelIncidentStore.link(ofAlert: alertId, db: db) }?.connectionId == "con_b")

        // The webhook's apply of the version the poller recorded: its alert now (no alert had been opened).
        let version = try #require(plain.snapshot(unkeyed)).parsed()
        let now = time.now()
        func webhook(_ incident: SentinelIncident) throws -> SentinelState.ApplyResult {
            try database.write { db in
                let context = try SentinelState.context(serviceId: serviceId, integrationKeyId: nil, actor: "integration key sentinel", connectionId: nil,
                                                        customer: nil, db: db)
                return try SentinelState.apply(incident, source: .webhook, context: context, at: now, firstPages: nil, db: db)
            }
        }
        let created = try webhook(version)
        #expect(created.outcome == .created)
        #expect(try harness.known(unkeyed)?.alertId == created.alertId && created.alertId != nil)
        // Seen by one path, stale for the other: no second timeline line.
        #expect(try webhook(version).outcome == .stale)
        let keyedVersion = try #require(keyed.snapshot(withKey)).parsed()
        let before = try harness.timeline(alertId).count
        #expect(try webhook(keyedVersion).outcome == .stale)
        time.advance(by: 61)
        try harness.poll()
        #expect(try harness.timeline(alertId).count == before)
        #expect(try database.read { db in try db.queryOne("SELECT COUNT(*) AS n FROM alerts")!.get("n", as: Int.self) } == 2)
    }
}
