import Foundation
import Storage

/// A row of the outbox as `GET /api/v1/messages` shows it: no ack links (they are rendered only
/// when sent), and a verification's body no longer holds its code once sent.
struct OutboxMessage: Encodable, Sendable {
    static let columns = """
        id, alert_id, user_id, contact_method_id, kind, subject, body, state, attempts, next_attempt_at, bundle_id, provider,
        provider_message_id, last_error, created_at, sent_at
        """

    var id: String
    var alertId: String?
    var userId: String
    var contactMethodId: String
    var kind: String
    var subject: String
    var body: String
    var state: String
    var attempts: Int
    var nextAttemptAt: Date?
    var bundleId: String?
    var provider: String?
    var providerMessageId: String?
    var lastError: String?
    var createdAt: Date
    var sentAt: Date?

    init(row: Row) throws {
        id = try row.get("id")
        alertId = try row.get("alert_id")
        userId = try row.get("user_id")
        contactMethodId = try row.get("contact_method_id")
        kind = try row.get("kind")
        subject = try row.get("subject")
        body = try row.get("body")
        state = try row.get("state")
        attempts = try row.get("attempts")
        nextAttemptAt = try row.get("next_attempt_at")
        bundleId = try row.get("bundle_id")
        provider = try row.get("provider")
        providerMessageId = try row.get("provider_message_id")
        lastError = try row.get("last_error")
        createdAt = try row.get("created_at")
        sentAt = try row.get("sent_at")
    }

    private enum CodingKeys: String, CodingKey {
        case id, alertId, userId, contactMethodId, kind, subject, body, state, attempts, nextAttemptAt, bundleId, provider,
             providerMessageId, lastError, createdAt, sentAt
    }

    // Explicit so absent values are written as null, as the schema says.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(alertId, forKey: .alertId)
        try container.encode(userId, forKey: .userId)
        try container.encode(contactMethodId, forKey: .contactMethodId)
        try container.encode(kind, forKey: .kind)
        try container.encode(subject, forKey: .subject)
        try container.encode(body, forKey: .body)
        try container.encode(state, forKey: .state)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(bundleId, forKey: .bundleId)
        try container.encode(provider, forKey: .provider)
        try container.encode(providerMessageId, forKey: .providerMessageId)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(sentAt, forKey: .sentAt)
    }
}
