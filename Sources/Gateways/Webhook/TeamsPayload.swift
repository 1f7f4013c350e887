import Foundation

/// A Teams Workflows ("When a Teams webhook request is received") body: a message with one
/// Adaptive Card attachment: the subject, the text, facts, and an Action.OpenUrl per ack link.
struct TeamsPayload: Encodable, Sendable {
    struct Attachment: Encodable, Sendable {
        var contentType = "application/vnd.microsoft.card.adaptive"
        var contentUrl: String? = nil
        var content: Card

        private enum CodingKeys: String, CodingKey { case contentType, contentUrl, content }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(contentType, forKey: .contentType)
            // The workflow template expects the key, null.
            try container.encodeNil(forKey: .contentUrl)
            try container.encode(content, forKey: .content)
        }
    }

    struct Card: Encodable, Sendable {
        var schema = "http://adaptivecards.io/schemas/adaptive-card.json"
        var type = "AdaptiveCard"
        var version = "1.4"
        var body: [Element]
        var actions: [Action]

        private enum CodingKeys: String, CodingKey {
            case schema = "$schema", type, version, body, actions
        }
    }

    struct Fact: Encodable, Sendable {
        var title: String
        var value: String
    }

    struct Element: Encodable, Sendable {
        var type: String
        var text: String?
        var weight: String?
        var size: String?
        var wrap: Bool?
        var facts: [Fact]?
        var spacing: String?
    }

    struct Action: Encodable, Sendable {
        var type = "Action.OpenUrl"
        var title: String
        var url: String
    }

    var type = "message"
    var attachments: [Attachment]

    init(_ message: OutgoingMessage, sentAt: String) {
        var facts = [Fact(title: "Kind", value: message.kind.rawValue)]
        facts += message.alertIds.map { Fact(title: "Alert", value: $0) }
        facts.append(Fact(title: "Sent", value: sentAt))
        let card = Card(
            // One block per line: a TextBlock's markdown joins single line breaks.
            body: [Element(type: "TextBlock", text: message.subject, weight: "Bolder", size: "Medium", wrap: true)]
                + message.text.split(separator: "\n").prefix(50).map { Element(type: "TextBlock", text: String($0), wrap: true, spacing: "None") }
                + [Element(type: "FactSet", facts: facts)],
            actions: message.ackLinks.enumerated().map { index, link in
                Action(title: message.ackLinks.count == 1 ? "Acknowledge" : "Acknowledge alert \(index + 1)", url: link)
            })
        attachments = [Attachment(content: card)]
    }
}
