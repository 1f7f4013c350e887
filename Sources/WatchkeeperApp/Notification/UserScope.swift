import HTTPServer
import Storage

/// The 404s of everything under `/api/v1/users/{id}/…`: the user first, then their method.
enum UserScope {
    static func requireUser(_ userId: String, db: Connection) throws {
        guard try db.queryOne("SELECT 1 FROM users WHERE id = ?", [.text(userId)]) != nil else {
            throw HTTPError(.notFound, detail: "no user \(userId)")
        }
    }

    /// The user's contact method, read in `db`; 404 when the user or the method (of this user) is missing.
    static func contactMethod(_ id: String, userId: String, db: Connection) throws -> ContactMethod {
        try requireUser(userId, db: db)
        guard let row = try db.queryOne(ContactMethod.selectColumns + " WHERE id = ? AND user_id = ?", [.text(id), .text(userId)]) else {
            throw HTTPError(.notFound, detail: "user \(userId) has no contact method \(id)")
        }
        return try ContactMethod.decode(row)
    }
}
