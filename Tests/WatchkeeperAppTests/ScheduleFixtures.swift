import Foundation
import HTTPServer
import Storage

/// Inserts users, rotations, schedules and schedule parts directly with SQL, in the storage
/// contract of migration 0002 (JSON bodies as the API writes them, RFC 3339 instants), so the
/// on-call endpoints can be tested without the CRUD routes. Bodies are written as plain JSON
/// objects, not encoded Scheduling values, so the tests also pin the stored format.
struct ScheduleFixtures {
    let database: Database
    var now = Date(timeIntervalSince1970: 1_790_000_000)

    func user(_ id: String, name: String) throws {
        let body: [String: Any] = ["id": id, "name": name, "email": "\(id)@example.com", "timeZone": "UTC", "role": "responder"]
        try insert("INSERT INTO users (id, version, created_at, updated_at, email, body) VALUES (?, 1, ?, ?, ?, ?)",
                   [.text(id), SQLValue(now), SQLValue(now), .text("\(id)@example.com"), .text(try json(body))])
    }

    /// `anchor` is a local date-time "YYYY-MM-DDTHH:MM" in `timeZone`; `unit` hours/days/weeks/months.
    func rotation(_ id: String, name: String, timeZone: String = "UTC", participants: [String], every count: Int = 1, _ unit: String = "days",
                  anchor: String, participantIndex: Int = 0, advanceMode: String = "byCalendar") throws {
        let body: [String: Any] = [
            "id": id, "name": name, "timeZone": timeZone, "participants": participants,
            "shiftLength": ["count": count, "unit": unit],
            "anchor": ["start": anchor, "participantIndex": participantIndex], "advanceMode": advanceMode,
        ]
        let text = try json(body)
        let now = self.now
        try database.write { db in
            try db.run("INSERT INTO rotations (id, version, created_at, updated_at, body) VALUES (?, 1, ?, ?, ?)",
                       [.text(id), SQLValue(now), SQLValue(now), .text(text)])
            for (position, user) in participants.enumerated() {
                try db.run("INSERT INTO rotation_participants (rotation_id, position, user_id) VALUES (?, ?, ?)",
                           [.text(id), .integer(Int64(position)), .text(user)])
            }
        }
    }

    func schedule(_ id: String, name: String, timeZone: String = "UTC") throws {
        let body: [String: Any] = ["id": id, "name": name, "timeZone": timeZone]
        try insert("INSERT INTO schedules (id, version, created_at, updated_at, body) VALUES (?, 1, ?, ?, ?)",
                   [.text(id), SQLValue(now), SQLValue(now), .text(try json(body))])
    }

    /// `windows`: (days, "HH:MM", "HH:MM"); none means always active.
    func rule(_ id: String, schedule: String, user: String? = nil, rotation: String? = nil, windows: [([String], String, String)] = []) throws {
        let target: [String: Any] = user.map { ["kind": "user", "id": $0] } ?? ["kind": "rotation", "id": rotation ?? ""]
        let body: [String: Any] = ["id": id, "target": target, "windows": windows.map { ["days": $0.0, "start": $0.1, "end": $0.2] }]
        try part(id, schedule: schedule, kind: "rule", start: nil, end: nil, body: body, users: user.map { [$0] } ?? [], rotations: rotation.map { [$0] } ?? [])
    }

    func override(_ id: String, schedule: String, _ action: String, add: String? = nil, remove: String? = nil, from start: Date, to end: Date) throws {
        var body: [String: Any] = ["id": id, "action": action, "start": RFC3339.format(start), "end": RFC3339.format(end)]
        if let add { body["addUserId"] = add }
        if let remove { body["removeUserId"] = remove }
        try part(id, schedule: schedule, kind: "override", start: start, end: end, body: body, users: [add, remove].compactMap { $0 }, rotations: [])
    }

    func temporary(_ id: String, schedule: String, from start: Date, to end: Date, shifts: [(Date, Date, String)]) throws {
        let body: [String: Any] = [
            "id": id, "start": RFC3339.format(start), "end": RFC3339.format(end),
            "shifts": shifts.map { ["start": RFC3339.format($0.0), "end": RFC3339.format($0.1), "userId": $0.2] },
        ]
        try part(id, schedule: schedule, kind: "temporary", start: start, end: end, body: body, users: Array(Set(shifts.map(\.2))), rotations: [])
    }

    /// Rewrites a rule in place, as an edit through the API would.
    func replaceRule(_ id: String, user: String) throws {
        let body: [String: Any] = ["id": id, "target": ["kind": "user", "id": user], "windows": [Any]()]
        let text = try json(body)
        try database.write { db in
            try db.run("UPDATE schedule_parts SET body = ?, version = version + 1 WHERE id = ?", [.text(text), .text(id)])
            try db.run("DELETE FROM schedule_part_references WHERE part_id = ?", [.text(id)])
            try db.run("INSERT INTO schedule_part_references (part_id, user_id) VALUES (?, ?)", [.text(id), .text(user)])
        }
    }

    func deletePart(_ id: String) throws {
        try insert("DELETE FROM schedule_parts WHERE id = ?", [.text(id)])
    }

    private func part(_ id: String, schedule: String, kind: String, start: Date?, end: Date?, body: [String: Any], users: [String], rotations: [String]) throws {
        let text = try json(body)
        let now = self.now
        try database.write { db in
            try db.run("""
                INSERT INTO schedule_parts (id, schedule_id, kind, version, created_at, updated_at, start_at, end_at, body)
                VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)
                """, [.text(id), .text(schedule), .text(kind), SQLValue(now), SQLValue(now), SQLValue(start), SQLValue(end), .text(text)])
            for user in users {
                try db.run("INSERT INTO schedule_part_references (part_id, user_id) VALUES (?, ?)", [.text(id), .text(user)])
            }
            for rotation in rotations {
                try db.run("INSERT INTO schedule_part_references (part_id, rotation_id) VALUES (?, ?)", [.text(id), .text(rotation)])
            }
        }
    }

    private func insert(_ sql: String, _ bindings: [SQLValue]) throws {
        try database.write { db in try db.run(sql, bindings) }
    }

    private func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// An RFC 3339 instant for tests; crashes on a typo, which is a bug in the test.
func utc(_ text: String) -> Date {
    guard let date = RFC3339.parse(text) else { preconditionFailure("bad test instant \(text)") }
    return date
}

extension ScheduleFixtures {
    /// The "SOC" world most tests use, all in UTC:
    /// - rotation `primary`: alice, bob taking daily turns at 09:00 from Monday 2026-11-02 (alice);
    /// - schedule `soc`: rule `r-primary` (always) on `primary`; override `o-carol` adds carol
    ///   2026-11-03 12:00–14:00; override `o-dave` adds dave 2026-11-02 20:00–22:00;
    /// - schedule `weekday`: rule `r-dave` puts dave on call Mon–Fri 09:00–17:00, gaps elsewhere.
    func soc() throws {
        for (id, name) in [("alice", "Alice Adams"), ("bob", "Bob Brown"), ("carol", "Carol Chen"), ("dave", "Dave Diaz")] {
            try user(id, name: name)
        }
        try rotation("primary", name: "Primary", participants: ["alice", "bob"], anchor: "2026-11-02T09:00")
        try schedule("soc", name: "SOC")
        try rule("r-primary", schedule: "soc", rotation: "primary")
        try override("o-carol", schedule: "soc", "add", add: "carol", from: utc("2026-11-03T12:00:00Z"), to: utc("2026-11-03T14:00:00Z"))
        try override("o-dave", schedule: "soc", "add", add: "dave", from: utc("2026-11-02T20:00:00Z"), to: utc("2026-11-02T22:00:00Z"))
        try schedule("weekday", name: "Weekday")
        try rule("r-dave", schedule: "weekday", user: "dave", windows: [(["monday", "tuesday", "wednesday", "thursday", "friday"], "09:00", "17:00")])
    }
}
