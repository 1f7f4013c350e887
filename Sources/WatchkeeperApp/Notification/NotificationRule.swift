import Foundation
import Storage

/// "Use contact method M `delaySeconds` after the user is paged."
struct NotificationRule: Encodable, Sendable, Equatable {
    static let idPrefix = "nr_"
    static let maximumDelay = 86_400

    var id: String
    var userId: String
    var contactMethodId: String
    var delaySeconds: Int
    var createdAt: Date

    static let selectColumns = "SELECT id, user_id, contact_method_id, delay_seconds, created_at FROM notification_rules"

    static func decode(_ row: Row) throws -> NotificationRule {
        NotificationRule(id: try row.get("id"), userId: try row.get("user_id"), contactMethodId: try row.get("contact_method_id"),
                         delaySeconds: try row.get("delay_seconds"), createdAt: try row.get("created_at"))
    }
}
