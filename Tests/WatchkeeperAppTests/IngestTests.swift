import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct IngestTests {
    @Test func eventsV2TriggerMapsEveryField() async throws {
        let api = try AlertsAPIClient()
        let service = try await api.service()
        let secret = try await api.integrationKey(service)
        let reply = try await api.event(secret, [
            "routing_key": "R0UTINGKEYIGNORED", "event_action": "trigger", "dedup_key": "incident-42",
            "payload": ["summary": "Impossible travel for ana@contoso.com", "severity": "error", "source": "sentinel-prod",
                        "timestamp": "2026-11-18T11:00:00Z", "custom_details": ["tactics": ["InitialAccess"], "score": 7]],
            "links": [["href": "https://portal.azure.com/#incident/42", "text": "Incident"]],
            "client": "Sentinel", "images": [],
        ])
        #expect(reply.status == 202, "\(reply.text)")
        #expect(reply.object["status"] as? String == "success")
        #expect(reply.object["dedup_key"] as? String == "incident-42")
        let alertId = try #require(reply.object["alertId"] as? String)
        #expect(alertId.hasPrefix("alt_"))

        let alert = try await api.send("GET", "/api/v1/alerts/\(alertId)", token: api.viewer)
        #expect(alert.status == 200)
        let object = alert.object
        #expect(object["serviceId"] as? String == service)
        #expect(object["summary"] as? String == "Impossible travel for ana@contoso.com")
        #expect(object["severity"] as? String == "error")
        #expect(object["source"] as? String == "sentinel-prod")
        #expect(object["dedupKey"] as? String == "incident-42")
        #expect(object["urgency"] as? String == "high")
        #expect(object["status"] as? String == "triggered")
        #expect(object["createdAt"] as? String == "2026-11-18T11:06:40Z")
        #expect(object["eventCount"] as? Int == 1)
        #expect((object["details"] as? [String: Any])?["score"] as? Int == 7)
        #expect((object["links"] as? [[String: Any]])?.first?["href"] as? String == "https://portal.azure.com/#incident/42")
        #expect(object["acknowledgedAt"] is NSNull && object["resolvedBy"] is NSNull)
        // The service has no escalation policy: recorded, nobody paged.
        #expect(try await api.timelineKinds(alertId) == ["created", "suppressed"])
    }

    @Test func fiftyTriggersWithOneKeyMakeOneAlert() async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service())
        var ids = Set<String>()
        for index in 1...50 {
            api.server.time.advance(by: 1)
            let reply = try await api.event(secret, api.trigger("disk full #\(index)", dedupKey: "disk-1"))
            #expect(reply.status == 202)
            ids.insert(try #require(reply.object["alertId"] as? String))
        }
        #expect(ids.count == 1)
        #expect(try api.count("alerts") == 1)
        let alert = try await api.send("GET", "/api/v1/alerts/\(ids.first!)")
        #expect(alert.object["summary"] as? String == "disk full #50")
        #expect(alert.object["eventCount"] as? Int == 50)
        #expect(alert.object["createdAt"] as? String == "2026-11-18T11:06:41Z")
        #expect(alert.object["lastEventAt"] as? String == "2026-11-18T11:07:30Z")
        let kinds = try await api.timelineKinds(ids.first!)
        #expect(kinds.first == "created")
        #expect(kinds.filter { $0 == "deduplicated" }.count == 49 && kinds.count == 51, "created, suppressed (no policy), 49 deduplicated")
    }

    @Test func resolveThenRetriggerOpensANewAlert() async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service())
        let first = try #require(try await api.event(secret, api.trigger("cpu", dedupKey: "cpu-1")).object["alertId"] as? String)
        let resolved = try await api.event(secret, ["event_action": "resolve", "dedup_key": "cpu-1"])
        #expect(resolved.status == 202 && resolved.object["alertId"] as? String == first)
        let second = try #require(try await api.event(secret, api.trigger("cpu again", dedupKey: "cpu-1")).object["alertId"] as? String)
        #expect(second != first)
        #expect(try api.count("alerts") == 2)
        #expect(try await api.send("GET", "/api/v1/alerts/\(first)").object["status"] as? String == "resolved")
        #expect(try await api.send("GET", "/api/v1/alerts/\(second)").object["status"] as? String == "triggered")
    }

    @Test func acknowledgeAndResolveEventsActOnTheOpenAlert() async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service())
        let none = try await api.event(secret, ["event_action": "acknowledge", "dedup_key": "nothing-open"])
        #expect(none.status == 202 && none.object["alertId"] is NSNull)
        #expect(try api.count("alerts") == 0)

        let id = try #require(try await api.event(secret, api.trigger("mem", dedupKey: "mem-1")).object["alertId"] as? String)
        api.server.time.advance(by: 30)
        #expect(try await api.event(secret, ["event_action": "acknowledge", "dedup_key": "mem-1"]).status == 202)
        var alert = try await api.send("GET", "/api/v1/alerts/\(id)").object
        #expect(alert["status"] as? String == "acknowledged")
        #expect(alert["acknowledgedBy"] as? String == "integration key sentinel")
        #expect(alert["acknowledgedVia"] as? String == "integration")
        #expect(alert["acknowledgedAt"] as? String == "2026-11-18T11:07:10Z")
        // A second acknowledge changes nothing.
        #expect(try await api.event(secret, ["event_action": "acknowledge", "dedup_key": "mem-1"]).status == 202)
        #expect(try await api.event(secret, ["event_action": "resolve", "dedup_key": "mem-1"]).status == 202)
        alert = try await api.send("GET", "/api/v1/alerts/\(id)").object
        #expect(alert["status"] as? String == "resolved" && alert["resolvedVia"] as? String == "integration")
        #expect(try await api.timelineKinds(id) == ["created", "suppressed", "acknowledged", "resolved"])
        // With nothing open, a resolve is a no-op.
        let again = try await api.event(secret, ["event_action": "resolve", "dedup_key": "mem-1"])
        #expect(again.status == 202 && again.object["alertId"] is NSNull)
    }

    @Test(arguments: [
        (["event_action": "trigger", "payload": ["severity": "critical"]], "payload.summary"),
        (["event_action": "trigger"], "payload.summary"),
        (["event_action": "trigger", "payload": ["summary": "x", "severity": "fatal"]], "payload.severity"),
        (["event_action": "explode", "dedup_key": "k"], "event_action"),
        (["payload": ["summary": "x"]], "event_action"),
        (["event_action": "resolve"], "dedup_key"),
        (["event_action": "trigger", "dedup_key": 7, "payload": ["summary": "x"]], "dedup_key"),
        (["event_action": "trigger", "payload": ["summary": "x"], "links": [["text": "no href"]]], "links.0.href"),
        (["event_action": "trigger", "payload": "x"], "payload"),
    ] as [([String: any Sendable], String)])
    func invalidEventsV2BodiesNameTheFieldAndStoreNothing(body: [String: any Sendable], field: String) async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service())
        let reply = try await api.event(secret, body)
        #expect(reply.status == 400, "\(reply.text)")
        #expect(reply.header("Content-Type") == "application/problem+json")
        #expect(AlertsAPIClient.fields(reply) == [field])
        #expect(try api.count("alerts") == 0)
        #expect(try api.count("alert_timeline") == 0)
    }

    @Test func genericFormat() async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service(extra: ["urgency": "high"]), format: "generic")
        let reply = try await api.event(secret, ["summary": "backup failed", "details": ["job": "nightly"], "urgency": "low"])
        #expect(reply.status == 202, "\(reply.text)")
        let generated = try #require(reply.object["dedup_key"] as? String)
        #expect(generated.count == 32)
        let id = try #require(reply.object["alertId"] as? String)
        let alert = try await api.send("GET", "/api/v1/alerts/\(id)").object
        #expect(alert["urgency"] as? String == "low")
        #expect((alert["details"] as? [String: Any])?["job"] as? String == "nightly")
        #expect(alert["severity"] is NSNull)
        #expect(try await api.event(secret, ["action": "resolve", "dedup_key": generated]).object["alertId"] as? String == id)

        // A PagerDuty body sent to a generic key is refused, naming its members.
        let wrong = try await api.event(secret, api.trigger("x"))
        #expect(wrong.status == 400)
        #expect(Set(AlertsAPIClient.fields(wrong)) == ["event_action", "payload", "routing_key", "summary"])
        let urgency = try await api.event(secret, ["summary": "x", "urgency": "urgent"])
        #expect(urgency.status == 400 && AlertsAPIClient.fields(urgency) == ["urgency"])
        #expect(try api.count("alerts") == 1)
    }

    @Test func triggersWithoutDedupKeyEachOpenAnAlert() async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service(extra: ["urgency": "low"]))
        let first = try await api.event(secret, api.trigger("a"))
        let second = try await api.event(secret, api.trigger("b"))
        #expect(first.object["dedup_key"] as? String != second.object["dedup_key"] as? String)
        #expect(try api.count("alerts") == 2)
        // Events API v2 bodies take the service's default urgency.
        let id = try #require(first.object["alertId"] as? String)
        #expect(try await api.send("GET", "/api/v1/alerts/\(id)").object["urgency"] as? String == "low")
    }

    @Test func maintenanceRecordsTheAlertAsSuppressed() async throws {
        let api = try AlertsAPIClient()
        // The test clock is at 2026-11-18T11:06:40Z.
        let service = try await api.service(extra: ["maintenanceUntil": "2026-11-18T12:00:00Z"])
        let secret = try await api.integrationKey(service)
        let during = try #require(try await api.event(secret, api.trigger("patching", dedupKey: "p")).object["alertId"] as? String)
        #expect(try await api.timelineKinds(during) == ["created", "suppressed"])
        api.server.time.set(Date(timeIntervalSince1970: 1_795_000_000 + 3600))
        let after = try #require(try await api.event(secret, api.trigger("real", dedupKey: "q")).object["alertId"] as? String)
        #expect(try await api.timelineKinds(after) == ["created", "suppressed"], "suppressed only because the service has no policy")
        #expect(try await api.send("GET", "/api/v1/alerts/\(after)/timeline").text.contains("has no escalation policy"))
    }

    @Test func concurrentTriggersWithOneDedupKeyOpenOneAlert() async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service())
        let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for _ in 0..<64 {
                group.addTask { let reply = try await api.event(secret, api.trigger("storm", dedupKey: "same")); return (reply.status, reply.object["alertId"] as? String) }
            }
            return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0.0 == 202 })
        #expect(Set(statuses.compactMap(\.1)).count == 1)
        #expect(try api.count("alerts") == 1)
        #expect(try api.count("alert_timeline") == 65, "created, suppressed (no policy) and 63 deduplicated")
    }

    @Test func unknownKeyAndOversizedBody() async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service())
        #expect(try await api.event("wki_" + String(repeating: "A", count: 32), api.trigger("x")).status == 404)
        // The API key is not a credential here.
        #expect(try await api.server.request("POST", "/api/v1/integrations/\(api.admin)/events", json: api.trigger("x")).status == 404)
        let big = try await api.event(secret, api.trigger(String(repeating: "x", count: 600 * 1024)))
        #expect(big.status == 413)
        #expect(try api.count("alerts") == 0)
    }
}
