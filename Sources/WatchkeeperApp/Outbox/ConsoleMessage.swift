import Foundation
import Storage

/// What the console provider "delivered", as `GET /api/v1/console/messages` shows it: the full
/// text with its ack links or verification code, like the recipient's phone would.
struct ConsoleMessage: Encodable, Sendable {
    static let columns = "id, message_id, user_id, contact_method_id, type, address, kind, alert_ids, subject, text, at"

    var id: Int64
    var messageId: String
    var userId: String
    var contactMethodId: String
    var type: String
    var address: String
    var kind: String
    var alertIds: [String]
    var subject: String
    var text: String
    var at: Date

    init(row: Row) throws {
        id = try row.get("id")
        messageId = try row.get("message_id")
        userId = try row.get("user_id")
        contactMethodId = try row.get("contact_method_id")
        type = try row.get("type")
        address = try row.get("address")
        kind = try row.get("kind")
        let ids: String = try row.get("alert_ids")
        alertIds = try JSONDecoder().decode([String].self, from: Data(ids.utf8))
        subject = try row.get("subject")
        text = try row.get("text")
        at = try row.get("at")
    }
}
