/// OpenAPI component schemas of alerts, timelines and ingest answers.
enum AlertSchemas {
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let nullableDateTime: JSONValue = ["type": ["string", "null"], "format": "date-time"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]

    static let all: [String: JSONValue] = [
        "AlertLink": ["type": "object", "required": ["href"], "properties": ["href": ["type": "string"], "text": nullableString]],
        "Alert": [
            "type": "object",
            "required": ["id", "serviceId", "summary", "details", "links", "source", "severity", "dedupKey", "urgency", "status", "acknowledgedBy",
                         "acknowledgedVia", "acknowledgedAt", "resolvedBy", "resolvedVia", "resolvedAt", "createdAt", "lastEventAt", "eventCount"],
            "properties": [
                "id": ["type": "string", "pattern": "^alt_", "description": "alt_ and 16 base64url characters"],
                "serviceId": ["type": "string"],
                "summary": ["type": "string", "description": "From the latest trigger event"],
                "details": ["description": "Any JSON the source sent (custom_details or details); null when none"],
                "links": ["type": "array", "items": .ref("AlertLink")],
                "source": nullableString,
                "severity": ["type": ["string", "null"], "enum": ["critical", "error", "warning", "info", .null]],
                "dedupKey": ["type": "string", "description": "The source's id of the problem; generated when the trigger had none"],
                "urgency": ["type": "string", "enum": ["high", "low"]],
                "status": ["type": "string", "enum": ["triggered", "acknowledged", "resolved"]],
                "acknowledgedBy": nullableString, "acknowledgedVia": ["type": ["string", "null"], "description": "api or integration"],
                "acknowledgedAt": nullableDateTime,
                "resolvedBy": nullableString, "resolvedVia": ["type": ["string", "null"], "description": "api or integration"],
                "resolvedAt": nullableDateTime,
                "createdAt": dateTime, "lastEventAt": dateTime,
                "eventCount": ["type": "integer", "description": "Trigger events received: the first and each deduplicated one"],
            ],
        ],
        "AlertPage": ["type": "object", "required": ["items", "nextCursor"], "properties": [
            "items": ["type": "array", "items": .ref("Alert")],
            "nextCursor": ["type": ["string", "null"], "description": "Pass as ?cursor= (with the same filters) for the next page; null on the last page"],
        ]],
        "TimelineEntry": [
            "type": "object", "required": ["id", "at", "kind", "actor", "method", "message"],
            "properties": [
                "id": ["type": "integer", "description": "Increases with time"],
                "at": dateTime,
                "kind": ["type": "string", "enum": .array(TimelineEntry.Kind.allCases.map { .string($0.rawValue) })],
                "actor": ["type": ["string", "null"], "description": "The API key or integration key that acted; null for the server"],
                "method": ["type": ["string", "null"], "description": "api or integration"],
                "message": ["type": "string"],
            ],
        ],
        "TimelinePage": ["type": "object", "required": ["items", "nextCursor"], "properties": [
            "items": ["type": "array", "items": .ref("TimelineEntry")],
            "nextCursor": ["type": ["string", "null"], "description": "Pass as ?cursor= for the next page; null on the last page"],
        ]],
        "IngestResult": [
            "type": "object", "required": ["status", "message", "dedup_key", "alertId"],
            "description": "The PagerDuty Events API v2 answer plus the alert's id",
            "properties": [
                "status": ["type": "string", "enum": ["success"]],
                "message": ["type": "string"],
                "dedup_key": ["type": "string"],
                "alertId": ["type": ["string", "null"], "description": "null when an acknowledge or resolve found no open alert"],
            ],
        ],
    ]
}
