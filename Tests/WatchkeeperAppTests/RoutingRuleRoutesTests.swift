import Foundation
import Testing
@testable import WatchkeeperApp

/// The routing-rules API on a real server: replace and read the ordered list, field-named 400s
/// that change nothing, the test endpoint (facts, raw Sentinel and Azure Monitor bodies, draft
/// rules, on-call conditions against real schedules), and the ingest using the saved rules.
@Suite struct RoutingRuleRoutesTests {
    struct Setup {
        let api: AlertsAPIClient
        let serviceId: String
        let keyId: String
        let secret: String
        var path: String { "/api/v1/services/\(serviceId)/integration-keys/\(keyId)/routing-rules" }

        init() async throws {
            api = try AlertsAPIClient()
            serviceId = try await api.service()
            let created = try await api.send("POST", "/api/v1/services/\(serviceId)/integration-keys", ["name": "sentinel", "format": "generic"])
            secret = try #require(created.object["secret"] as? String)
            keyId = try #require((created.object["key"] as? [String: Any])?["id"] as? String)
        }
    }

    static var vip: [String: Any] { ["name": "VIP accounts", "conditions": ["entityKind": "Account", "entityValueIn": ["ceo@contoso.com", "JDOE@contoso.com"]],
                                     "actions": ["urgency": "high", "note": "VIP account involved"]] }
    static var nights: [String: Any] { [
        "id": "nights", "name": "Nights are quiet",
        "conditions": ["severityIn": ["Low", "Medium"], "timeWindow": ["timeZone": "Europe/London",
                                                                     "windows": [["days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "start": "22:00", "end": "07:00"]]]],
        "actions": ["urgency": "low"],
    ] }

    @Test func replaceKeepsOrderAssignsIdsAndViewersRead() async throws {
        let setup = try await Setup()
        let saved = try await setup.api.send("PUT", setup.path, ["rules": [Self.vip, Self.nights]])
        #expect(saved.status == 200, "\(saved.text)")
        let rules = try #require(saved.object["rules"] as? [[String: Any]])
        #expect(rules.map { $0["name"] as? String } == ["VIP accounts", "Nights are quiet"])
        let vipId = try #require(rules[0]["id"] as? String)
        #expect(vipId.hasPrefix("rr_") && rules[1]["id"] as? String == "nights")
        #expect((rules[0]["conditions"] as? [String: Any])?["entityValueIn"] as? [String] == ["ceo@contoso.com", "JDOE@contoso.com"])
        #expect(rules[0]["createdAt"] is String && rules[0]["updatedAt"] is String)

        let read = try await setup.api.send("GET", setup.path, token: setup.api.viewer)
        #expect(read.status == 200 && (read.object["rules"] as? [[String: Any]])?.map { $0["id"] as? String } == [vipId, "nights"])
        #expect(try await setup.api.send("PUT", setup.path, ["rules": []], token: setup.api.viewer).status == 403)

        // Reordering keeps each rule's creation instant; the stored rows follow the new order.
        setup.api.server.time.advance(by: 60)
        var vip = Self.vip
        vip["id"] = vipId
        let reordered = try await setup.api.send("PUT", setup.path, ["rules": [Self.nights, vip]])
        let after = try #require(reordered.object["rules"] as? [[String: Any]])
        #expect(after.map { $0["id"] as? String } == ["nights", vipId])
        #expect(after[1]["createdAt"] as? String == rules[0]["createdAt"] as? String)
        #expect(after[1]["updatedAt"] as? String != rules[0]["updatedAt"] as? String)
        let stored = try setup.api.server.application.database.read { db in
            try db.query("SELECT id FROM routing_rules WHERE integration_key_id = ? ORDER BY position", [.text(setup.keyId)]).map { try $0.get("id", as: String.self) }
        }
        #expect(stored == ["nights", vipId])

        #expect(try await setup.api.send("PUT", setup.path, ["rules": []]).status == 200)
        #expect((try await setup.api.send("GET", setup.path).object["rules"] as? [Any])?.isEmpty == true)
        #expect(try await setup.api.send("GET", "/api/v1/services/\(setup.serviceId)/integration-keys/ik_nope/routing-rules").status == 404)
    }

    @Test func invalidListsNameTheFieldAndChangeNothing() async throws {
        let setup = try await Setup()
        #expect(try await setup.api.send("PUT", setup.path, ["rules": [Self.vip]]).status == 200)
        func refused(_ rules: [[String: Any]], _ field: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let reply = try await setup.api.send("PUT", setup.path, ["rules": rules])
            #expect(reply.status == 400, "\(reply.text)", sourceLocation: sourceLocation)
            #expect(reply.header("Content-Type") == "application/problem+json", sourceLocation: sourceLocation)
            let fields = (reply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains(field), "\(fields)", sourceLocation: sourceLocation)
        }
        try await refused([Self.nights, ["name": "bad", "conditions": ["titleMatches": "([a-z"]]], "rules.1.conditions.titleMatches")
        try await refused([["name": "x", "actions": ["serviceId": "svc_nope"]]], "rules.0.actions.serviceId")
        try await refused([["name": "x", "conditions": ["whileOnCall": "sch_nope"]]], "rules.0.conditions.whileOnCall")
        try await refused([["name": "x", "conditions": ["timeWindow": ["timeZone": "Europe/Londres", "windows": [["days": ["monday"], "start": "09:00", "end": "17:00"]]]]]],
                          "rules.0.conditions.timeWindow.timeZone")
        try await refused([["name": "x", "conditions": ["timeWindow": ["timeZone": "Europe/London", "windows": [["days": ["monday"], "start": "25:00", "end": "17:00"]]]]]],
                          "rules.0.conditions.timeWindow.windows.0.start")
        try await refused([["name": "x", "conditions": ["timeWindow": ["timeZone": "Europe/London", "windows": [["days": ["monday"], "start": "9am", "end": "17:00"]]]]]],
                          "rules.0.conditions.timeWindow.windows.0.start")
        try await refused([["name": "x", "conditions": ["severityIn": ["Critical"]]]], "rules.0.conditions.severityIn.0")
        try await refused([["name": "x", "actions": ["urgency": "urgent"]]], "rules.0.actions.urgency")
        try await refused([["name": "x", "conditions": ["titel": "typo"]]], "rules.0.conditions.titel")
        try await refused([["id": "same", "name": "a"], ["id": "same", "name": "b"]], "rules.1.id")
        try await refused([["conditions": [:]]], "rules.0.name")
        let read = try await setup.api.send("GET", setup.path)
        #expect((read.object["rules"] as? [[String: Any]])?.map { $0["name"] as? String } == ["VIP accounts"])
    }

    @Test func testEndpointExplainsAndCreatesNothing() async throws {
        let setup = try await Setup()
        let other = try await setup.api.service("Finance SOC")
        let finance: [String: Any] = ["id": "finance", "name": "Finance hosts", "conditions": ["entityKind": "Host", "entityValueMatches": "FIN-\\d+"],
                                      "actions": ["serviceId": other, "note": "finance host"]]
        #expect(try await setup.api.send("PUT", setup.path, ["rules": [Self.nights, finance]]).status == 200)
        let test = setup.path + "/test"

        // Facts posted directly, at a Tuesday 23:30 in London: the night rule matches.
        let facts: [String: Any] = ["severity": "Medium", "title": "Brute force", "entities": [["kind": "Host", "value": "WS-FIN-042"]]]
        let night = try await setup.api.send("POST", test, ["facts": facts, "at": "2026-01-13T23:30:00Z"], token: setup.api.responder)
        #expect(night.status == 200, "\(night.text)")
        #expect(night.object["matched"] as? Bool == true && (night.object["rule"] as? [String: Any])?["id"] as? String == "nights")
        #expect(night.object["urgency"] as? String == "low" && night.object["serviceId"] as? String == setup.serviceId)
        #expect(night.object["explanation"] as? [String] == [
            "rules.0 \"Nights are quiet\": severity Medium in [Low, Medium]: yes",
            "rules.0 \"Nights are quiet\": time in monday,tuesday,wednesday,thursday,friday 22:00–07:00 Europe/London: yes",
            "rules.0 \"Nights are quiet\": matched",
        ])
        // At noon the second rule routes to the finance service.
        let noon = try await setup.api.send("POST", test, ["facts": facts, "at": "2026-01-13T12:00:00Z"])
        #expect((noon.object["rule"] as? [String: Any])?["position"] as? Int == 1)
        #expect(noon.object["serviceId"] as? String == other && noon.object["note"] as? String == "finance host" && noon.object["urgency"] is NSNull)

        // The raw Logic App trigger body, parsed like the ingest parses it.
        let raw = try await setup.api.send("POST", test, ["sentinel": try SentinelFixtureClient.object("logicapp-incident-created-high.json"),
                                                          "at": "2026-01-13T23:30:00Z", "customer": "Contoso"])
        #expect(raw.status == 200, "\(raw.text)")
        #expect((raw.object["rule"] as? [String: Any])?["id"] as? String == "finance")
        #expect((raw.object["facts"] as? [String: Any])?["customer"] as? String == "Contoso")
        #expect((raw.object["facts"] as? [String: Any])?["severity"] as? String == "High")

        // An Azure Monitor body; nothing matches, so the key's service applies.
        let monitor = try await setup.api.send("POST", test, ["azureMonitor": try SentinelFixtureClient.object("azure-monitor-common-alert-log-fired.json"),
                                                              "at": "2026-01-13T12:00:00Z"])
        #expect(monitor.status == 200, "\(monitor.text)")
        #expect(monitor.object["matched"] as? Bool == false && monitor.object["rule"] is NSNull && monitor.object["serviceId"] as? String == setup.serviceId)
        #expect((monitor.object["explanation"] as? [String])?.last == "no rule matched")

        // Draft rules are evaluated instead of the saved ones, and validated the same way.
        let draft = try await setup.api.send("POST", test, ["facts": facts, "rules": [["name": "all", "actions": ["suppress": true]]]])
        #expect(draft.object["suppress"] as? Bool == true && (draft.object["rule"] as? [String: Any])?["name"] as? String == "all")
        let badDraft = try await setup.api.send("POST", test, ["facts": facts, "rules": [["name": "x", "conditions": ["titleMatches": "("]]]])
        #expect(badDraft.status == 400 && (badDraft.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "rules.0.conditions.titleMatches")
        let both = try await setup.api.send("POST", test, ["facts": facts, "azureMonitor": [:]])
        #expect(both.status == 400 && (both.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "facts")
        let badRaw = try await setup.api.send("POST", test, ["sentinel": ["object": ["properties": ["severity": "Catastrophic"]]]])
        #expect(badRaw.status == 400)
        #expect(((badRaw.object["errors"] as? [[String: Any]])?.first?["field"] as? String)?.hasPrefix("sentinel.") == true)

        #expect(try await setup.api.send("POST", test, ["facts": facts], token: setup.api.viewer).status == 403)
        #expect(try setup.api.count("alerts") == 0)
        #expect(try setup.api.count("sentinel_incidents") == 0)
    }

    @Test func onCallConditionsAskTheRealSchedules() async throws {
        let setup = try await Setup()
        let fixtures = ScheduleFixtures(database: setup.api.server.application.database)
        try fixtures.user("usr_ana", name: "Ana")
        try fixtures.schedule("sch_office", name: "Office hours", timeZone: "America/Chicago")
        try fixtures.rule("rul_office", schedule: "sch_office", user: "usr_ana", windows: [(["monday", "tuesday", "wednesday", "thursday", "friday"], "09:00", "17:00")])
        let rules: [[String: Any]] = [
            ["id": "staffed", "name": "Office staffed", "conditions": ["whileOnCall": "sch_office"], "actions": ["urgency": "high"]],
            ["id": "unstaffed", "name": "Nobody there", "conditions": ["whileNobodyOnCall": "sch_office"], "actions": ["urgency": "low", "note": "after hours"]],
        ]
        #expect(try await setup.api.send("PUT", setup.path, ["rules": rules]).status == 200)
        let facts: [String: Any] = ["severity": "High", "title": "x"]
        // Tuesday 10:00 in Chicago (CST, UTC-6) is 16:00Z; 20:00 there is 02:00Z on Wednesday.
        let day = try await setup.api.send("POST", setup.path + "/test", ["facts": facts, "at": "2026-01-13T16:00:00Z"])
        #expect((day.object["rule"] as? [String: Any])?["id"] as? String == "staffed", "\(day.text)")
        let night = try await setup.api.send("POST", setup.path + "/test", ["facts": facts, "at": "2026-01-14T02:00:00Z"])
        #expect((night.object["rule"] as? [String: Any])?["id"] as? String == "unstaffed", "\(night.text)")
        #expect((night.object["explanation"] as? [String])?.first == "rules.0 \"Office staffed\": someone on call in schedule sch_office: no")
    }

    @Test func ingestUsesTheSavedRules() async throws {
        let setup = try await Setup()
        let rules: [[String: Any]] = [["id": "quiet", "name": "Finance hosts are quiet", "conditions": ["entityKind": "Host", "entityValueMatches": "^ws-fin-"],
                                       "actions": ["suppress": true, "note": "finance workstation"]]]
        #expect(try await setup.api.send("PUT", setup.path, ["rules": rules]).status == 200)
        let reply = try await setup.api.server.request("POST", "/api/v1/integrations/\(setup.secret)/sentinel",
                                                       json: try SentinelFixtureClient.object("logicapp-incident-created-high.json"))
        #expect(reply.status == 202, "\(reply.text)")
        let alertId = try #require(reply.object["alertId"] as? String)
        let timeline = try await setup.api.send("GET", "/api/v1/alerts/\(alertId)/timeline?limit=500", token: setup.api.viewer)
        let messages = (timeline.object["items"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("suppressed by") }, "\(messages)")
        #expect(messages.contains("finance workstation"), "\(messages)")
    }

    @Test func aDeletedTargetServiceFallsBackToTheKeysOwn() async throws {
        let setup = try await Setup()
        let other = try await setup.api.service("Gone soon")
        let rules: [[String: Any]] = [["id": "away", "name": "Elsewhere", "actions": ["serviceId": other, "urgency": "low"]]]
        #expect(try await setup.api.send("PUT", setup.path, ["rules": rules]).status == 200)
        #expect(try await setup.api.send("DELETE", "/api/v1/services/\(other)").status == 204)
        let reply = try await setup.api.send("POST", setup.path + "/test", ["facts": ["severity": "High", "title": "x"]])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.object["serviceId"] as? String == setup.serviceId && reply.object["urgency"] as? String == "low")
        #expect((reply.object["explanation"] as? [String])?.last == "service \(other) no longer exists: the integration key's own service applies")
    }
}
