/// OpenAPI schemas shared by the user, rotation and schedule resources: the nested shapes of
/// the Scheduling models and the members every resource has. Nested objects are closed
/// (`additionalProperties: false`) so `SchemaFieldCheck` refuses unknown members at any depth.
enum ScheduleSchemas {
    static let timeZone: JSONValue = ["type": "string", "description": "IANA time zone, such as Europe/Oslo"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time", "description": "RFC 3339 instant; answered in UTC"]
    static let localTime: JSONValue = ["type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$", "description": "Local wall-clock time HH:MM"]
    static let name: JSONValue = ["type": "string", "minLength": 1, "maxLength": .number(Double(TextRules.maximumNameLength))]

    static func id(_ prefix: String) -> JSONValue {
        ["type": "string", "pattern": .string("^\(prefix)"), "description": .string("Assigned by the server: \(prefix) and 16 base64url characters")]
    }

    /// The server-set members of every resource.
    static func metadata(idPrefix: String) -> [String: JSONValue] {
        ["id": id(idPrefix), "createdAt": dateTime, "updatedAt": dateTime]
    }

    static let nested: [String: JSONValue] = [
        "UserIdentity": [
            "type": "object", "additionalProperties": false, "required": ["tenantId", "objectId"],
            "description": "The user's Entra ID (Azure AD) account in one Sentinel tenant; at most one per tenant",
            "properties": [
                "tenantId": ["type": "string", "format": "uuid", "description": "Directory (tenant) id"],
                "objectId": ["type": "string", "format": "uuid", "description": "The user's object id in that tenant"],
                "upn": ["type": ["string", "null"], "description": "User principal name, such as ana@contoso.com"],
            ],
        ],
        "ShiftLength": [
            "type": "object", "additionalProperties": false, "required": ["count", "unit"],
            "properties": [
                "count": ["type": "integer", "minimum": 1, "maximum": 10000],
                "unit": ["type": "string", "enum": ["hours", "days", "weeks", "months"],
                         "description": "hours count elapsed time; days, weeks and months hand off at the anchor's local time"],
            ],
        ],
        "RotationAnchor": [
            "type": "object", "additionalProperties": false, "required": ["start", "participantIndex"],
            "description": "One known handoff: at start (local time in the rotation's zone) participants[participantIndex] begins a shift",
            "properties": [
                "start": ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$", "description": "Local date and time YYYY-MM-DDTHH:MM"],
                "participantIndex": ["type": "integer", "minimum": 0],
            ],
        ],
        "RuleTarget": [
            "type": "object", "additionalProperties": false, "required": ["kind", "id"],
            "properties": [
                "kind": ["type": "string", "enum": ["user", "rotation"]],
                "id": ["type": "string", "description": "A user id or a rotation id, as kind says"],
            ],
        ],
        "WeeklyWindow": [
            "type": "object", "additionalProperties": false, "required": ["days", "start", "end"],
            "description": "On each of days, from start to end local time; an end before start crosses midnight and belongs to the start day; end may be 24:00",
            "properties": [
                "days": ["type": "array", "minItems": 1,
                         "items": ["type": "string", "enum": ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]]],
                "start": localTime,
                "end": localTime,
            ],
        ],
        "TemporaryShift": [
            "type": "object", "additionalProperties": false, "required": ["start", "end", "userId"],
            "properties": ["start": dateTime, "end": dateTime, "userId": ["type": "string"]],
        ],
    ]
}
