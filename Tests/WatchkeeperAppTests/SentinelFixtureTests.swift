import Foundation
import Gateways
import Sentinel
import Testing
@testable import WatchkeeperApp

/// The fixtures that are not webhook bodies (ARM reads) through the same parser and the same
/// `SentinelState.apply` the poller uses; the Azure Monitor pair over the real route; the page
/// text of every incident through the real SMS fitting.
@Suite struct SentinelFixtureTests {
    private func context(_ client: SentinelFixtureClient, policy: SentinelState.ReopenPolicy = .newAlert) throws -> SentinelState.Context {
        var context = try client.api.server.application.database.read { db in
            try SentinelState.context(serviceId: client.serviceId, integrationKeyId: nil, actor: "connection contoso", connectionId: "con_contoso",
                                      customer: "Contoso", db: db)
        }
        #expect(context.reopenPolicy == .newAlert && context.service?.id == client.serviceId)
        context.reopenPolicy = policy
        return context
    }

    private func apply(_ client: SentinelFixtureClient, _ incident: SentinelIncident, policy: SentinelState.ReopenPolicy = .newAlert) throws -> SentinelState.ApplyResult {
        let context = try context(client, policy: policy)
        let now = client.api.server.time.now()
        return try client.api.server.application.database.write { db in
            try SentinelState.apply(incident, source: .poll, context: context, at: now, firstPages: nil, db: db)
        }
    }

    @Test func armListPagesAndGetApplyLikeThePollerWill() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let first = try SentinelIncident.parseList(json: try SentinelFixtureClient.data("arm-incidents-list-page1.json"))
        let second = try SentinelIncident.parseList(json: try SentinelFixtureClient.data("arm-incidents-list-page2.json"))
        let results = try (first.incidents + second.incidents).map { try apply(client, $0) }
        #expect(results.map(\.outcome) == [.created, .created, .recorded])
        #expect(results[2].alertId == nil, "#4713 was already closed when first seen: nothing to page")
        let alert4711 = try await client.alert(try #require(results[0].alertId))
        #expect((alert4711["summary"] as? String)?.hasPrefix("High #4711 Contoso: ") == true)
        #expect(((alert4711["details"] as? [String: Any])?["owner"] as? [String: Any])?["name"] as? String == "Alex Morgan")

        // The GET of #4711 is the version the list returned: nothing changes.
        let got = try SentinelIncident.parse(json: try SentinelFixtureClient.data("arm-incident-get.json"))
        #expect(try apply(client, got).outcome == .stale)
        // The webhook's copy of the same version, too.
        let webhook = try await client.sentinel(fixture: "logicapp-incident-updated-owner-assigned.json")
        #expect(webhook.object["outcome"] as? String == "stale" && webhook.object["alertId"] as? String == results[0].alertId)
        let rows = try client.api.server.application.database.read { db in
            try db.query("SELECT connection_id, incident_number FROM sentinel_incidents ORDER BY incident_number").map { try $0.get("connection_id", as: String?.self) }
        }
        #expect(rows == ["con_contoso", "con_contoso", "con_contoso"])
    }

    @Test func ourOwnEtagIsNotTakenForAChangeMadeInSentinel() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let created = try LogicAppTrigger.parse(json: try SentinelFixtureClient.data("logicapp-incident-created-high.json")).incident
        let alertId = try #require(try apply(client, created).alertId)
        let ours = try LogicAppTrigger.parse(json: try SentinelFixtureClient.data("logicapp-incident-updated-owner-assigned.json")).incident
        try client.api.server.application.database.write { db in
            try SentinelIncidentStore.recordOwnEtag(incidentKey: ours.armId, etag: ours.etag, db: db)
        }
        let before = try await client.timelineMessages(alertId)
        let echo = try apply(client, ours)
        #expect(echo.outcome == .ownWrite && echo.alertId == alertId)
        #expect(try await client.timelineMessages(alertId) == before, "an echo of our own write adds nothing to the timeline")
        let row = try client.api.server.application.database.read { db in try SentinelIncidentStore.fetch(incidentKey: ours.incidentKey, db: db) }
        #expect(row?.etag == ours.etag && row?.status == .active && row?.ownEtags == [ours.etag])
        // The echo, applied again, is stale like any repeat.
        #expect(try apply(client, ours).outcome == .stale)
    }

    @Test func ownEtagsAreBounded() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let created = try LogicAppTrigger.parse(json: try SentinelFixtureClient.data("logicapp-incident-created-high.json")).incident
        _ = try apply(client, created)
        try client.api.server.application.database.write { db in
            for index in 0..<30 { try SentinelIncidentStore.recordOwnEtag(incidentKey: created.incidentKey, etag: "\"etag-\(index)\"", db: db) }
        }
        let row = try client.api.server.application.database.read { db in try SentinelIncidentStore.fetch(incidentKey: created.incidentKey, db: db) }
        #expect(row?.ownEtags.count == SentinelIncidentStore.maximumOwnEtags && row?.ownEtags.last == "\"etag-29\"" && row?.ownEtags.first == "\"etag-10\"")
    }

    @Test func recordOnlyReopenPolicyAddsANoteAndNoAlert() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let created = try LogicAppTrigger.parse(json: try SentinelFixtureClient.data("logicapp-incident-created-high.json")).incident
        let alertId = try #require(try apply(client, created).alertId)
        let closed = try LogicAppTrigger.parse(json: try SentinelFixtureClient.data("logicapp-incident-closed-in-sentinel.json")).incident
        #expect(try apply(client, closed).outcome == .resolved)
        var reopened = closed
        reopened.status = .new
        reopened.lastModified = try #require(SentinelTimestamp("2025-03-14T05:00:00Z"))
        reopened.etag = "\"reopened\""
        let result = try apply(client, reopened, policy: .recordOnly)
        #expect(result.outcome == .recorded && result.alertId == alertId)
        #expect(try client.api.count("alerts") == 1)
        #expect(try await client.timelineMessages(alertId).last == "reopened in Sentinel as New; reopen policy record-only: no new alert")
    }

    @Test func resolvedInWatchkeeperThenAnActiveUpdateDoesNotReopen() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let created = try LogicAppTrigger.parse(json: try SentinelFixtureClient.data("logicapp-incident-created-high.json")).incident
        let alertId = try #require(try apply(client, created).alertId)
        let resolve = try await client.api.send("POST", "/api/v1/alerts/\(alertId)/resolve", token: client.api.responder)
        #expect(resolve.status == 200)
        // Sentinel still says Active until our write-back closes it: that is not a reopen.
        let assigned = try LogicAppTrigger.parse(json: try SentinelFixtureClient.data("logicapp-incident-updated-owner-assigned.json")).incident
        let result = try apply(client, assigned)
        #expect(result.outcome == .updated && result.alertId == alertId)
        #expect(try client.api.count("alerts") == 1)
    }

    @Test func azureMonitorFiredThenResolvedWithRetries() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let fired = try await client.azureMonitor(fixture: "azure-monitor-common-alert-log-fired.json")
        #expect(fired.status == 202, "\(fired.text)")
        #expect(fired.object["outcome"] as? String == "created")
        let alertId = try #require(fired.object["alertId"] as? String)
        let key = "/subscriptions/3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63/providers/microsoft.alertsmanagement/alerts/5f7a9c1e-3b5d-4f7a-9c1e-3b5d7f9a1c40"
        #expect(fired.object["dedup_key"] as? String == key)
        let alert = try await client.alert(alertId)
        #expect(alert["severity"] as? String == "High" && alert["dedupKey"] as? String == key)
        #expect(alert["summary"] as? String == "High Sev1 contoso: contoso-excessive-failed-signins / jdoe@contoso.com 203.0.113.57")
        let details = try #require(alert["details"] as? [String: Any])
        #expect(details["azureSeverity"] as? String == "Sev1" && details["firedDateTime"] as? String == "2025-03-14T06:02:44.5125789Z")
        #expect((details["dimensions"] as? [[String: Any]])?.count == 2 && details["signalType"] as? String == "Log")
        #expect((alert["links"] as? [[String: Any]])?.first?["text"] as? String == "Search results")

        let again = try await client.azureMonitor(fixture: "azure-monitor-common-alert-log-fired.json")
        #expect(again.object["outcome"] as? String == "updated" && again.object["alertId"] as? String == alertId)
        let resolved = try await client.azureMonitor(fixture: "azure-monitor-common-alert-log-resolved.json")
        #expect(resolved.object["outcome"] as? String == "resolved" && resolved.object["alertId"] as? String == alertId)
        let resolvedAlert = try await client.alert(alertId)
        #expect(resolvedAlert["status"] as? String == "resolved" && resolvedAlert["resolvedBy"] as? String == "Azure Monitor"
                && resolvedAlert["resolvedVia"] as? String == "azure-monitor")
        // Retries after the resolve: neither a second resolve nor a late Fired of the same instance opens anything.
        #expect(try await client.azureMonitor(fixture: "azure-monitor-common-alert-log-resolved.json").object["outcome"] as? String == "stale")
        #expect(try await client.azureMonitor(fixture: "azure-monitor-common-alert-log-fired.json").object["outcome"] as? String == "stale")
        #expect(try client.api.count("alerts") == 1)
    }

    @Test func everyIncidentsPageTextFitsThreeSMSSegmentsWithLinkAndReplyCodes() throws {
        let link = "https://watchkeeper.contoso-soc.example.com/a/Xk3-9qLmN2pRtV8wYz4bC6dF"
        var incidents = try ["logicapp-incident-created-high.json", "logicapp-incident-updated-owner-assigned.json", "logicapp-incident-closed-in-sentinel.json",
                             "logicapp-incident-created-informational.json", "logicapp-incident-severity-raised.json"]
            .map { try LogicAppTrigger.parse(json: try SentinelFixtureClient.data($0)).incident }
        // And the worst case: a long title and many entities.
        var long = incidents[0]
        long.title = String(repeating: "Suspicious PowerShell download cradle with encoded command line ", count: 6)
        long.entities += (1...8).map { IncidentEntity(kind: "Host", value: "SRV-APP-\($0)0\($0).corp.contoso.com") }
        incidents.append(long)
        for incident in incidents {
            let summary = SentinelPageText.summary(incident, customer: "Contoso")
            // What the notification step sends: "<service>: <summary> [<severity>]".
            let page = SMSPage.alert(body: "SOC Tier 1 - Contoso: \(summary) [\(incident.severity.rawValue)]", link: link, code: 12)
            #expect(page.segments <= 3 && page.encoding == .gsm7, "\(page.text)")
            #expect(page.text.contains(link) && page.text.contains("Reply 12a ack"))
            #expect(page.text.contains("\(incident.severity.rawValue) #\(incident.incidentNumber!) Contoso: "))
            if incident != long {
                #expect(!page.truncated)
                for entity in incident.entities { #expect(page.text.contains(entity.value), "\(entity.value) in \(page.text)") }
            }
        }
        let longSummary = SentinelPageText.summary(long, customer: "Contoso")
        #expect(longSummary.contains("... / jdoe@contoso.com WS-FIN-042 203.0.113.57 SRV-APP-101.corp.contoso.com (+7)"))
    }
}
