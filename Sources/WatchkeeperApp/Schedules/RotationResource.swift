import Foundation
import HTTPServer
import Scheduling
import Storage

/// Rotations: `/api/v1/rotations`; the body is `Scheduling.Rotation`. `rotation_participants`
/// mirrors the participants so that a user in a rotation cannot be deleted.
///
/// A replace that changes `participants` keeps whoever is on call now on call (the server sets
/// `anchor.participantIndex`), unless it sends `"keepCurrentOnCall": false`, in which case the
/// index sent is stored as is.
struct RotationResource: ResourceKind {
    typealias Value = Rotation

    var noun: String { "rotation" }
    var operationNoun: String { "Rotation" }
    var idPrefix: String { "rot_" }
    var tag: String { "rotations" }
    var table: ResourceTable { ResourceTable(name: "rotations") }
    var defaults: [String: JSONValue] { ["advanceMode": "byCalendar"] }

    var schema: ResourceSchema {
        ResourceSchema(
            name: "Rotation", description: "Participants taking turns in shifts of a fixed length, handed off at the anchor's local time.",
            properties: [
                "name": ScheduleSchemas.name,
                "timeZone": ScheduleSchemas.timeZone,
                "participants": ["type": "array", "minItems": 1, "items": ["type": "string", "description": "User id"],
                                 "description": "User ids in turn order; a user may appear more than once"],
                "shiftLength": .ref("ShiftLength"),
                "anchor": .ref("RotationAnchor"),
                "advanceMode": ["type": "string", "enum": ["byCalendar", "byActiveShift"], "default": "byCalendar",
                                "description": "Under a schedule rule with windows: byCalendar hands off every shift length; byActiveShift gives the next person the next active shift"],
            ],
            required: ["name", "timeZone", "participants", "shiftLength", "anchor"],
            readOnly: ScheduleSchemas.metadata(idPrefix: idPrefix),
            requestOnly: ["keepCurrentOnCall": [
                "type": "boolean", "default": true, "writeOnly": true,
                "description": "PUT only. When participants change, keep whoever is on call now by setting anchor.participantIndex; false stores the index sent",
            ]])
    }

    func validate(_ rotation: Rotation, db: Connection) throws -> [ProblemDetails.FieldError] {
        let own = rotation.validate().filter { $0.field != "id" }
        let participants = rotation.participants.enumerated().map { (field: "participants.\($0.offset)", id: $0.element) }
        return TextRules.name(rotation.name) + FieldPath.fieldErrors(own) + (try References.missingUsers(participants, db: db))
    }

    func replacement(_ new: Rotation, for old: Rotation, options: [String: JSONValue], now: Date, db: Connection) throws -> Rotation {
        guard options["keepCurrentOnCall"] != .bool(false) else { return new }
        return try RotationHandover.keepingOnCall(old: old, new: new, at: now, windows: try Self.ruleWindows(of: new.id, db: db))
    }

    func writeLinks(of rotation: Rotation, db: Connection) throws {
        try db.run("DELETE FROM rotation_participants WHERE rotation_id = ?", [.text(rotation.id)])
        for (position, user) in rotation.participants.enumerated() {
            try db.run("INSERT INTO rotation_participants (rotation_id, position, user_id) VALUES (?, ?, ?)",
                       [.text(rotation.id), .integer(Int64(position)), .text(user)])
        }
    }

    func referrers(of id: String, db: Connection) throws -> [String] {
        try References.partsNaming(rotation: id, db: db) + (try EscalationTargets.policiesNaming(.rotation, id: id, db: db))
    }

    /// The windows of the schedule rules using the rotation, when they are all the same (turns of
    /// a `byActiveShift` rotation depend on them); nil when no rule or rules with different
    /// windows use it, and the calendar grid decides.
    private static func ruleWindows(of rotationId: String, db: Connection) throws -> ActiveWindows? {
        let rows = try db.query("""
            SELECT p.body AS rule, json_extract(s.body, '$.timeZone') AS zone
            FROM schedule_part_references r
            JOIN schedule_parts p ON p.id = r.part_id AND p.kind = 'rule'
            JOIN schedules s ON s.id = p.schedule_id
            WHERE r.rotation_id = ?
            """, [.text(rotationId)])
        var windows = Set<ActiveWindows>()
        for row in rows {
            let rule = try JSON.decoder.decode(ScheduleRule.self, from: Data(try row.get("rule", as: String.self).utf8))
            windows.insert(ActiveWindows(timeZone: try row.get("zone"), windows: rule.windows))
        }
        return windows.count == 1 ? windows.first : nil
    }
}
