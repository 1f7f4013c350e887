import Foundation
import HTTPServer
import Storage

/// Services: `/api/v1/services`. Deleting a service deletes its integration keys; a service
/// that has alerts cannot be deleted (their history would lose its service). `escalationPolicyId`
/// must name a stored policy.
struct ServiceResource: ResourceKind {
    static let maximumPolicyIdLength = 100

    var noun: String { "service" }
    var operationNoun: String { "Service" }
    var idPrefix: String { "svc_" }
    var tag: String { "services" }
    var table: ResourceTable { ResourceTable(name: "services") }
    var defaults: [String: JSONValue] { ["description": "", "escalationPolicyId": .null, "urgency": "high", "maintenanceUntil": .null] }
    var affectsOnCall: Bool { false }

    var schema: ResourceSchema {
        ResourceSchema(
            name: "Service", description: "What alerts are raised against; integration keys name it in the ingest URL.",
            properties: [
                "name": ["type": "string", "minLength": 1, "maxLength": .number(Double(TextRules.maximumNameLength))],
                "description": ["type": "string", "maxLength": .number(Double(TextRules.maximumDescriptionLength)), "description": "Free text; default empty"],
                "escalationPolicyId": ["type": ["string", "null"], "maxLength": .number(Double(Self.maximumPolicyIdLength)),
                                       "description": "The id of an existing escalation policy (which then cannot be deleted while this service names it); default null"],
                "urgency": ["type": "string", "enum": ["high", "low"], "description": "Urgency of alerts whose event does not set one; default high"],
                "maintenanceUntil": ["type": ["string", "null"], "format": "date-time",
                                     "description": "Until this instant new alerts are recorded but marked suppressed; default null"],
            ],
            required: ["name"],
            readOnly: ScheduleSchemas.metadata(idPrefix: idPrefix))
    }

    func validate(_ service: Service, db: Connection) throws -> [ProblemDetails.FieldError] {
        var errors = TextRules.name(service.name)
        if service.description.count > TextRules.maximumDescriptionLength {
            errors.append(.init(field: "description", detail: "must be at most \(TextRules.maximumDescriptionLength) characters"))
        }
        if let policy = service.escalationPolicyId, policy.isEmpty || policy.count > Self.maximumPolicyIdLength {
            errors.append(.init(field: "escalationPolicyId", detail: "must be 1 to \(Self.maximumPolicyIdLength) characters, or null"))
        } else if let policy = service.escalationPolicyId, try db.queryOne("SELECT 1 FROM escalation_policies WHERE id = ?", [.text(policy)]) == nil {
            errors.append(.init(field: "escalationPolicyId", detail: "no escalation policy \(policy)"))
        }
        return errors
    }

    func referrers(of id: String, db: Connection) throws -> [String] {
        let count: Int64 = try db.queryOne("SELECT count(*) AS n FROM alerts WHERE service_id = ?", [.text(id)])?.get("n") ?? 0
        return count == 0 ? [] : ["\(count) alert\(count == 1 ? "" : "s")"]
    }

    func deleteDependents(of id: String, db: Connection) throws {
        try db.run("DELETE FROM integration_keys WHERE service_id = ?", [.text(id)])
    }
}
