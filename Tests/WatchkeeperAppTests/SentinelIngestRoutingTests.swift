import Foundation
import Sentinel
import Storage
import Testing
@testable import WatchkeeperApp

/// What ingest does with each routing action (the rules themselves are tested with routing):
/// a paged service, so "nobody is paged" is a real difference.
@Suite struct SentinelIngestRoutingTests {
    struct Setup {
        let paging: PagingAPIClient
        let service: Service
        let otherServiceId: String
    }

    private func setup() async throws -> Setup {
        let paging = try PagingAPIClient()
        let user = try await paging.user("Ana")
        let policy = try await paging.policy([(targets: [("user", user)], delaySeconds: 0)])
        let (serviceId, _) = try await paging.service(policy: policy)
        let other = try await paging.alerts.service("SOC Tier 2", extra: ["escalationPolicyId": policy])
        let service = try #require(try paging.server.application.database.read { db in try SentinelIncidentStore.service(id: serviceId, db: db) })
        return Setup(paging: paging, service: service, otherServiceId: other)
    }

    private func apply(_ setup: Setup, _ fixture: String, decision: RoutingDecision) throws -> SentinelState.ApplyResult {
        let incident = try LogicAppTrigger.parse(json: try SentinelFixtureClient.data(fixture)).incident
        let context = SentinelState.Context(service: setup.service, integrationKeyId: "ik_test", actor: "integration key sentinel",
                                            decide: { keyId, facts, _, _ in
                                                #expect(keyId == "ik_test" && facts.workspace == "law-contoso-sentinel")
                                                return decision
                                            })
        let now = setup.paging.time.now()
        return try setup.paging.server.application.database.write { db in
            try SentinelState.apply(incident, source: .webhook, context: context, at: now, firstPages: nil, db: db)
        }
    }

    private func escalates(_ setup: Setup, _ alertId: String) throws -> Bool {
        try setup.paging.server.application.database.read { db in
            try db.queryOne("SELECT alert_id FROM alert_escalations WHERE alert_id = ?", [.text(alertId)]) != nil
        }
    }

    private func timeline(_ setup: Setup, _ alertId: String) async throws -> [(kind: String, message: String)] {
        let reply = try await setup.paging.send("GET", "/api/v1/alerts/\(alertId)/timeline?limit=500")
        return (reply.object["items"] as? [[String: Any]] ?? []).map { ($0["kind"] as? String ?? "", $0["message"] as? String ?? "") }
    }

    @Test func noRuleMatchedPagesTheKeysService() async throws {
        let setup = try await setup()
        let result = try apply(setup, "logicapp-incident-created-high.json", decision: .default)
        let alertId = try #require(result.alertId)
        #expect(try escalates(setup, alertId))
        #expect(try await timeline(setup, alertId).map(\.message).contains("no routing rule matched: no rule matched"))
    }

    @Test func suppressRecordsAndPagesNobodyAndSaysWhichRuleMatched() async throws {
        let setup = try await setup()
        let decision = RoutingDecision(ruleId: "rr_lab", rulePosition: 2, suppress: true, note: "lab workspace: review in the morning",
                                       explanation: ["workspace matches law-contoso-*"])
        let alertId = try #require(try apply(setup, "logicapp-incident-created-high.json", decision: decision).alertId)
        #expect(try !escalates(setup, alertId))
        let entries = try await timeline(setup, alertId)
        #expect(entries.contains { $0.kind == "note" && $0.message == "routing rule #2 rr_lab matched: workspace matches law-contoso-*" })
        #expect(entries.contains { $0.kind == "suppressed" && $0.message == "suppressed by routing rule #2 rr_lab: recorded, nobody is paged" })
        #expect(entries.contains { $0.kind == "note" && $0.message == "lab workspace: review in the morning" })
        #expect(try await setup.paging.send("GET", "/api/v1/alerts/\(alertId)").object["status"] as? String == "triggered")
    }

    @Test func lowUrgencyRecordsQuietlyUntilTheSeverityIsRaised() async throws {
        let setup = try await setup()
        let low = RoutingDecision(ruleId: "rr_info", rulePosition: 1, urgency: .low, explanation: ["severity in [Informational]"])
        let alertId = try #require(try apply(setup, "logicapp-incident-created-informational.json", decision: low).alertId)
        #expect(try !escalates(setup, alertId))
        #expect(try await setup.paging.send("GET", "/api/v1/alerts/\(alertId)").object["urgency"] as? String == "low")
        #expect(try await timeline(setup, alertId).contains { $0.kind == "suppressed" && $0.message.hasPrefix("low urgency by routing rule #1 rr_info") })

        // Raised to High in Sentinel: no rule keeps it quiet now, so paging starts.
        let raised = try apply(setup, "logicapp-incident-severity-raised.json", decision: .default)
        #expect(raised.outcome == .updated && raised.alertId == alertId)
        #expect(try escalates(setup, alertId))
        #expect(try await setup.paging.send("GET", "/api/v1/alerts/\(alertId)").object["urgency"] as? String == "high")
        #expect(try await timeline(setup, alertId).contains { $0.message.hasPrefix("severity raised to High in Sentinel; routing now pages") })
    }

    @Test func aRuleRoutesToAnotherServiceAndSetsUrgency() async throws {
        let setup = try await setup()
        let decision = RoutingDecision(ruleId: "rr_fin", rulePosition: 1, serviceId: setup.otherServiceId, urgency: .high, explanation: ["entity Host WS-FIN-*"])
        let alertId = try #require(try apply(setup, "logicapp-incident-created-high.json", decision: decision).alertId)
        let alert = try await setup.paging.send("GET", "/api/v1/alerts/\(alertId)").object
        #expect(alert["serviceId"] as? String == setup.otherServiceId && alert["urgency"] as? String == "high")
        #expect(try escalates(setup, alertId))
        // Later versions follow the incident's alert wherever it was routed.
        let assigned = try apply(setup, "logicapp-incident-updated-owner-assigned.json", decision: .default)
        #expect(assigned.outcome == .updated && assigned.alertId == alertId)
    }

    @Test func aRulesMissingServiceLeavesTheAlertOnTheKeysService() async throws {
        let setup = try await setup()
        let decision = RoutingDecision(ruleId: "rr_gone", rulePosition: 1, serviceId: "svc_deleted", explanation: ["severity in [High]"])
        let alertId = try #require(try apply(setup, "logicapp-incident-created-high.json", decision: decision).alertId)
        #expect(try await setup.paging.send("GET", "/api/v1/alerts/\(alertId)").object["serviceId"] as? String == setup.service.id)
        #expect(try await timeline(setup, alertId).contains { $0.message == "the rule's service svc_deleted does not exist; the alert stays on SOC Tier 1" })
    }
}
