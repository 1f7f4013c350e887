import Foundation
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
        let status = try harness.application.database.read { db in try SentinelPollState.status(connectionId: "con_a", db: db) }
        #expect(status.lastPollAt == time.now())
        #expect(status.cursor == workspace.snapshot(armId)?.lastModified)
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
}
