import Foundation

/// A Slack incoming-webhook body: `text` (the notification and fallback) and Block Kit `blocks`:
/// a header, the page as a mrkdwn section, and a link button per ack link.
struct SlackPayload: Encodable, Sendable {
    struct Text: Encodable, Sendable {
        var type: String
        var text: String
    }

    struct Element: Encodable, Sendable {
        var type = "button"
        var text: Text
        var url: String
        var action_id: String
        var style: String?
    }

    struct Block: Encodable, Sendable {
        var type: String
        var text: Text?
        var elements: [Element]?
    }

    var text: String
    var blocks: [Block]

    // Slack's limits: header text 150 characters, section text 3000, button text 75, 25 elements
    // in an actions block, 3000 characters in a button URL.
    init(_ message: OutgoingMessage) {
        text = Self.truncated(Self.escape(message.subject), to: 3000)
        var blocks = [
            Block(type: "header", text: Text(type: "plain_text", text: Self.truncated(message.subject, to: 150))),
            Block(type: "section", text: Text(type: "mrkdwn", text: Self.truncated(Self.escape(message.text), to: 3000))),
        ]
        let links = message.ackLinks.filter { $0.utf8.count <= 3000 }.prefix(25)
        if !links.isEmpty {
            blocks.append(Block(type: "actions", elements: links.enumerated().map { index, link in
                Element(text: Text(type: "plain_text", text: links.count == 1 ? "Acknowledge" : "Acknowledge alert \(index + 1)"),
                        url: link, action_id: "ack-\(index + 1)", style: index == 0 ? "primary" : nil)
            }))
        }
        self.blocks = blocks
    }

    /// Slack reads `&`, `<` and `>` as markup in mrkdwn (`<!channel>` would ping everyone).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        var cut = String(text.prefix(limit - 1))
        // Never end inside an escape such as "&amp;".
        if let amp = cut.lastIndex(of: "&"), !cut[amp...].contains(";") { cut = String(cut[..<amp]) }
        return cut + "…"
    }
}
