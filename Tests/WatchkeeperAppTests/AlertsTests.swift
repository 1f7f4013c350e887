import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct AlertsTests {
    /// Triggers one alert per summary, a minute apart; returns their ids in creation order.
    private func alerts(_ api: AlertsAPIClient, _ secret: String, _ summaries: [String], urgency: String? = nil) async throws -> [String] {
        var ids: [String] = []
        for summary in summaries {
            api.server.time.advance(by: 60)
            var body: [String: Any] = ["summary": summary, "dedup_key": summary]
            if let urgency { body["urgency"] = urgency }
            let reply = try await api.event(secret, body)
            #expect(reply.status == 202, "\(reply.text)")
            ids.append(try #require(reply.object["alertId"] as? String))
        }
        return ids
    }

    private func ids(_ reply: TestServer.Reply) -> [String] {
        (reply.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func listFiltersAndPaginatesNewestFirst() async throws {
        let api = try AlertsAPIClient()
        let soc = try await api.service("SOC")
        let infra = try await api.service("Infra")
        let socKey = try await api.integrationKey(soc, format: "generic")
        let infraKey = try await api.integrationKey(infra, format: "generic")
        // 11:07:40 … 11:11:40, one a minute.
        let high = try await alerts(api, socKey, ["a", "b", "c"])
        let low = try await alerts(api, infraKey, ["d", "e"], urgency: "low")
        #expect(try await api.send("POST", "/api/v1/alerts/\(high[0])/resolve", token: api.responder).status == 200)

        let all = try await api.send("GET", "/api/v1/alerts", token: api.viewer)
        #expect(all.status == 200)
        #expect(ids(all) == (high + low).reversed())
        #expect(all.object["nextCursor"] is NSNull)

        #expect(ids(try await api.send("GET", "/api/v1/alerts?serviceId=\(infra)")) == low.reversed())
        #expect(ids(try await api.send("GET", "/api/v1/alerts?urgency=low")) == low.reversed())
        #expect(ids(try await api.send("GET", "/api/v1/alerts?status=resolved")) == [high[0]])
        #expect(ids(try await api.send("GET", "/api/v1/alerts?status=triggered&urgency=high")) == [high[2], high[1]])
        // Half-open: from is included, to is not.
        #expect(ids(try await api.send("GET", "/api/v1/alerts?from=2026-11-18T11:08:40Z&to=2026-11-18T11:10:40Z")) == [high[2], high[1]])

        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await api.send("GET", "/api/v1/alerts?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.status == 200)
            seen += ids(page)
            cursor = page.object["nextCursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == (high + low).reversed())

        for (query, field) in [("status=open", "status"), ("urgency=urgent", "urgency"), ("from=yesterday", "from"), ("limit=0", "limit"),
                               ("cursor=bm90LWEtY3Vyc29y", "cursor")] {
            let reply = try await api.send("GET", "/api/v1/alerts?\(query)")
            #expect(reply.status == 400 && AlertsAPIClient.fields(reply) == [field], "\(query): \(reply.text)")
        }
    }

    @Test func acknowledgeResolveAndNotesWithRolesAndConflicts() async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service(), format: "generic")
        let id = try await alerts(api, secret, ["login storm"])[0]

        #expect(try await api.send("POST", "/api/v1/alerts/\(id)/acknowledge", token: api.viewer).status == 403)
        #expect(try await api.send("POST", "/api/v1/alerts/\(id)/notes", ["text": "x"], token: api.viewer).status == 403)
        #expect(try await api.send("POST", "/api/v1/alerts/alt_missing/acknowledge", token: api.responder).status == 404)

        api.server.time.advance(by: 5)
        let acked = try await api.send("POST", "/api/v1/alerts/\(id)/acknowledge", token: api.responder)
        #expect(acked.status == 200, "\(acked.text)")
        #expect(acked.object["status"] as? String == "acknowledged")
        #expect(acked.object["acknowledgedBy"] as? String == "ana-responder")
        #expect(acked.object["acknowledgedVia"] as? String == "api")
        #expect(acked.object["acknowledgedAt"] as? String == "2026-11-18T11:07:45Z")
        #expect(try await api.send("POST", "/api/v1/alerts/\(id)/acknowledge", token: api.responder).status == 409)

        let note = try await api.send("POST", "/api/v1/alerts/\(id)/notes", ["text": "looking at the sign-in logs"], token: api.responder)
        #expect(note.status == 201 && note.object["kind"] as? String == "note" && note.object["actor"] as? String == "ana-responder")
        #expect(try await api.send("POST", "/api/v1/alerts/\(id)/notes", ["text": " "], token: api.responder).status == 400)
        let unknown = try await api.send("POST", "/api/v1/alerts/\(id)/notes", ["text": "x", "pin": true], token: api.responder)
        #expect(unknown.status == 400 && AlertsAPIClient.fields(unknown) == ["pin"])

        let resolved = try await api.send("POST", "/api/v1/alerts/\(id)/resolve", token: api.admin)
        #expect(resolved.status == 200 && resolved.object["resolvedBy"] as? String == "admin" && resolved.object["status"] as? String == "resolved")
        let twice = try await api.send("POST", "/api/v1/alerts/\(id)/resolve", token: api.responder)
        #expect(twice.status == 409 && twice.text.contains("already resolved"))
        #expect(try await api.send("POST", "/api/v1/alerts/\(id)/acknowledge", token: api.responder).status == 409)
        // Notes are still welcome on a resolved alert (the post-mortem).
        #expect(try await api.send("POST", "/api/v1/alerts/\(id)/notes", ["text": "false positive"], token: api.responder).status == 201)

        let timeline = try await api.send("GET", "/api/v1/alerts/\(id)/timeline", token: api.viewer)
        let entries = try #require(timeline.object["items"] as? [[String: Any]])
        #expect(entries.compactMap { $0["kind"] as? String } == ["created", "suppressed", "acknowledged", "note", "resolved", "note"])
        #expect(entries[2]["message"] as? String == "acknowledged by ana-responder via api")
        #expect(entries[2]["method"] as? String == "api")
        #expect(entries[0]["at"] as? String == "2026-11-18T11:07:40Z")
        let entryIds = entries.compactMap { $0["id"] as? Int }
        #expect(entryIds == entryIds.sorted())
    }

    @Test func timelinePages() async throws {
        let api = try AlertsAPIClient()
        let secret = try await api.integrationKey(try await api.service(), format: "generic")
        let id = try await alerts(api, secret, ["flap"])[0]
        for _ in 0..<4 { #expect(try await api.event(secret, ["summary": "flap", "dedup_key": "flap"]).status == 202) }
        let first = try await api.send("GET", "/api/v1/alerts/\(id)/timeline?limit=4")
        let cursor = try #require(first.object["nextCursor"] as? String)
        let second = try await api.send("GET", "/api/v1/alerts/\(id)/timeline?limit=4&cursor=\(cursor)")
        let kinds = ((first.object["items"] as? [[String: Any]] ?? []) + (second.object["items"] as? [[String: Any]] ?? [])).compactMap { $0["kind"] as? String }
        #expect(kinds == ["created", "suppressed"] + Array(repeating: "deduplicated", count: 4))
        #expect(second.object["nextCursor"] is NSNull)
        #expect(try await api.send("GET", "/api/v1/alerts/\(id)/timeline?cursor=eHl6").status == 400)
        #expect(try await api.send("GET", "/api/v1/alerts/alt_missing/timeline").status == 404)
        #expect(try await api.send("GET", "/api/v1/alerts/alt_missing").status == 404)
    }
}
