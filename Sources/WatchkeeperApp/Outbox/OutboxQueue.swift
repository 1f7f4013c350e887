import Cryptography
import Foundation
import Gateways
import Storage

/// Puts messages into the outbox and takes them out again, inside the caller's write job. The
/// outbox's sender picks them up when `next_attempt_at` is due (wake the engine after commit).
enum OutboxQueue {
    static let idPrefix = "msg_"

    struct NewMessage: Sendable {
        var alertId: String?
        var serviceId: String?
        var userId: String
        var contactMethodId: String
        var kind: MessageKind
        var subject: String
        /// The text without ack links; the sender adds them when it renders the message.
        var body: String
    }

    /// Queues `message` to be sent at `at` (now, normally); returns its id.
    @discardableResult
    static func enqueue(_ message: NewMessage, at: Date, db: Connection) throws -> String {
        let id = SortableID.make(prefix: idPrefix, at: at)
        try db.run("""
            INSERT INTO messages (id, alert_id, service_id, user_id, contact_method_id, kind, subject, body, state, attempts,
                                  next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)
            """, [.text(id), message.alertId.map { .text($0) } ?? .null, message.serviceId.map { .text($0) } ?? .null,
                  .text(message.userId), .text(message.contactMethodId), .text(message.kind.rawValue), .text(message.subject),
                  .text(message.body), SQLValue(at), SQLValue(at), SQLValue(at)])
        return id
    }

    /// Cancels the alert's pages still waiting in the outbox (not those already with a provider);
    /// returns how many.
    @discardableResult
    static func cancelQueuedPages(alertId: String, at: Date, db: Connection) throws -> Int {
        try db.run("""
            UPDATE messages SET state = 'cancelled', next_attempt_at = NULL, updated_at = ?
            WHERE alert_id = ? AND kind = 'alert' AND state = 'queued'
            """, [SQLValue(at), .text(alertId)])
    }
}
