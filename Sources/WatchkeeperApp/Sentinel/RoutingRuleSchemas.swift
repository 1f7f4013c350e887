import Sentinel

/// The OpenAPI component schemas of routing rules; also what the unknown-field check walks.
enum RoutingRuleSchemas {
    static let all: [String: JSONValue] = [
        "RoutingRule": [
            "type": "object", "required": ["name"], "additionalProperties": false,
            "description": "All present conditions must hold; the first matching rule of the list decides",
            "properties": [
                "id": ["type": "string", "maxLength": 64, "description": "Kept when given; new rules without one get rr_…"],
                "name": ["type": "string", "minLength": 1, "maxLength": .number(Double(RoutingRule.maximumNameLength))],
                "conditions": .ref("RoutingConditions"),
                "actions": .ref("RoutingActions"),
                "createdAt": ["type": "string", "format": "date-time", "readOnly": true],
                "updatedAt": ["type": "string", "format": "date-time", "readOnly": true],
            ],
        ],
        "RoutingConditions": [
            "type": "object", "additionalProperties": false,
            "description": "Text comparisons ignore case; patterns are case-insensitive regular expressions found anywhere in the text",
            "properties": [
                "severityIn": ["type": "array", "minItems": 1, "items": ["type": "string", "enum": .array(RoutingConditions.severities.map { .string($0) })]],
                "workspace": ["type": "string", "description": "The workspace name equals this"],
                "customer": ["type": "string", "description": "The connection's customer name equals this"],
                "titleMatches": ["type": "string", "description": "Regular expression"],
                "descriptionMatches": ["type": "string", "description": "Regular expression"],
                "tactic": ["type": "string", "description": "A MITRE ATT&CK tactic of the incident, e.g. InitialAccess"],
                "product": ["type": "string", "description": "An alert product name, e.g. Microsoft Defender for Endpoint"],
                "label": ["type": "string", "description": "A label (tag) of the incident"],
                "entityKind": ["type": "string", "description": "An entity of this kind (Account, Host, Ip, Url, …) is present; narrows entityValueIn/entityValueMatches to this kind"],
                "entityValueIn": ["type": "array", "minItems": 1, "items": ["type": "string"], "description": "An entity's value is one of these (e.g. VIP accounts)"],
                "entityValueMatches": ["type": "string", "description": "An entity's value matches this regular expression (e.g. ^FIN-)"],
                "timeWindow": .ref("RoutingTimeWindow"),
                "whileOnCall": ["type": "string", "description": "Schedule id: someone is on call in it"],
                "whileNobodyOnCall": ["type": "string", "description": "Schedule id: nobody is on call in it"],
            ],
        ],
        "RoutingTimeWindow": [
            "type": "object", "required": ["timeZone", "windows"], "additionalProperties": false,
            "description": "Weekly windows in a named IANA zone, with the schedules' rules: an overnight window (end before start) belongs to the day it starts on, a start in a spring-forward gap moves forward by the gap, a repeated fall-back time means its first occurrence",
            "properties": [
                "timeZone": ["type": "string", "description": "IANA zone, e.g. America/Chicago"],
                "windows": ["type": "array", "minItems": 1, "items": [
                    "type": "object", "required": ["days", "start", "end"], "additionalProperties": false,
                    "properties": [
                        "days": ["type": "array", "minItems": 1, "items": ["type": "string", "enum": ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]]],
                        "start": ["type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$"],
                        "end": ["type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$", "description": "Earlier than start: ends the next day; 24:00: midnight"],
                    ],
                ]],
            ],
        ],
        "RoutingActions": [
            "type": "object", "additionalProperties": false,
            "properties": [
                "serviceId": ["type": "string", "description": "Route to this service instead of the key's own"],
                "urgency": ["type": "string", "enum": ["high", "low"], "description": "high pages; low only records and notifies quietly"],
                "suppress": ["type": "boolean", "description": "Record the alert, page nobody"],
                "note": ["type": "string", "maxLength": .number(Double(RoutingActions.maximumNoteLength)), "description": "Added to the alert's timeline"],
            ],
        ],
        "RoutingFacts": [
            "type": "object", "required": ["severity", "title"], "additionalProperties": false,
            "description": "What routing rules look at, as the Sentinel and Azure Monitor parsers produce it",
            "properties": [
                "severity": ["type": "string"], "title": ["type": "string"], "description": ["type": "string"],
                "workspace": ["type": "string"], "customer": ["type": "string"],
                "tactics": ["type": "array", "items": ["type": "string"]], "techniques": ["type": "array", "items": ["type": "string"]],
                "productNames": ["type": "array", "items": ["type": "string"]], "labels": ["type": "array", "items": ["type": "string"]],
                "entities": ["type": "array", "items": [
                    "type": "object", "required": ["kind", "value"], "additionalProperties": false,
                    "properties": ["kind": ["type": "string"], "value": ["type": "string"]],
                ]],
            ],
        ],
    ]
}
