import Foundation

/// The JSON body of a plain webhook (docs/EMAIL-AND-CHAT.md documents it for receivers).
struct WebhookPayload: Encodable, Sendable, Equatable {
    struct Alert: Encodable, Sendable, Equatable {
        var id: String
        var ackLink: String
    }

    /// The outbox message id: the same on every retry, so receivers can drop repeats.
    var id: String
    var kind: String
    var subject: String
    var text: String
    var alerts: [Alert]
    var userId: String
    var contactMethodId: String
    /// RFC 3339, UTC.
    var sentAt: String

    init(_ message: OutgoingMessage, sentAt: Date) {
        id = message.id
        kind = message.kind.rawValue
        subject = message.subject
        text = message.text
        alerts = zip(message.alertIds, message.ackLinks).map { Alert(id: $0, ackLink: $1) }
        userId = message.userId
        contactMethodId = message.contactMethodId
        self.sentAt = Self.rfc3339(sentAt)
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
