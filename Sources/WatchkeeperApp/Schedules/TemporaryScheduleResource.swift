import HTTPServer
import Scheduling
import Storage

/// Temporary schedules: `/api/v1/schedules/{id}/temporary-schedules`; the body is
/// `Scheduling.TemporarySchedule`, its span mirrored in `start_at`/`end_at` for range queries.
struct TemporaryScheduleResource: ResourceKind {
    typealias Value = TemporarySchedule

    var noun: String { "temporary schedule" }
    var operationNoun: String { "TemporarySchedule" }
    var idPrefix: String { "tmp_" }
    var tag: String { "schedules" }
    var table: ResourceTable { SchedulePartTable.table(kind: "temporary", spanned: true) }

    var schema: ResourceSchema {
        ResourceSchema(
            name: "TemporarySchedule",
            description: "Explicit shifts that replace the schedule's rules and overrides during [start, end); a gap between shifts means nobody is on call.",
            properties: [
                "start": ScheduleSchemas.dateTime,
                "end": ["type": "string", "format": "date-time", "description": "Exclusive; after start"],
                "shifts": ["type": "array", "items": .ref("TemporaryShift"), "description": "Each inside [start, end)"],
            ],
            required: ["start", "end", "shifts"],
            readOnly: SchedulePartTable.metadata(idPrefix: idPrefix))
    }

    func validate(_ temporary: TemporarySchedule, db: Connection) throws -> [ProblemDetails.FieldError] {
        let own = FieldPath.fieldErrors(Schedule(id: "-", timeZone: "UTC", temporarySchedules: [temporary]).validate(), under: "temporarySchedules[0]")
        let named = temporary.shifts.enumerated().map { (field: "shifts.\($0.offset).userId", id: $0.element.userId) }
        return own + (try References.missingUsers(named, db: db))
    }

    func columns(of temporary: TemporarySchedule) -> [String: SQLValue] {
        ["start_at": SQLValue(temporary.start), "end_at": SQLValue(temporary.end)]
    }

    func writeLinks(of temporary: TemporarySchedule, db: Connection) throws {
        try References.replacePartReferences(partId: temporary.id, userIds: temporary.shifts.map(\.userId), rotationIds: [], db: db)
    }

    func listFilter(_ request: HTTPRequest) throws -> ListFilter { try SpanFilter.filter(request) }

    var listParameters: [OpenAPIOperation.Parameter] { SpanFilter.parameters }
}
