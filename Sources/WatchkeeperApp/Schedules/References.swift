import HTTPServer
import Storage

/// Checks that the users and rotations a resource names exist, and keeps
/// `schedule_part_references` (which makes their deletion a 409) in step with schedule parts.
enum References {
    /// A 400 field error for each `(field, id)` whose user does not exist.
    static func missingUsers(_ named: [(field: String, id: String)], db: Connection) throws -> [ProblemDetails.FieldError] {
        try missing(named, table: "users", noun: "user", db: db)
    }

    static func missingRotations(_ named: [(field: String, id: String)], db: Connection) throws -> [ProblemDetails.FieldError] {
        try missing(named, table: "rotations", noun: "rotation", db: db)
    }

    private static func missing(_ named: [(field: String, id: String)], table: String, noun: String, db: Connection) throws -> [ProblemDetails.FieldError] {
        var known: [String: Bool] = [:]
        var errors: [ProblemDetails.FieldError] = []
        for (field, id) in named where !id.isEmpty {
            if known[id] == nil { known[id] = try db.queryOne("SELECT 1 FROM \(table) WHERE id = ?", [.text(id)]) != nil }
            if known[id] == false { errors.append(.init(field: field, detail: "no \(noun) \(id)")) }
        }
        return errors
    }

    /// Replaces the references of schedule part `partId`.
    static func replacePartReferences(partId: String, userIds: [String], rotationIds: [String], db: Connection) throws {
        try db.run("DELETE FROM schedule_part_references WHERE part_id = ?", [.text(partId)])
        for user in Set(userIds).sorted() {
            try db.run("INSERT INTO schedule_part_references (part_id, user_id) VALUES (?, ?)", [.text(partId), .text(user)])
        }
        for rotation in Set(rotationIds).sorted() {
            try db.run("INSERT INTO schedule_part_references (part_id, rotation_id) VALUES (?, ?)", [.text(partId), .text(rotation)])
        }
    }

    /// The schedule parts naming user `id`, as "rule rul_… of schedule sch_…".
    static func partsNaming(user id: String, db: Connection) throws -> [String] {
        try partsNaming(column: "user_id", id: id, db: db)
    }

    static func partsNaming(rotation id: String, db: Connection) throws -> [String] {
        try partsNaming(column: "rotation_id", id: id, db: db)
    }

    private static func partsNaming(column: String, id: String, db: Connection) throws -> [String] {
        let rows = try db.query("""
            SELECT DISTINCT p.kind AS kind, p.id AS id, p.schedule_id AS schedule_id
            FROM schedule_part_references r JOIN schedule_parts p ON p.id = r.part_id
            WHERE r.\(column) = ? ORDER BY p.schedule_id, p.id
            """, [.text(id)])
        return try rows.map { row in
            let kind: String = try row.get("kind")
            let noun = kind == "temporary" ? "temporary schedule" : kind
            return "\(noun) \(try row.get("id", as: String.self)) of schedule \(try row.get("schedule_id", as: String.self))"
        }
    }
}
