import HTTPServer
import Scheduling
import Storage

/// Overrides of a schedule: `/api/v1/schedules/{id}/overrides`; the body is
/// `Scheduling.ScheduleOverride`, its span mirrored in `start_at`/`end_at` for range queries.
struct ScheduleOverrideResource: ResourceKind {
    typealias Value = ScheduleOverride

    var noun: String { "schedule override" }
    var operationNoun: String { "ScheduleOverride" }
    var idPrefix: String { "ovr_" }
    var tag: String { "schedules" }
    var table: ResourceTable { SchedulePartTable.table(kind: "override", spanned: true) }

    var schema: ResourceSchema {
        ResourceSchema(
            name: "ScheduleOverride",
            description: "During [start, end): add a user, remove a user, or replace one user with another where the replaced user is on call.",
            properties: [
                "start": ScheduleSchemas.dateTime,
                "end": ["type": "string", "format": "date-time", "description": "Exclusive; after start"],
                "action": ["type": "string", "enum": ["add", "remove", "replace"]],
                "addUserId": ["type": ["string", "null"], "description": "For add and replace: the user put on call"],
                "removeUserId": ["type": ["string", "null"], "description": "For remove and replace: the user taken off call"],
            ],
            required: ["start", "end", "action"],
            readOnly: SchedulePartTable.metadata(idPrefix: idPrefix))
    }

    func validate(_ override: ScheduleOverride, db: Connection) throws -> [ProblemDetails.FieldError] {
        let own = FieldPath.fieldErrors(Schedule(id: "-", timeZone: "UTC", overrides: [override]).validate(), under: "overrides[0]")
        var named: [(field: String, id: String)] = []
        if let id = override.addUserId { named.append(("addUserId", id)) }
        if let id = override.removeUserId { named.append(("removeUserId", id)) }
        return own + (try References.missingUsers(named, db: db))
    }

    func columns(of override: ScheduleOverride) -> [String: SQLValue] {
        ["start_at": SQLValue(override.start), "end_at": SQLValue(override.end)]
    }

    func writeLinks(of override: ScheduleOverride, db: Connection) throws {
        let users = [override.addUserId, override.removeUserId].compactMap { $0 }
        try References.replacePartReferences(partId: override.id, userIds: users, rotationIds: [], db: db)
    }

    func listFilter(_ request: HTTPRequest) throws -> ListFilter { try SpanFilter.filter(request) }

    var listParameters: [OpenAPIOperation.Parameter] { SpanFilter.parameters }
}
