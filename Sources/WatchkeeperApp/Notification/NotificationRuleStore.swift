import Cryptography
import Foundation
import HTTPServer
import Storage

/// Creates, lists, reads and deletes a user's notification rules. Rules have no update: a
/// changed delay is a different rule, and delete + create says so plainly.
struct NotificationRuleStore: Sendable {
    static let fields = ["contactMethodId", "delaySeconds"]

    let database: Database
    let time: any TimeSource

    /// Reads a create body, naming every fault.
    static func parse(_ value: JSONValue) throws -> (contactMethodId: String, delaySeconds: Int) {
        guard case .object(let members) = value else { throw HTTPError(.badRequest, detail: "the body must be a JSON object") }
        var errors: [ProblemDetails.FieldError] = members.keys.sorted().filter { !fields.contains($0) }.map {
            .init(field: $0, detail: "unknown field; the known ones here are \(fields.joined(separator: ", "))")
        }
        var methodId: String?
        switch members["contactMethodId"] {
        case nil: errors.append(.init(field: "contactMethodId", detail: "is required"))
        case .string(let text)?: methodId = text
        default: errors.append(.init(field: "contactMethodId", detail: "must be a string, the id of one of the user's contact methods"))
        }
        var delay: Int?
        switch members["delaySeconds"] {
        case nil: errors.append(.init(field: "delaySeconds", detail: "is required"))
        case .number(let number)? where number.rounded() == number && (0...Double(NotificationRule.maximumDelay)).contains(number):
            delay = Int(number)
        default: errors.append(.init(field: "delaySeconds", detail: "must be a whole number of seconds from 0 to \(NotificationRule.maximumDelay) (24 hours)"))
        }
        guard errors.isEmpty, let methodId, let delay else {
            throw HTTPError(.badRequest, detail: errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: errors)
        }
        return (methodId, delay)
    }

    func create(userId: String, contactMethodId: String, delaySeconds: Int) throws -> NotificationRule {
        let rule = NotificationRule(id: NotificationRule.idPrefix + SecureRandom.token(bytes: 12), userId: userId,
                                    contactMethodId: contactMethodId, delaySeconds: delaySeconds, createdAt: time.now())
        try database.write { db in
            try UserScope.requireUser(userId, db: db)
            // Another user's method is refused like a missing one: a rule may only page its own user.
            guard try db.queryOne("SELECT 1 FROM contact_methods WHERE id = ? AND user_id = ?", [.text(contactMethodId), .text(userId)]) != nil else {
                throw HTTPError.invalid("contactMethodId", "user \(userId) has no contact method \(contactMethodId)")
            }
            if let other = try db.queryOne("SELECT id FROM notification_rules WHERE contact_method_id = ? AND delay_seconds = ?",
                                           [.text(contactMethodId), .integer(Int64(delaySeconds))]) {
                let detail = "rule \(try other.get("id", as: String.self)) already uses contact method \(contactMethodId) after \(delaySeconds) s"
                throw HTTPError(.conflict, detail: detail, errors: [.init(field: "delaySeconds", detail: detail)])
            }
            try db.run("INSERT INTO notification_rules (id, user_id, contact_method_id, delay_seconds, created_at) VALUES (?, ?, ?, ?, ?)",
                       [.text(rule.id), .text(userId), .text(contactMethodId), .integer(Int64(delaySeconds)), SQLValue(rule.createdAt)])
        }
        return rule
    }

    /// The user's rules in the order they fire: by delay, then by id.
    func list(userId: String) throws -> [NotificationRule] {
        try database.read { db in
            try UserScope.requireUser(userId, db: db)
            return try db.query(NotificationRule.selectColumns + " WHERE user_id = ? ORDER BY delay_seconds, id", [.text(userId)])
                .map(NotificationRule.decode)
        }
    }

    func get(_ id: String, userId: String) throws -> NotificationRule {
        try database.read { db in try Self.rule(id, userId: userId, db: db) }
    }

    func delete(_ id: String, userId: String) throws {
        try database.write { db in
            _ = try Self.rule(id, userId: userId, db: db)
            try db.run("DELETE FROM notification_rules WHERE id = ?", [.text(id)])
        }
    }

    private static func rule(_ id: String, userId: String, db: Connection) throws -> NotificationRule {
        try UserScope.requireUser(userId, db: db)
        guard let row = try db.queryOne(NotificationRule.selectColumns + " WHERE id = ? AND user_id = ?", [.text(id), .text(userId)]) else {
            throw HTTPError(.notFound, detail: "user \(userId) has no notification rule \(id)")
        }
        return try NotificationRule.decode(row)
    }
}
