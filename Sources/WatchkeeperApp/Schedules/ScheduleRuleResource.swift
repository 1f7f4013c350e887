import HTTPServer
import Scheduling
import Storage

/// Rules of a schedule: `/api/v1/schedules/{id}/rules`; the body is `Scheduling.ScheduleRule`.
struct ScheduleRuleResource: ResourceKind {
    typealias Value = ScheduleRule

    var noun: String { "schedule rule" }
    var operationNoun: String { "ScheduleRule" }
    var idPrefix: String { "rul_" }
    var tag: String { "schedules" }
    var table: ResourceTable { SchedulePartTable.table(kind: "rule", spanned: false) }
    var defaults: [String: JSONValue] { ["windows": []] }

    var schema: ResourceSchema {
        ResourceSchema(
            name: "ScheduleRule",
            description: "Puts a user, or whoever a rotation says, on call during weekly windows in the schedule's zone; no windows means always.",
            properties: [
                "target": .ref("RuleTarget"),
                "windows": ["type": "array", "items": .ref("WeeklyWindow"), "description": "The rule is active while any window is; empty means always"],
            ],
            required: ["target"],
            readOnly: SchedulePartTable.metadata(idPrefix: idPrefix))
    }

    func validate(_ rule: ScheduleRule, db: Connection) throws -> [ProblemDetails.FieldError] {
        // The part is checked as the only rule of a schedule, so the validator's paths start "rules[0]".
        let own = FieldPath.fieldErrors(Schedule(id: "-", timeZone: "UTC", rules: [rule]).validate(), under: "rules[0]")
        let named = [(field: "target.id", id: rule.target.id)]
        let missing = switch rule.target.kind {
        case .user: try References.missingUsers(named, db: db)
        case .rotation: try References.missingRotations(named, db: db)
        }
        return own + missing
    }

    func writeLinks(of rule: ScheduleRule, db: Connection) throws {
        let references = Schedule(id: "-", timeZone: "UTC", rules: [rule]).references
        try References.replacePartReferences(partId: rule.id, userIds: references.userIds, rotationIds: references.rotationIds, db: db)
    }
}
