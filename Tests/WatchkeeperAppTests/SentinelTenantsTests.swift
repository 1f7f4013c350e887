import Foundation
import Testing
@testable import WatchkeeperApp

/// Acceptance 4: two connections in two tenants at once; a user's owner id is chosen per tenant.
@Suite struct SentinelTenantsTests {
    @Test func oneUserBecomesOwnerWithEachTenantsObjectId() throws {
        let time = ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000))
        let contoso = SentinelSyncTestWorkspace(tenantId: "c0000000-0000-0000-0000-00000000000c", time: time)
        let fabrikam = SentinelSyncTestWorkspace(tenantId: "f0000000-0000-0000-0000-00000000000f", time: time)
        let harness = try SentinelSyncTestHarness(workspaces: ["con_contoso": contoso, "con_fabrikam": fabrikam], time: time)
        try harness.addUser("usr_ana", name: "Ana", identities: [(contoso.tenantId, "aaaaaaaa-0000-0000-0000-0000000000c1"),
                                                                  (fabrikam.tenantId, "aaaaaaaa-0000-0000-0000-0000000000f1")])
        let first = contoso.create(name: "inc-c", title: "Contoso", subscription: "sub-c", workspace: "ws-contoso")
        let second = fabrikam.create(name: "inc-f", title: "Fabrikam", subscription: "sub-f", workspace: "ws-fabrikam")
        let alertC = try harness.linkAlert(toIncident: first, connectionId: "con_contoso")
        let alertF = try harness.linkAlert(toIncident: second, connectionId: "con_fabrikam")
        _ = try harness.store.change(alertC, to: .acknowledged, actor: "Ana", method: "sms", actorUserId: "usr_ana")
        _ = try harness.store.change(alertF, to: .acknowledged, actor: "Ana", method: "voice", actorUserId: "usr_ana")
        #expect(try harness.settleWrites())
        #expect(SentinelWriteChange.ownerId(try #require(contoso.incident(first)).properties) == "aaaaaaaa-0000-0000-0000-0000000000c1")
        #expect(SentinelWriteChange.ownerId(try #require(fabrikam.incident(second)).properties) == "aaaaaaaa-0000-0000-0000-0000000000f1")
        #expect(contoso.ourPuts == 1 && fabrikam.ourPuts == 1)
        // Each workspace only ever saw its own incident.
        #expect(contoso.incident(second) == nil && fabrikam.incident(first) == nil)

        // Both pollers run; a close in one tenant resolves only that tenant's alert.
        time.advance(by: 60)
        fabrikam.portal(second) { SentinelSyncTestWorkspace.close(&$0, .init(classification: "TruePositive", reason: "SuspiciousActivity")) }
        try harness.poll()
        #expect(try harness.alert(alertF).status == .resolved)
        #expect(try harness.alert(alertC).status == .acknowledged)
        for connection in ["con_contoso", "con_fabrikam"] {
            let status = try harness.application.connections.status(connection)
            #expect(status.lastPollAt == time.now())
        }
    }
}
