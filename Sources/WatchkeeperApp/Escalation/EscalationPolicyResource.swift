import Foundation
import HTTPServer
import Paging
import Storage

/// Escalation policies: `/api/v1/escalation-policies`; the body is `Paging.EscalationPolicy`.
/// Targets must exist; `escalation_policy_targets` mirrors them so a paged user, rotation or
/// schedule cannot be deleted, and a policy a service names cannot be deleted either.
struct EscalationPolicyResource: ResourceKind {
    typealias Value = EscalationPolicy

    var noun: String { "escalation policy" }
    var pluralNoun: String { "escalation policies" }
    var pluralOperationNoun: String { "EscalationPolicies" }
    var operationNoun: String { "EscalationPolicy" }
    var idPrefix: String { "esc_" }
    var tag: String { "escalation-policies" }
    var table: ResourceTable { ResourceTable(name: "escalation_policies") }
    var defaults: [String: JSONValue] { ["repeatCount": 0, "skipEmptySteps": false, "acknowledgementTimeoutSeconds": .null] }
    // Who is on call does not depend on policies.
    var affectsOnCall: Bool { false }

    static let nestedSchemas: [String: JSONValue] = [
        "EscalationStep": [
            "type": "object", "additionalProperties": false, "required": ["targets", "delaySeconds"],
            "properties": [
                "targets": ["type": "array", "minItems": 1, "maxItems": .number(Double(EscalationPolicy.maximumTargetsPerStep)),
                            "items": .ref("EscalationTarget"), "description": "Paged together when the step fires, resolved to users at that instant"],
                "delaySeconds": ["type": "integer", "minimum": .number(Double(EscalationPolicy.delayRange.lowerBound)),
                                 "maximum": .number(Double(EscalationPolicy.delayRange.upperBound)),
                                 "description": "Seconds to wait after this step fires before the next step (or, after the last step, the next pass)"],
            ],
        ],
        "EscalationTarget": [
            "type": "object", "additionalProperties": false, "required": ["kind", "id"],
            "properties": [
                "kind": ["type": "string", "enum": .array(EscalationPolicy.Step.Target.Kind.allCases.map { .string($0.rawValue) })],
                "id": ["type": "string", "minLength": 1, "description": "The id of an existing user, rotation or schedule"],
            ],
        ],
    ]

    var schema: ResourceSchema {
        ResourceSchema(
            name: "EscalationPolicy",
            description: "Whom to page, in order, and how long to wait for an acknowledgement before the next step; see docs/ESCALATION.md.",
            properties: [
                "name": ScheduleSchemas.name,
                "steps": ["type": "array", "minItems": 1, "maxItems": .number(Double(EscalationPolicy.maximumSteps)), "items": .ref("EscalationStep")],
                "repeatCount": ["type": "integer", "minimum": .number(Double(EscalationPolicy.repeatCountRange.lowerBound)),
                                "maximum": .number(Double(EscalationPolicy.repeatCountRange.upperBound)),
                                "description": "How many more times the whole list runs after the first pass; default 0"],
                "skipEmptySteps": ["type": "boolean",
                                   "description": "A step whose targets resolve to nobody when it fires is skipped and the next step fires at once; default false"],
                "acknowledgementTimeoutSeconds": ["type": ["integer", "null"],
                                                  "minimum": .number(Double(EscalationPolicy.acknowledgementTimeoutRange.lowerBound)),
                                                  "maximum": .number(Double(EscalationPolicy.acknowledgementTimeoutRange.upperBound)),
                                                  "description": "An alert acknowledged this long ago and not resolved is triggered again; default null (never)"],
            ],
            required: ["name", "steps"],
            readOnly: ScheduleSchemas.metadata(idPrefix: idPrefix))
    }

    func validate(_ policy: EscalationPolicy, db: Connection) throws -> [ProblemDetails.FieldError] {
        let own = policy.validate().map { ProblemDetails.FieldError(field: $0.field, detail: $0.message) }
        return TextRules.name(policy.name) + own + (try EscalationTargets.missing(in: policy, db: db))
    }

    func writeLinks(of policy: EscalationPolicy, db: Connection) throws {
        try EscalationTargets.write(policy, db: db)
    }

    func referrers(of id: String, db: Connection) throws -> [String] {
        try db.query("SELECT id FROM services WHERE json_extract(body, '$.escalationPolicyId') = ? ORDER BY id", [.text(id)])
            .map { "service \(try $0.get("id", as: String.self))" }
    }
}
