import Foundation
import HTTPServer
import Scheduling
import Storage

/// Reads schedules, rotations and user names from the tables of migration 0002 (bodies in the
/// API's JSON shape), each answer from one read transaction so it is one consistent snapshot.
struct ScheduleLoader: Sendable {
    let database: Database

    /// The `schedules.body` columns this module needs.
    private struct ScheduleBody: Decodable {
        var id: String
        var name: String
        var timeZone: String
        var description: String?
    }

    /// One schedule with the overrides and temporary schedules overlapping `range` (all of them
    /// when nil); nil when there is no such schedule.
    func schedule(id: String, overlapping range: Range<Date>?) throws -> LoadedSchedule? {
        try database.read { db in try Self.schedule(id: id, overlapping: range, db: db) }
    }

    /// `schedule(id:overlapping:)` inside the caller's transaction (the engine's write job).
    static func schedule(id: String, overlapping range: Range<Date>?, db: Connection) throws -> LoadedSchedule? {
        guard let row = try db.queryOne("SELECT body FROM schedules WHERE id = ?", [.text(id)]) else { return nil }
        let parts = try db.query(partsSQL(filter: "schedule_id = ?", range: range), [.text(id)] + rangeBindings(range))
        return try assemble([(try row.get("body"), parts)], db: db).first
    }

    /// A rotation as stored, inside the caller's transaction; nil when there is no such rotation.
    static func rotation(id: String, db: Connection) throws -> Rotation? {
        guard let row = try db.queryOne("SELECT body FROM rotations WHERE id = ?", [.text(id)]) else { return nil }
        return try decode(Rotation.self, try row.get("body"), what: "rotation \(id)")
    }

    /// Every schedule, each with the overrides and temporary schedules overlapping `range`.
    func allSchedules(overlapping range: Range<Date>?) throws -> [LoadedSchedule] {
        try database.read { db in
            let schedules = try db.query("SELECT id, body FROM schedules ORDER BY id")
            let parts = try db.query(Self.partsSQL(filter: "1 = 1", range: range), Self.rangeBindings(range))
            let partsBySchedule = Dictionary(grouping: parts) { (try? $0.get("schedule_id", as: String.self)) ?? "" }
            return try Self.assemble(try schedules.map { (try $0.get("body"), partsBySchedule[try $0.get("id")] ?? []) }, db: db)
        }
    }

    /// A rotation and the names of its participants; nil when there is no such rotation.
    func rotation(id: String) throws -> (rotation: Rotation, userNames: [String: String])? {
        try database.read { db in
            guard let rotation = try Self.rotation(id: id, db: db) else { return nil }
            return (rotation, try Self.userNames(Set(rotation.participants), db: db))
        }
    }

    /// A user's display name; nil when there is no such user.
    func userName(id: String) throws -> String? {
        try database.read { db in try Self.userNames([id], db: db)[id] }
    }

    // MARK: Assembly

    /// Rules in creation order (reasons list them in rule order); overrides by start, ties in
    /// creation order, which is the order the evaluator applies them in.
    private static func partsSQL(filter: String, range: Range<Date>?) -> String {
        let overlap = range == nil ? "" : " AND (kind = 'rule' OR ((start_at IS NULL OR start_at < ?) AND (end_at IS NULL OR end_at > ?)))"
        return "SELECT schedule_id, kind, body FROM schedule_parts WHERE \(filter)\(overlap) ORDER BY schedule_id, kind, start_at, created_at, id"
    }

    private static func rangeBindings(_ range: Range<Date>?) -> [SQLValue] {
        guard let range else { return [] }
        return [SQLValue(range.upperBound), SQLValue(range.lowerBound)]
    }

    private static func assemble(_ items: [(body: String, parts: [Row])], db: Connection) throws -> [LoadedSchedule] {
        var loaded: [LoadedSchedule] = []
        var rotationIds = Set<String>()
        for (body, parts) in items {
            let header = try decode(ScheduleBody.self, body, what: "schedule")
            var schedule = Schedule(id: header.id, name: header.name, timeZone: header.timeZone)
            for part in parts {
                let kind: String = try part.get("kind")
                let partBody: String = try part.get("body")
                let what = "\(kind) of schedule \(header.id)"
                switch kind {
                case "rule": schedule.rules.append(try decode(ScheduleRule.self, partBody, what: what))
                case "override": schedule.overrides.append(try decode(ScheduleOverride.self, partBody, what: what))
                case "temporary": schedule.temporarySchedules.append(try decode(TemporarySchedule.self, partBody, what: what))
                default: throw StoredDataError("unknown schedule part kind \(kind)")
                }
            }
            rotationIds.formUnion(schedule.references.rotationIds)
            loaded.append(LoadedSchedule(schedule: schedule, description: header.description, rotations: [:], userNames: [:]))
        }
        let rotations = try self.rotations(rotationIds, db: db)
        var userIds = Set<String>()
        for index in loaded.indices {
            loaded[index].rotations = rotations.filter { loaded[index].schedule.references.rotationIds.contains($0.key) }
            userIds.formUnion(loaded[index].candidateUserIds)
        }
        let names = try userNames(userIds, db: db)
        for index in loaded.indices {
            loaded[index].userNames = names.filter { loaded[index].candidateUserIds.contains($0.key) }
        }
        return loaded
    }

    /// The ids go in as one bound JSON array, so one statement serves any number of them.
    private static func rotations(_ ids: Set<String>, db: Connection) throws -> [String: Rotation] {
        guard !ids.isEmpty else { return [:] }
        var result: [String: Rotation] = [:]
        for row in try db.query("SELECT id, body FROM rotations WHERE id IN (SELECT value FROM json_each(?))", [.text(try jsonArray(ids))]) {
            let id: String = try row.get("id")
            result[id] = try decode(Rotation.self, try row.get("body"), what: "rotation \(id)")
        }
        return result
    }

    private static func userNames(_ ids: Set<String>, db: Connection) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var result: [String: String] = [:]
        let rows = try db.query("SELECT id, json_extract(body, '$.name') AS name FROM users WHERE id IN (SELECT value FROM json_each(?))",
                                [.text(try jsonArray(ids))])
        for row in rows {
            result[try row.get("id")] = (try? row.get("name", as: String.self)) ?? ""
        }
        return result
    }

    private static func jsonArray(_ ids: Set<String>) throws -> String {
        String(decoding: try JSONEncoder().encode(ids.sorted()), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ body: String, what: String) throws -> T {
        do {
            return try JSON.decoder.decode(type, from: Data(body.utf8))
        } catch {
            throw StoredDataError("stored \(what) cannot be read: \(error)")
        }
    }
}
