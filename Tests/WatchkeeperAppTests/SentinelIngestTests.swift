import Foundation
import Sentinel
import Testing
@testable import WatchkeeperApp

@Suite struct SentinelIngestTests {
    static let key4711 = "/subscriptions/3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63/resourcegroups/rg-soc-contoso/providers/microsoft.operationalinsights/workspaces/law-contoso-sentinel/providers/microsoft.securityinsights/incidents/8c1f4a2e-6b3d-4f7a-9e2c-5d8b1a4f7c30"

    @Test func createdHighIncidentOpensAnAlertWithTheMappedFields() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let reply = try await client.sentinel(fixture: "logicapp-incident-created-high.json")
        #expect(reply.status == 202, "\(reply.text)")
        #expect(reply.object["outcome"] as? String == "created")
        #expect(reply.object["dedup_key"] as? String == Self.key4711)
        let alertId = try #require(reply.object["alertId"] as? String)

        let alert = try await client.alert(alertId)
        #expect(alert["status"] as? String == "triggered")
        #expect(alert["serviceId"] as? String == client.serviceId)
        #expect(alert["dedupKey"] as? String == Self.key4711)
        #expect(alert["severity"] as? String == "High")
        #expect(alert["source"] as? String == "law-contoso-sentinel")
        #expect(alert["summary"] as? String
                == "High #4711 law-contoso-sentinel: Multi-stage: impossible travel then encoded PowerShell on WS-FIN-042 / jdoe@contoso.com WS-FIN-042 203.0.113.57")
        let details = try #require(alert["details"] as? [String: Any])
        #expect(details["incidentNumber"] as? Int == 4711)
        #expect(details["status"] as? String == "New" && details["owner"] is NSNull)
        #expect(details["tactics"] as? [String] == ["InitialAccess", "Execution"])
        #expect(details["techniques"] as? [String] == ["T1078", "T1059"])
        #expect(details["alertProductNames"] as? [String] == ["Azure Sentinel"])
        #expect(details["providerName"] as? String == "Azure Sentinel")
        #expect(details["etag"] as? String == "\"2d00c1a4-0000-0d00-0000-67d39b430000\"")
        #expect(details["lastModifiedTimeUtc"] as? String == "2025-03-14T02:58:11.5102944Z")
        #expect((details["alerts"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Impossible travel to atypical location",
                                                                                          "Suspicious encoded PowerShell on finance workstation"])
        #expect((details["entities"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } == ["Account", "Host", "Ip"])
        let link = try #require((alert["links"] as? [[String: Any]])?.first)
        #expect((link["href"] as? String)?.hasPrefix("https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/") == true)
        #expect(link["text"] as? String == "Microsoft Sentinel incident #4711")
        // No escalation policy on the service: recorded, nobody paged; routing says no rule matched.
        #expect(try await client.api.timelineKinds(alertId) == ["created", "suppressed", "note"])
        #expect(try await client.timelineMessages(alertId).last == "no routing rule matched: no rule matched")

        let row = try client.api.server.application.database.read { db in try SentinelIncidentStore.fetch(incidentKey: Self.key4711, db: db) }
        #expect(row?.etag == "\"2d00c1a4-0000-0d00-0000-67d39b430000\"")
        #expect(row?.lastModified.text == "2025-03-14T02:58:11.5102944Z")
        #expect(row?.armId.contains("/Incidents/") == true && row?.alertId == alertId && row?.incidentNumber == 4711)
    }

    @Test func incident4711LifecycleAssignedThenClosedWithRetriesAndAnOlderBody() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let alertId = try #require(try await client.sentinel(fixture: "logicapp-incident-created-high.json").object["alertId"] as? String)

        client.api.server.time.advance(by: 60)
        let assigned = try await client.sentinel(fixture: "logicapp-incident-updated-owner-assigned.json")
        #expect(assigned.status == 202 && assigned.object["outcome"] as? String == "updated" && assigned.object["alertId"] as? String == alertId)
        #expect(assigned.object["changes"] as? [String] == ["status New → Active", "owner unassigned → Alex Morgan"])
        var alert = try await client.alert(alertId)
        // Taken in Sentinel is not acknowledged by us: the page goes on until someone acks or Sentinel closes it.
        #expect(alert["status"] as? String == "triggered" && alert["acknowledgedBy"] is NSNull)
        let owner = (alert["details"] as? [String: Any])?["owner"] as? [String: Any]
        #expect(owner?["objectId"] as? String == "a7c9e1b3-5d7f-4a9c-b2e4-6f8a0c2e4a61" && owner?["name"] as? String == "Alex Morgan")
        #expect(((alert["details"] as? [String: Any])?["labels"] as? [String]) == ["finance-dept"])
        #expect(try await client.timelineMessages(alertId).suffix(2) == ["changed in Sentinel: status New → Active",
                                                                         "changed in Sentinel: owner unassigned → Alex Morgan"])
        let eventCount = alert["eventCount"] as? Int

        // The Logic App retries the same body, and a late copy of the first body arrives: nothing changes.
        for name in ["logicapp-incident-updated-owner-assigned.json", "logicapp-incident-created-high.json"] {
            let again = try await client.sentinel(fixture: name)
            #expect(again.status == 202 && again.object["outcome"] as? String == "stale" && again.object["alertId"] as? String == alertId, "\(name)")
        }
        alert = try await client.alert(alertId)
        #expect(alert["eventCount"] as? Int == eventCount && (alert["details"] as? [String: Any])?["status"] as? String == "Active")
        #expect(try client.api.count("alerts") == 1)

        let closed = try await client.sentinel(fixture: "logicapp-incident-closed-in-sentinel.json")
        #expect(closed.object["outcome"] as? String == "resolved" && closed.object["alertId"] as? String == alertId)
        alert = try await client.alert(alertId)
        #expect(alert["status"] as? String == "resolved")
        #expect(alert["resolvedBy"] as? String == "Priya Natarajan" && alert["resolvedVia"] as? String == "sentinel")
        let details = try #require(alert["details"] as? [String: Any])
        #expect(details["classification"] as? String == "TruePositive" && details["classificationReason"] as? String == "SuspiciousActivity")
        let messages = try await client.timelineMessages(alertId)
        #expect(messages.contains { $0.hasPrefix("closed in Sentinel by Priya Natarajan as TruePositive / SuspiciousActivity") })
        #expect(messages.last == "resolved by Priya Natarajan via sentinel")

        let replay = try await client.sentinel(fixture: "logicapp-incident-closed-in-sentinel.json")
        #expect(replay.object["outcome"] as? String == "stale")
        #expect(try client.api.count("alerts") == 1)
    }

    @Test func informationalIncidentThenSeverityRaised() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let created = try await client.sentinel(fixture: "logicapp-incident-created-informational.json")
        #expect(created.object["outcome"] as? String == "created")
        let alertId = try #require(created.object["alertId"] as? String)
        var alert = try await client.alert(alertId)
        #expect(alert["severity"] as? String == "Informational" && (alert["summary"] as? String)?.hasPrefix("Informational #4712 ") == true)

        let raised = try await client.sentinel(fixture: "logicapp-incident-severity-raised.json")
        #expect(raised.object["outcome"] as? String == "updated" && raised.object["alertId"] as? String == alertId)
        #expect((raised.object["changes"] as? [String])?.contains("severity Informational → High") == true)
        alert = try await client.alert(alertId)
        #expect(alert["severity"] as? String == "High" && (alert["summary"] as? String)?.hasPrefix("High #4712 ") == true)
        #expect(try client.api.count("alerts") == 1)
    }

    @Test func caseDifferentArmIdCapitalAlertsNullsAndUnknownFieldsReachTheSameAlert() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        var body = SentinelFixtureClient.withProperties(try SentinelFixtureClient.object("logicapp-incident-created-high.json")) { properties in
            properties["Alerts"] = properties.removeValue(forKey: "alerts")
            properties["relatedEntities"] = NSNull()
            properties["comments"] = NSNull()
            properties["classification"] = NSNull()
            properties["aFieldFromTheFuture"] = ["x": 1]
        }
        var object = body["object"] as! [String: Any]
        object["id"] = (object["id"] as! String).replacingOccurrences(of: "/Incidents/", with: "/incidents/").uppercased()
        body["object"] = object
        body["incidentUpdates"] = ["updatedBy": ["name": "automation"]]
        let first = try await client.sentinel(body)
        #expect(first.status == 202, "\(first.text)")
        let alertId = try #require(first.object["alertId"] as? String)
        let details = try #require(try await client.alert(alertId)["details"] as? [String: Any])
        #expect((details["alerts"] as? [Any])?.count == 2 && (details["entities"] as? [Any])?.isEmpty == true)

        let assigned = try await client.sentinel(fixture: "logicapp-incident-updated-owner-assigned.json")
        #expect(assigned.object["outcome"] as? String == "updated" && assigned.object["alertId"] as? String == alertId)
        #expect(try client.api.count("alerts") == 1 && client.api.count("sentinel_incidents") == 1)
    }

    @Test func bodiesThatAreNotIncidentsAre400NamingTheFieldAndStoreNothing() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let wrongSeverity = SentinelFixtureClient.withProperties(try SentinelFixtureClient.object("logicapp-incident-created-high.json")) {
            $0["severity"] = "Critical"
        }
        let cases: [(Any, String)] = [
            (wrongSeverity, "object.properties.severity"),
            (try SentinelFixtureClient.object("azure-monitor-common-alert-log-fired.json"), "object"),
            (try SentinelFixtureClient.object("arm-incident-get.json"), "object"),
            (["objectSchemaType": "Alert", "object": [:]], "objectSchemaType"),
        ]
        for (body, field) in cases {
            let reply = try await client.sentinel(body)
            #expect(reply.status == 400, "\(reply.text)")
            #expect(reply.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(AlertsAPIClient.fields(reply) == [field], "\(reply.text)")
        }
        let monitor = try await client.api.server.request("POST", "/api/v1/integrations/\(client.secret)/azure-monitor",
                                                          json: try SentinelFixtureClient.object("logicapp-incident-created-high.json"))
        #expect(monitor.status == 400 && AlertsAPIClient.fields(monitor) == ["schemaId"])
        let unknown = try await client.api.server.request("POST", "/api/v1/integrations/wk_int_nosuchkey/sentinel",
                                                          json: try SentinelFixtureClient.object("logicapp-incident-created-high.json"))
        #expect(unknown.status == 404)
        #expect(try client.api.count("alerts") == 0 && client.api.count("sentinel_incidents") == 0)
    }

    @Test func closedThenReopenedInSentinelOpensANewAlert() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let first = try #require(try await client.sentinel(fixture: "logicapp-incident-created-high.json").object["alertId"] as? String)
        _ = try await client.sentinel(fixture: "logicapp-incident-closed-in-sentinel.json")
        var reopened = SentinelFixtureClient.withProperties(try SentinelFixtureClient.object("logicapp-incident-closed-in-sentinel.json")) {
            $0["status"] = "Active"
            $0["lastModifiedTimeUtc"] = "2025-03-14T04:30:00.0000001Z"
            $0["classification"] = NSNull()
            $0["classificationReason"] = NSNull()
        }
        var object = reopened["object"] as! [String: Any]
        object["etag"] = "\"2d00aaaa-0000-0d00-0000-67d3b0f00000\""
        reopened["object"] = object
        let reply = try await client.sentinel(reopened)
        #expect(reply.object["outcome"] as? String == "reopened")
        let second = try #require(reply.object["alertId"] as? String)
        #expect(second != first)
        #expect(try await client.alert(first)["status"] as? String == "resolved")
        #expect(try await client.alert(second)["status"] as? String == "triggered")
        #expect(try await client.timelineMessages(second).first?.contains("reopened in Sentinel (Closed → Active)") == true)
        #expect(try client.api.count("alerts") == 2)
    }

    @Test func recordOnlyReopenPolicyIsSetPerKey() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let keys = try await client.api.send("GET", "/api/v1/services/\(client.serviceId)/integration-keys")
        let keyId = try #require((keys.object["items"] as? [[String: Any]])?.first?["id"] as? String)
        let path = "/api/v1/services/\(client.serviceId)/integration-keys/\(keyId)/sentinel"
        #expect(try await client.api.send("GET", path).object["reopenPolicy"] as? String == "new-alert")
        let bad = try await client.api.send("PUT", path, ["reopenPolicy": "sometimes"])
        #expect(bad.status == 400 && AlertsAPIClient.fields(bad) == ["reopenPolicy"])
        let unknown = try await client.api.send("PUT", path, ["reopenPolicy": "record-only", "extra": 1])
        #expect(unknown.status == 400 && AlertsAPIClient.fields(unknown) == ["extra"])
        #expect(try await client.api.send("PUT", "/api/v1/services/\(client.serviceId)/integration-keys/ik_nosuch/sentinel",
                                          ["reopenPolicy": "record-only"]).status == 404)
        #expect(try await client.api.send("PUT", path, ["reopenPolicy": "record-only"], token: client.api.responder).status == 403)
        let put = try await client.api.send("PUT", path, ["reopenPolicy": "record-only"])
        #expect(put.status == 200 && put.object["reopenPolicy"] as? String == "record-only")
        #expect(try await client.api.send("GET", path).object["reopenPolicy"] as? String == "record-only")

        let first = try #require(try await client.sentinel(fixture: "logicapp-incident-created-high.json").object["alertId"] as? String)
        _ = try await client.sentinel(fixture: "logicapp-incident-closed-in-sentinel.json")
        var reopened = SentinelFixtureClient.withProperties(try SentinelFixtureClient.object("logicapp-incident-closed-in-sentinel.json")) {
            $0["status"] = "New"
            $0["lastModifiedTimeUtc"] = "2025-03-14T04:30:00Z"
        }
        var object = reopened["object"] as! [String: Any]
        object["etag"] = "\"2d00bbbb-0000-0d00-0000-67d3b0f00000\""
        reopened["object"] = object
        let reply = try await client.sentinel(reopened)
        #expect(reply.object["outcome"] as? String == "recorded" && reply.object["alertId"] as? String == first)
        #expect(try client.api.count("alerts") == 1)
    }

    @Test func triggerBodiesUpTo4MiBAreAccepted() async throws {
        let client = try await SentinelFixtureClient(api: try AlertsAPIClient())
        let big = SentinelFixtureClient.withProperties(try SentinelFixtureClient.object("logicapp-incident-created-high.json")) {
            $0["comments"] = (0..<400).map { _ in ["properties": ["message": String(repeating: "x", count: 2500)]] }
        }
        let accepted = try await client.sentinel(big)
        #expect(accepted.status == 202 && accepted.object["outcome"] as? String == "created", "a 1 MB body")
        let huge = SentinelFixtureClient.withProperties(big) { $0["padding"] = String(repeating: "y", count: 5 * 1024 * 1024) }
        #expect(try await client.sentinel(huge).status == 413)
    }
}
