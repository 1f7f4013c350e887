import Cryptography
import Foundation
import HTTPServer
import Storage

/// Creates, reads, replaces and deletes a user's contact methods. Every write is one job of the
/// writer, so the checks (user exists, address unused) and the change commit together.
struct ContactMethodStore: Sendable {
    let database: Database
    let time: any TimeSource

    func create(userId: String, _ body: ContactMethodBody) throws -> ContactMethod {
        let now = time.now()
        let method = ContactMethod(id: ContactMethod.idPrefix + SecureRandom.token(bytes: 12), userId: userId, type: body.type, name: body.name,
                                   address: body.address, statusUpdates: body.statusUpdates, shiftNotices: body.shiftNotices,
                                   shiftReminders: body.shiftReminders, verifiedAt: nil, disabledAt: nil, createdAt: now, updatedAt: now)
        try database.write { db in
            try UserScope.requireUser(userId, db: db)
            try Self.refuseDuplicate(method, db: db)
            try db.run("""
                INSERT INTO contact_methods (id, user_id, type, name, address, status_updates, shift_notices, shift_reminders, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(method.id), .text(userId), .text(method.type.rawValue), .text(method.name), .text(method.address),
                      SQLValue(method.statusUpdates), SQLValue(method.shiftNotices), SQLValue(method.shiftReminders), SQLValue(now), SQLValue(now)])
        }
        return method
    }

    /// The user's methods, oldest first (the order the user added them).
    func list(userId: String) throws -> [ContactMethod] {
        try database.read { db in
            try UserScope.requireUser(userId, db: db)
            return try db.query(ContactMethod.selectColumns + " WHERE user_id = ? ORDER BY created_at, id", [.text(userId)]).map(ContactMethod.decode)
        }
    }

    func get(_ id: String, userId: String) throws -> ContactMethod {
        try database.read { db in try UserScope.contactMethod(id, userId: userId, db: db) }
    }

    /// Replaces the writable members. A new destination (type or address) has not been proven
    /// to reach the user, so it loses its verification, its pending code and a STOP that came
    /// from the old address.
    func replace(_ id: String, userId: String, with body: ContactMethodBody) throws -> ContactMethod {
        let now = time.now()
        return try database.write { db in
            var method = try UserScope.contactMethod(id, userId: userId, db: db)
            let moved = method.type != body.type || method.address != body.address
            (method.type, method.name, method.address) = (body.type, body.name, body.address)
            (method.statusUpdates, method.shiftNotices, method.shiftReminders) = (body.statusUpdates, body.shiftNotices, body.shiftReminders)
            method.updatedAt = now
            if moved {
                try Self.refuseDuplicate(method, db: db)
                (method.verifiedAt, method.disabledAt) = (nil, nil)
                try db.run("DELETE FROM contact_method_verifications WHERE contact_method_id = ?", [.text(id)])
            }
            try db.run("""
                UPDATE contact_methods SET type = ?, name = ?, address = ?, status_updates = ?, shift_notices = ?, shift_reminders = ?,
                                           verified_at = ?, disabled_at = ?, updated_at = ?
                WHERE id = ?
                """, [.text(method.type.rawValue), .text(method.name), .text(method.address), SQLValue(method.statusUpdates),
                      SQLValue(method.shiftNotices), SQLValue(method.shiftReminders), SQLValue(method.verifiedAt), SQLValue(method.disabledAt),
                      SQLValue(now), .text(id)])
            return method
        }
    }

    /// Deletes the method; its rules and pending code go with it (ON DELETE CASCADE).
    func delete(_ id: String, userId: String) throws {
        try database.write { db in
            _ = try UserScope.contactMethod(id, userId: userId, db: db)
            try db.run("DELETE FROM contact_methods WHERE id = ?", [.text(id)])
        }
    }

    /// 409 when the user already has another method of this type at this address.
    private static func refuseDuplicate(_ method: ContactMethod, db: Connection) throws {
        guard let other = try db.queryOne("SELECT id FROM contact_methods WHERE user_id = ? AND type = ? AND address = ? AND id != ?",
                                          [.text(method.userId), .text(method.type.rawValue), .text(method.address), .text(method.id)]) else { return }
        let detail = "contact method \(try other.get("id", as: String.self)) of this user already has \(method.type.rawValue) address \(method.address)"
        throw HTTPError(.conflict, detail: detail, errors: [.init(field: "address", detail: detail)])
    }
}
