import Foundation
import HTTPServer
import Scheduling
import Storage

/// Users: `/api/v1/users`. The e-mail address is unique (case-insensitively); a user still named
/// by a rotation or a schedule part cannot be deleted.
struct UserResource: ResourceKind {
    var noun: String { "user" }
    var operationNoun: String { "User" }
    var idPrefix: String { "usr_" }
    var tag: String { "users" }
    var table: ResourceTable { ResourceTable(name: "users", extraColumns: ["email"]) }
    var defaults: [String: JSONValue] { ["identities": []] }
    /// Who is on call is decided by rotations and schedules; a user's own fields do not change it.
    var affectsOnCall: Bool { false }

    var schema: ResourceSchema {
        ResourceSchema(
            name: "User", description: "A person who can be paged and put on call.",
            properties: [
                "name": ScheduleSchemas.name,
                "email": ["type": "string", "format": "email", "description": "Unique across users, compared case-insensitively"],
                "timeZone": ScheduleSchemas.timeZone,
                "role": ["type": "string", "enum": ["admin", "responder", "viewer"], "description": "The person's role in the console"],
                "identities": ["type": "array", "items": .ref("UserIdentity"), "description": "Entra ID accounts, one per Sentinel tenant; sorted by tenantId"],
            ],
            required: ["name", "email", "timeZone", "role"],
            readOnly: ScheduleSchemas.metadata(idPrefix: idPrefix))
    }

    func validate(_ user: User, db: Connection) throws -> [ProblemDetails.FieldError] {
        var errors = TextRules.name(user.name)
        if !Self.isPlausibleEmail(user.email) {
            errors.append(.init(field: "email", detail: "\"\(user.email)\" is not an e-mail address such as ana@example.com"))
        }
        if !ZoneRules.isKnown(user.timeZone) {
            errors.append(.init(field: "timeZone", detail: "unknown IANA time zone \"\(user.timeZone)\""))
        }
        var tenants = Set<String>()
        for (index, identity) in user.identities.enumerated() {
            let path = "identities.\(index)"
            if UUID(uuidString: identity.tenantId) == nil {
                errors.append(.init(field: "\(path).tenantId", detail: "must be a directory (tenant) id, a GUID"))
            } else if !tenants.insert(identity.tenantId.lowercased()).inserted {
                errors.append(.init(field: "\(path).tenantId", detail: "another identity has this tenant; a user has one per tenant"))
            }
            if UUID(uuidString: identity.objectId) == nil {
                errors.append(.init(field: "\(path).objectId", detail: "must be the user's object id, a GUID"))
            }
            if let upn = identity.upn, !Self.isPlausibleEmail(upn) {
                errors.append(.init(field: "\(path).upn", detail: "must look like name@domain"))
            }
        }
        return errors
    }

    func conflict(_ user: User, db: Connection) throws -> HTTPError? {
        // The column's NOCASE collation makes this comparison case-insensitive, like the UNIQUE index.
        guard let other = try db.queryOne("SELECT id FROM users WHERE email = ? AND id != ?", [.text(user.email), .text(user.id)]) else { return nil }
        let detail = "user \(try other.get("id", as: String.self)) already has the e-mail address \(user.email)"
        return HTTPError(.conflict, detail: detail, errors: [.init(field: "email", detail: detail)])
    }

    func body(of user: User) throws -> String {
        String(decoding: try JSON.encoder.encode(user.body), as: UTF8.self)
    }

    func columns(of user: User) -> [String: SQLValue] { ["email": .text(user.email)] }

    func writeLinks(of user: User, db: Connection) throws {
        try db.run("DELETE FROM user_identities WHERE user_id = ?", [.text(user.id)])
        for identity in user.identities {
            try db.run("INSERT INTO user_identities (user_id, tenant_id, object_id, upn) VALUES (?, ?, ?, ?)",
                       [.text(user.id), .text(identity.tenantId), .text(identity.objectId), identity.upn.map { .text($0) } ?? .null])
        }
    }

    func value(of row: ResourceTable.StoredRow, db: Connection) throws -> User {
        let body = try Self.decodeBody(User.Body.self, row)
        let identities = try db.query("SELECT tenant_id, object_id, upn FROM user_identities WHERE user_id = ? ORDER BY tenant_id", [.text(row.id)])
            .map { UserIdentity(tenantId: try $0.get("tenant_id"), objectId: try $0.get("object_id"), upn: try $0.get("upn")) }
        return User(body: body, identities: identities)
    }

    func referrers(of id: String, db: Connection) throws -> [String] {
        let rotations = try db.query("SELECT DISTINCT rotation_id FROM rotation_participants WHERE user_id = ? ORDER BY rotation_id", [.text(id)])
            .map { "rotation \(try $0.get("rotation_id", as: String.self))" }
        return rotations + (try References.partsNaming(user: id, db: db)) + (try EscalationTargets.policiesNaming(.user, id: id, db: db))
    }

    func deleteDependents(of id: String, db: Connection) throws {
        // The user's calendar feed token would otherwise outlive them (calendar_feeds has no foreign key).
        try db.run("DELETE FROM calendar_feeds WHERE subject_kind = 'user' AND subject_id = ?", [.text(id)])
    }

    /// One "@" with text on both sides, no spaces: enough to catch mistakes, without pretending
    /// to check deliverability.
    static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && text.count <= 254 && !text.contains(where: { $0.isWhitespace || $0.isNewline })
    }
}
