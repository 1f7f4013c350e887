import Foundation
import Gateways
import Testing

@Suite struct TeamsGatewayTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func anAdaptiveCardWithFactsAndAnOpenUrlAck() throws {
        let receiver = try WebhookReceiver(now: Self.now)
        defer { receiver.stop() }
        let message = WebhookReceiver.page(.teams, to: receiver.base + "/teams")
        #expect(try receiver.gateway().send(message) == .accepted(providerMessageId: nil))
        let json = try #require(receiver.received.first?.json)
        let attachment = try #require((json["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        #expect(attachment.keys.contains("contentUrl"))
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["version"] as? String == "1.4")
        let body = try #require(card["body"] as? [[String: Any]])
        #expect(body.first?["text"] as? String == "Sev 1: ransomware on FIN-DB-01")
        #expect(body.first?["weight"] as? String == "Bolder")
        #expect(body.compactMap { $0["text"] as? String }.contains("Acknowledge: https://pager.example.eu/a/tok_1"))
        let facts = try #require(body.last?["facts"] as? [[String: String]])
        #expect(facts == [["title": "Kind", "value": "alert"], ["title": "Alert", "value": "alt_1"], ["title": "Sent", "value": "2026-11-18T11:06:40Z"]])
        let actions = try #require(card["actions"] as? [[String: String]])
        #expect(actions == [["type": "Action.OpenUrl", "title": "Acknowledge", "url": "https://pager.example.eu/a/tok_1"]])
    }

    @Test func throttledWorkflowsAreRetriedLater() throws {
        let receiver = try WebhookReceiver(now: Self.now)
        defer { receiver.stop() }
        let result = try receiver.gateway().send(WebhookReceiver.page(.teams, to: receiver.base + "/throttled"))
        #expect(result == .temporaryFailure(reason: "HTTP 429: rate_limited", retryAfter: 7))
    }
}
