import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import WatchkeeperApp

/// The whole path as people use it, over real sockets with the console provider: contact methods
/// verified with the delivered code, an event, the page with its ack link, the next step, and the
/// link's button stopping everything.
@Suite struct PagingEndToEndTests {
    @Test func aPageCarriesALinkWhosePostAcknowledgesAndStopsEverything() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.verifiedUser("Ana", phone: "+4791234567")
        let ben = try await api.verifiedUser("Ben", phone: "+4791234568")
        // On the test clock's day the second participant of a daily rotation from 2026-11-01 is on call.
        let schedule = try await api.schedule(rotating: [ben, ana])
        let policy = try await api.policy([([("schedule", schedule)], 300), ([("user", ben)], 300)])
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Impossible travel for ana@contoso.com")
        api.settle()

        let anaPages = try await api.deliveries(ana).filter { $0.kind == "alert" }
        #expect(anaPages.count == 1)
        let page = try #require(anaPages.first?.text)
        #expect(page.contains("SOC Tier 1: Impossible travel for ana@contoso.com"))
        let token = try #require(PagingAPIClient.ackToken(in: page), "\(page)")
        #expect(try await api.deliveries(ben).filter { $0.kind == "alert" }.isEmpty)

        // Nobody answers: step 2 pages Ben after step 1's delay.
        api.time.advance(by: 300)
        api.settle()
        #expect(try await api.deliveries(ben).filter { $0.kind == "alert" }.count == 1)

        // A link preview (GET) changes nothing; Ana's POST acknowledges as her, via the link.
        #expect(try await api.server.request("GET", "/a/\(token)").status == 200)
        #expect(try await api.status(alert) == "triggered")
        let pressed = try await api.press("acknowledge", token: token)
        #expect(pressed.status == 303)
        let acknowledged = try await api.send("GET", "/api/v1/alerts/\(alert)").object
        #expect(acknowledged["status"] as? String == "acknowledged")
        #expect(acknowledged["acknowledgedBy"] as? String == "Ana" && acknowledged["acknowledgedVia"] as? String == "link")
        #expect(try await api.press("acknowledge", token: token).status == 409, "the action works once")

        api.time.advance(by: 86_400)
        api.settle()
        #expect(try await api.deliveries(ana).filter { $0.kind == "alert" }.count == 1)
        #expect(try await api.deliveries(ben).filter { $0.kind == "alert" }.count == 1)
        let kinds = try await api.timeline(alert).map(\.kind)
        #expect(kinds.filter { $0 == "message-sent" }.count == 2)
        #expect(kinds.last == "acknowledged")
    }

    @Test func theLinksEscalateButtonPagesTheNextStepNow() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.verifiedUser("Ana", phone: "+4791234567")
        let ben = try await api.verifiedUser("Ben", phone: "+4791234568")
        let policy = try await api.policy([([("user", ana)], 3600), ([("user", ben)], 3600)])
        let alert = try await api.trigger(try await api.service(policy: policy).key, "Kerberoasting from WS-12")
        api.settle()
        let token = try #require(PagingAPIClient.ackToken(in: try await api.deliveries(ana).last?.text ?? ""))
        #expect(try await api.press("escalate", token: token).status == 303)
        api.settle()
        #expect(try await api.deliveries(ben).filter { $0.kind == "alert" }.count == 1, "Ben is paged at once, not in an hour")
        #expect(try await api.timeline(alert).contains { $0.kind == "escalated" && $0.message == "escalated by Ana via link" })
    }

    @Test func theFirstPageLeavesWithTheIngestCommitWithoutAnEnginePass() async throws {
        let api = try PagingAPIClient()
        let ana = try await api.verifiedUser("Ana", phone: "+4791234567")
        let policy = try await api.policy([([("user", ana)], 600)])
        let key = try await api.service(policy: policy).key
        // With the engine stopped, only the ingest itself can send the page. The clock is 0.6 ms
        // past a millisecond: stored instants round up to the next one, which must not make the
        // first step look not yet due.
        api.server.application.engine.stop()
        api.time.set(Date(timeIntervalSince1970: 1_795_000_100.0006))
        let alert = try await api.trigger(key, "Credential dumping on DC02")
        #expect(api.server.application.outbox.waitUntilIdle(timeout: 5))
        let pages = try await api.deliveries(ana).filter { $0.kind == "alert" }
        #expect(pages.count == 1 && pages[0].text.contains("Credential dumping on DC02"))
        #expect(try await api.escalations(alert) == ["escalated to step 1 of 1: Ana", "escalation policy finished: no further step"])
        #expect(try await api.timeline(alert).contains { $0.kind == "message-sent" })
    }
}
