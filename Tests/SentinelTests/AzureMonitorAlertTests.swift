import Foundation
import Sentinel
import Testing

@Suite struct AzureMonitorAlertTests {
    @Test func firedAndResolvedShareTheAlertId() throws {
        let fired = try AzureMonitorAlert.parse(json: try IncidentFixture.data("azure-monitor-common-alert-log-fired.json"))
        let resolved = try AzureMonitorAlert.parse(json: try IncidentFixture.data("azure-monitor-common-alert-log-resolved.json"))
        #expect(fired.fired && !resolved.fired)
        #expect(fired.alertId == resolved.alertId && fired.alertId.hasSuffix("/alerts/5f7a9c1e-3b5d-4f7a-9c1e-3b5d7f9a1c40"))
        #expect(fired.alertRule == "contoso-excessive-failed-signins")
        #expect(fired.azureSeverity == "Sev1" && fired.severity == .high)
        #expect(fired.signalType == "Log" && fired.firedDateTime == "2025-03-14T06:02:44.5125789Z")
        #expect(fired.description.hasPrefix("More than 20 failed sign-ins"))
        #expect(fired.dimensions == [AzureMonitorDimension(name: "UserPrincipalName", value: "jdoe@contoso.com"),
                                     AzureMonitorDimension(name: "IPAddress", value: "203.0.113.57")])
        #expect(fired.entities == [IncidentEntity(kind: "Account", value: "jdoe@contoso.com"), IncidentEntity(kind: "Ip", value: "203.0.113.57")])
        #expect(fired.links.count == 1 && fired.links[0].hasPrefix("https://portal.azure.com"))
        #expect(fired.workspace == "law-contoso-sentinel")
        #expect(fired.customProperties["customer"] == "contoso")
        let facts = IncidentFacts(azureMonitor: fired)
        #expect(facts.severity == "High" && facts.customer == "contoso" && facts.title == "contoso-excessive-failed-signins")
    }

    @Test func severitiesMapSev0ToSev4() {
        #expect(["Sev0", "Sev1", "Sev2", "Sev3", "Sev4", "Sev5"].map(AzureMonitorAlert.severity) == [.high, .high, .medium, .low, .informational, nil])
    }

    @Test func otherSchemasAndBadConditionsAreRefusedByField() throws {
        var body = try IncidentFixture.object("azure-monitor-common-alert-log-fired.json")
        body["schemaId"] = "Microsoft.Insights/activityLogs"
        #expect(throws: SentinelPayloadError.self) { try AzureMonitorAlert.parse(json: try IncidentFixture.encode(body)) }
        do {
            _ = try AzureMonitorAlert.parse(json: try IncidentFixture.encode(body))
        } catch let error as SentinelPayloadError {
            #expect(error.field == "schemaId")
        }
        body["schemaId"] = AzureMonitorAlert.schemaId
        var data = body["data"] as! [String: Any]
        var essentials = data["essentials"] as! [String: Any]
        essentials["monitorCondition"] = "Flapping"
        data["essentials"] = essentials
        body["data"] = data
        do {
            _ = try AzureMonitorAlert.parse(json: try IncidentFixture.encode(body))
            Issue.record("accepted monitorCondition Flapping")
        } catch let error as SentinelPayloadError {
            #expect(error.field == "data.essentials.monitorCondition")
        }
    }
}
