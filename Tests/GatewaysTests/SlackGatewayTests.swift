import Foundation
import Gateways
import Testing

@Suite struct SlackGatewayTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func blockKitWithEscapedTextAndAnAckButton() throws {
        let receiver = try WebhookReceiver(now: Self.now)
        defer { receiver.stop() }
        let message = WebhookReceiver.page(.slack, to: receiver.base + "/slack", subject: "Sev 1 <!channel> & friends",
                                           text: "Sev 1 <!channel> & <https://evil.example|click>\nAcknowledge: https://pager.example.eu/a/tok_1")
        #expect(try receiver.gateway().send(message) == .accepted(providerMessageId: nil))
        let request = try #require(receiver.received.first)
        #expect(request.headers["x-watchkeeper-signature"] == nil)
        let json = request.json
        #expect(json["text"] as? String == "Sev 1 &lt;!channel&gt; &amp; friends")
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["header", "section", "actions"])
        #expect((blocks[0]["text"] as? [String: Any])?["text"] as? String == "Sev 1 <!channel> & friends")
        #expect((blocks[1]["text"] as? [String: Any])?["text"] as? String
            == "Sev 1 &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;\nAcknowledge: https://pager.example.eu/a/tok_1")
        let button = try #require((blocks[2]["elements"] as? [[String: Any]])?.first)
        #expect(button["type"] as? String == "button")
        #expect(button["url"] as? String == "https://pager.example.eu/a/tok_1")
        #expect((button["text"] as? [String: Any])?["text"] as? String == "Acknowledge")
    }

    @Test func longPagesAndBigBundlesStayWithinSlackLimits() throws {
        let receiver = try WebhookReceiver(now: Self.now)
        defer { receiver.stop() }
        let links = (1...40).map { "https://pager.example.eu/a/tok_\($0)" }
        let message = WebhookReceiver.page(.slack, to: receiver.base + "/slack", subject: String(repeating: "S", count: 400),
                                           text: String(repeating: "a & b ", count: 1000), alertIds: (1...40).map { "alt_\($0)" }, ackLinks: links)
        // The receiver answers 400 invalid_payload past any limit.
        #expect(try receiver.gateway().send(message) == .accepted(providerMessageId: nil))
        let blocks = try #require(receiver.received.first?.json["blocks"] as? [[String: Any]])
        let section = try #require((blocks[1]["text"] as? [String: Any])?["text"] as? String)
        #expect(section.hasSuffix("…") && !section.hasSuffix("&…") && !section.contains("&am…"))
        let buttons = try #require(blocks[2]["elements"] as? [[String: Any]])
        #expect(buttons.count == 25)
        #expect(buttons.last?["url"] as? String == links[24])
        #expect((buttons.last?["text"] as? [String: Any])?["text"] as? String == "Acknowledge alert 25")
    }
}
