import Foundation
import Storage

/// Where one kind of resource lives: a table of versioned rows (`id`, `version`, `created_at`,
/// `updated_at`, `body`), optionally scoped to a parent row and to one `kind` of a shared table,
/// with extra columns that SQL searches or constrains. All SQL of the CRUD layer is built here
/// from these constant names; every value is a bound parameter.
struct ResourceTable: Sendable {
    /// The parent a scoped resource belongs to (`schedule_parts.schedule_id` → `schedules`).
    struct Parent: Sendable {
        /// The parent's table ("schedules").
        var table: String
        /// The column of this table holding the parent's id ("schedule_id").
        var column: String
        /// "schedule", for messages.
        var noun: String
        /// The member naming the parent in the API representation ("scheduleId").
        var member: String
    }

    /// A row as stored.
    struct StoredRow: Sendable {
        var id: String
        var parentId: String?
        var version: Int64
        var createdAt: Date
        var updatedAt: Date
        var body: String
    }

    var name: String
    /// The `kind` column's value when several kinds share the table; nil when the table is the kind's own.
    var kind: String?
    var parent: Parent?
    /// Columns beside the body, filled from `ResourceKind.columns(of:)`.
    var extraColumns: [String] = []

    /// The conditions naming one resource (or the collection, without the id) and their bindings.
    private func scope(id: String?, parentId: String?) -> (sql: String, bindings: [SQLValue]) {
        var conditions: [String] = []
        var bindings: [SQLValue] = []
        if let id { conditions.append("id = ?"); bindings.append(.text(id)) }
        if let parent { conditions.append("\(parent.column) = ?"); bindings.append(.text(parentId ?? "")) }
        if let kind { conditions.append("kind = ?"); bindings.append(.text(kind)) }
        return (conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND "), bindings)
    }

    private var selectColumns: String {
        "SELECT id, version, created_at, updated_at, body" + (parent.map { ", \($0.column) AS parent_id" } ?? "") + " FROM \(name)"
    }

    func parentExists(_ parentId: String, db: Connection) throws -> Bool {
        guard let parent else { return true }
        return try db.queryOne("SELECT 1 FROM \(parent.table) WHERE id = ?", [.text(parentId)]) != nil
    }

    func fetch(id: String, parentId: String?, db: Connection) throws -> StoredRow? {
        let scope = scope(id: id, parentId: parentId)
        return try db.queryOne("\(selectColumns) WHERE \(scope.sql)", scope.bindings).map(Self.decode)
    }

    /// Up to `limit` rows with ids after `after`, by id, that also satisfy `filter`.
    func page(parentId: String?, after: String?, limit: Int, filter: ListFilter, db: Connection) throws -> [StoredRow] {
        var scope = scope(id: nil, parentId: parentId)
        if let after { scope.sql += " AND id > ?"; scope.bindings.append(.text(after)) }
        for condition in filter.conditions { scope.sql += " AND (\(condition.sql))"; scope.bindings += condition.bindings }
        return try db.query("\(selectColumns) WHERE \(scope.sql) ORDER BY id LIMIT ?", scope.bindings + [.integer(Int64(limit))])
            .map(Self.decode)
    }

    func insert(id: String, parentId: String?, now: Date, body: String, columns: [String: SQLValue], db: Connection) throws {
        var names = ["id", "version", "created_at", "updated_at", "body"]
        var values: [SQLValue] = [.text(id), .integer(1), SQLValue(now), SQLValue(now), .text(body)]
        if let parent { names.append(parent.column); values.append(.text(parentId ?? "")) }
        if let kind { names.append("kind"); values.append(.text(kind)) }
        for column in extraColumns { names.append(column); values.append(columns[column] ?? .null) }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        try db.run("INSERT INTO \(name) (\(names.joined(separator: ", "))) VALUES (\(placeholders))", values)
    }

    /// Stores a new body with version `version`.
    func update(id: String, parentId: String?, version: Int64, now: Date, body: String, columns: [String: SQLValue], db: Connection) throws {
        var assignments = ["version = ?", "updated_at = ?", "body = ?"]
        var values: [SQLValue] = [.integer(version), SQLValue(now), .text(body)]
        for column in extraColumns { assignments.append("\(column) = ?"); values.append(columns[column] ?? .null) }
        let scope = scope(id: id, parentId: parentId)
        try db.run("UPDATE \(name) SET \(assignments.joined(separator: ", ")) WHERE \(scope.sql)", values + scope.bindings)
    }

    func delete(id: String, parentId: String?, db: Connection) throws {
        let scope = scope(id: id, parentId: parentId)
        try db.run("DELETE FROM \(name) WHERE \(scope.sql)", scope.bindings)
    }

    private static func decode(_ row: Row) throws -> StoredRow {
        StoredRow(id: try row.get("id"), parentId: row.contains("parent_id") ? try row.get("parent_id") : nil,
                  version: try row.get("version"), createdAt: try row.get("created_at"), updatedAt: try row.get("updated_at"),
                  body: try row.get("body"))
    }
}
