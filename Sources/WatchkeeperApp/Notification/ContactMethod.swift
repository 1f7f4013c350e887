import Foundation
import Gateways
import Storage

/// A contact method as the API shows it. Pages go only to methods that are verified and not
/// disabled; `disabled` is set when the recipient answers STOP.
struct ContactMethod: Encodable, Sendable, Equatable {
    static let idPrefix = "cm_"

    var id: String
    var userId: String
    var type: ContactMethodType
    var name: String
    var address: String
    var statusUpdates: Bool
    var shiftNotices: Bool
    var shiftReminders: Bool
    var verifiedAt: Date?
    var disabledAt: Date?
    var createdAt: Date
    var updatedAt: Date

    var verified: Bool { verifiedAt != nil }
    var disabled: Bool { disabledAt != nil }

    private enum CodingKeys: String, CodingKey {
        case id, userId, type, name, address, statusUpdates, shiftNotices, shiftReminders, verified, verifiedAt, disabled, createdAt, updatedAt
    }

    // Written out so that `verifiedAt: null` is sent rather than left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(userId, forKey: .userId)
        try container.encode(type, forKey: .type)
        try container.encode(name, forKey: .name)
        try container.encode(address, forKey: .address)
        try container.encode(statusUpdates, forKey: .statusUpdates)
        try container.encode(shiftNotices, forKey: .shiftNotices)
        try container.encode(shiftReminders, forKey: .shiftReminders)
        try container.encode(verified, forKey: .verified)
        try container.encode(verifiedAt, forKey: .verifiedAt)
        try container.encode(disabled, forKey: .disabled)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    static let selectColumns = """
        SELECT id, user_id, type, name, address, status_updates, shift_notices, shift_reminders, verified_at, disabled_at, created_at, updated_at
        FROM contact_methods
        """

    static func decode(_ row: Row) throws -> ContactMethod {
        let typeText: String = try row.get("type")
        guard let type = ContactMethodType(rawValue: typeText) else { throw StoredDataError("contact method with unknown type \(typeText)") }
        return ContactMethod(id: try row.get("id"), userId: try row.get("user_id"), type: type, name: try row.get("name"),
                             address: try row.get("address"), statusUpdates: try row.get("status_updates"),
                             shiftNotices: try row.get("shift_notices"), shiftReminders: try row.get("shift_reminders"),
                             verifiedAt: try row.get("verified_at"), disabledAt: try row.get("disabled_at"),
                             createdAt: try row.get("created_at"), updatedAt: try row.get("updated_at"))
    }
}
