import Cryptography
import Foundation
import HTTPServer
import Storage

/// Create, read, list, replace and delete for one `ResourceKind`. Every write is one
/// `Database.write` job, so its checks (parent exists, version matches, references exist, nothing
/// refers to what is deleted) and its changes are one atomic, durable transaction. Failures are
/// `HTTPError`s ready to answer.
struct ResourceStore<Kind: ResourceKind>: Sendable {
    typealias Value = Kind.Value
    typealias Stored = StoredResource<Value>

    let kind: Kind
    let database: Database
    let time: any TimeSource
    let changes: ScheduleChangeSignal

    func newID() -> String { kind.idPrefix + SecureRandom.token(bytes: 12) }

    func get(id: String, parentId: String?) throws -> Stored {
        let kind = self.kind
        return try database.read { db in
            try Self.requireParent(kind, parentId, db)
            guard let row = try kind.table.fetch(id: id, parentId: parentId, db: db) else { throw Self.notFound(kind, id) }
            return try Self.stored(kind, row, db)
        }
    }

    func list(parentId: String?, page: PageRequest, filter: ListFilter) throws -> Page<Stored> {
        let kind = self.kind
        return try database.read { db in
            try Self.requireParent(kind, parentId, db)
            // One row more than asked says whether another page follows.
            let rows = try kind.table.page(parentId: parentId, after: page.after, limit: page.limit + 1, filter: filter, db: db)
            let items = try rows.prefix(page.limit).map { try Self.stored(kind, $0, db) }
            return Page(items: items, nextCursor: rows.count > page.limit ? items.last.map { PageRequest.cursor(after: $0.id) } : nil)
        }
    }

    /// `value` must already carry `id` (from `newID()`).
    func create(_ value: Value, id: String, parentId: String?) throws -> Stored {
        let (kind, now) = (self.kind, time.now())
        let stored = try database.write { db in
            try Self.requireParent(kind, parentId, db)
            try Self.check(kind, value, db)
            try Self.translatingConstraints(kind, value) {
                try kind.table.insert(id: id, parentId: parentId, now: now, body: try kind.body(of: value), columns: kind.columns(of: value), db: db)
                try kind.writeLinks(of: value, db: db)
            }
            guard let row = try kind.table.fetch(id: id, parentId: parentId, db: db) else { throw Self.notFound(kind, id) }
            return try Self.stored(kind, row, db)
        }
        if kind.affectsOnCall { changes.notify() }
        return stored
    }

    func replace(id: String, parentId: String?, with value: Value, options: [String: JSONValue], ifMatch: IfMatch?) throws -> Stored {
        let (kind, now) = (self.kind, time.now())
        let stored = try database.write { db in
            try Self.requireParent(kind, parentId, db)
            guard let row = try kind.table.fetch(id: id, parentId: parentId, db: db) else { throw Self.notFound(kind, id) }
            try Self.checkPrecondition(kind, ifMatch, row)
            try Self.check(kind, value, db)
            let old = try kind.value(of: row, db: db)
            let value = try kind.replacement(value, for: old, options: options, now: now, db: db)
            try Self.translatingConstraints(kind, value) {
                try kind.table.update(id: id, parentId: parentId, version: row.version + 1, now: now, body: try kind.body(of: value),
                                      columns: kind.columns(of: value), db: db)
                try kind.writeLinks(of: value, db: db)
            }
            guard let updated = try kind.table.fetch(id: id, parentId: parentId, db: db) else { throw Self.notFound(kind, id) }
            return try Self.stored(kind, updated, db)
        }
        if kind.affectsOnCall { changes.notify() }
        return stored
    }

    func delete(id: String, parentId: String?, ifMatch: IfMatch?) throws {
        let kind = self.kind
        try database.write { db in
            try Self.requireParent(kind, parentId, db)
            guard let row = try kind.table.fetch(id: id, parentId: parentId, db: db) else { throw Self.notFound(kind, id) }
            try Self.checkPrecondition(kind, ifMatch, row)
            let referrers = try kind.referrers(of: id, db: db)
            guard referrers.isEmpty else {
                throw HTTPError(.conflict, detail: "\(kind.noun) \(id) is still used by \(Self.list(referrers)); remove it from them first")
            }
            try kind.deleteDependents(of: id, db: db)
            try kind.table.delete(id: id, parentId: parentId, db: db)
        }
        if kind.affectsOnCall { changes.notify() }
    }

    // MARK: Shared steps (static, so the write jobs capture only Sendable values)

    static func notFound(_ kind: Kind, _ id: String) -> HTTPError {
        HTTPError(.notFound, detail: "no \(kind.noun) \(id)")
    }

    private static func requireParent(_ kind: Kind, _ parentId: String?, _ db: Connection) throws {
        guard let parent = kind.table.parent else { return }
        guard let parentId, try kind.table.parentExists(parentId, db: db) else {
            throw HTTPError(.notFound, detail: "no \(parent.noun) \(parentId ?? "")")
        }
    }

    private static func checkPrecondition(_ kind: Kind, _ ifMatch: IfMatch?, _ row: ResourceTable.StoredRow) throws {
        let current = ETag(String(row.version))
        guard ifMatch?.isSatisfied(by: current) ?? true else {
            throw HTTPError(.preconditionFailed,
                            detail: "\(kind.noun) \(row.id) has changed since you read it (now at ETag \(current)); read it again and reapply your change",
                            headers: ["ETag": current.description])
        }
    }

    private static func check(_ kind: Kind, _ value: Value, _ db: Connection) throws {
        let errors = try kind.validate(value, db: db)
        guard errors.isEmpty else {
            let summary = errors.map { "\($0.field.isEmpty ? "body" : $0.field): \($0.detail)" }.joined(separator: "; ")
            throw HTTPError(.badRequest, detail: "invalid \(kind.noun): \(summary)", errors: errors)
        }
        if let conflict = try kind.conflict(value, db: db) { throw conflict }
    }

    /// A constraint the checks above should have caught (a race cannot happen with one writer,
    /// so this is a last line of defence) becomes a 409 rather than a 500.
    private static func translatingConstraints(_ kind: Kind, _ value: Value, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as SQLiteError where error.isConstraintViolation {
            throw HTTPError(.conflict, detail: "the \(kind.noun) conflicts with stored data: \(error.message)")
        }
    }

    private static func stored(_ kind: Kind, _ row: ResourceTable.StoredRow, _ db: Connection) throws -> Stored {
        StoredResource(id: row.id, parentId: row.parentId, parentMember: kind.table.parent?.member, version: row.version,
                       createdAt: row.createdAt, updatedAt: row.updatedAt, value: try kind.value(of: row, db: db))
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 10 ? names.joined(separator: ", ") : names.prefix(10).joined(separator: ", ") + " and \(names.count - 10) more"
    }
}
