import HTTPServer
import Scheduling
import Storage

/// Schedules: `/api/v1/schedules`. Deleting one deletes its rules, overrides, temporary
/// schedules and on-call history (foreign keys cascade) and its calendar feed token.
struct ScheduleResource: ResourceKind {
    typealias Value = ScheduleHeader

    var noun: String { "schedule" }
    var operationNoun: String { "Schedule" }
    var idPrefix: String { "sch_" }
    var tag: String { "schedules" }
    var table: ResourceTable { ResourceTable(name: "schedules") }

    var schema: ResourceSchema {
        ResourceSchema(
            name: "Schedule",
            description: "A time zone and a name; who is on call comes from its rules, overrides and temporary schedules (sub-resources).",
            properties: [
                "name": ScheduleSchemas.name,
                "timeZone": ScheduleSchemas.timeZone,
                "description": ["type": ["string", "null"], "maxLength": .number(Double(TextRules.maximumDescriptionLength))],
            ],
            required: ["name", "timeZone"],
            readOnly: ScheduleSchemas.metadata(idPrefix: idPrefix))
    }

    func validate(_ schedule: ScheduleHeader, db: Connection) throws -> [ProblemDetails.FieldError] {
        var errors = TextRules.name(schedule.name)
        if !ZoneRules.isKnown(schedule.timeZone) {
            errors.append(.init(field: "timeZone", detail: "unknown IANA time zone \"\(schedule.timeZone)\""))
        }
        if let description = schedule.description, description.count > TextRules.maximumDescriptionLength {
            errors.append(.init(field: "description", detail: "must be at most \(TextRules.maximumDescriptionLength) characters"))
        }
        return errors
    }

    func referrers(of id: String, db: Connection) throws -> [String] {
        try EscalationTargets.policiesNaming(.schedule, id: id, db: db)
    }

    func deleteDependents(of id: String, db: Connection) throws {
        try db.run("DELETE FROM calendar_feeds WHERE subject_kind = 'schedule' AND subject_id = ?", [.text(id)])
    }
}
