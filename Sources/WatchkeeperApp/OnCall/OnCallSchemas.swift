/// The OpenAPI schemas of `OnCallAPI`, registered once with the routes.
enum OnCallSchemas {
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let badRequest = OpenAPIOperation.Response("Invalid parameter; `errors` names it", schema: .ref("Problem"), contentType: "application/problem+json")
    static let notFound = OpenAPIOperation.Response("No such resource", schema: .ref("Problem"), contentType: "application/problem+json")

    static func register(on api: APIRouteBuilder) {
        api.addSchema("OnCallReason", [
            "type": "object", "required": ["kind"],
            "description": "Why a user is on call; fields that do not apply to `kind` are absent.",
            "properties": [
                "kind": ["type": "string", "enum": ["rule", "override", "temporarySchedule"]],
                "ruleId": ["type": "string"], "rotationId": ["type": "string"],
                "participantIndex": ["type": "integer", "description": "Index into the rotation's participants"],
                "overrideId": ["type": "string"],
                "overrideAction": ["type": "string", "enum": ["add", "remove", "replace"]],
                "replacedUserId": ["type": "string"], "temporaryScheduleId": ["type": "string"],
            ],
        ])
        let reasons: JSONValue = ["type": "array", "items": .ref("OnCallReason")]
        let interval: JSONValue = ["type": "object", "required": ["start", "end"], "properties": ["start": dateTime, "end": dateTime]]
        api.addSchema("ScheduleOnCall", [
            "type": "object", "required": ["scheduleId", "scheduleName", "timeZone", "at", "onCall"],
            "properties": [
                "scheduleId": ["type": "string"], "scheduleName": ["type": "string"], "timeZone": ["type": "string"], "at": dateTime,
                "onCall": ["type": "array", "items": [
                    "type": "object", "required": ["userId", "reasons"],
                    "properties": ["userId": ["type": "string"], "userName": ["type": "string"], "reasons": reasons],
                ]],
            ],
        ])
        api.addSchema("ScheduleShifts", [
            "type": "object", "required": ["scheduleId", "scheduleName", "timeZone", "from", "to", "shifts", "gaps"],
            "description": "Per-user merged shifts and the gaps; together they cover [from, to).",
            "properties": [
                "scheduleId": ["type": "string"], "scheduleName": ["type": "string"], "timeZone": ["type": "string"],
                "from": dateTime, "to": dateTime,
                "shifts": ["type": "array", "items": [
                    "type": "object", "required": ["userId", "start", "end", "reasons"],
                    "properties": ["userId": ["type": "string"], "userName": ["type": "string"], "start": dateTime, "end": dateTime, "reasons": reasons],
                ]],
                "gaps": ["type": "array", "items": interval],
            ],
        ])
        api.addSchema("RotationTurn", [
            "type": "object", "required": ["userId", "participantIndex", "start", "end"],
            "properties": ["userId": ["type": "string"], "userName": ["type": "string"], "participantIndex": ["type": "integer"], "start": dateTime, "end": dateTime],
        ])
        api.addSchema("RotationOnCall", [
            "type": "object", "required": ["rotationId", "rotationName", "timeZone", "at", "onCall"],
            "properties": [
                "rotationId": ["type": "string"], "rotationName": ["type": "string"], "timeZone": ["type": "string"], "at": dateTime,
                "onCall": ["type": "array", "items": .ref("RotationTurn"), "description": "The whole shift (handoff to handoff) containing `at`"],
            ],
        ])
        api.addSchema("RotationShifts", [
            "type": "object", "required": ["rotationId", "rotationName", "timeZone", "from", "to", "shifts"],
            "properties": [
                "rotationId": ["type": "string"], "rotationName": ["type": "string"], "timeZone": ["type": "string"],
                "from": dateTime, "to": dateTime, "shifts": ["type": "array", "items": .ref("RotationTurn")],
            ],
        ])
        api.addSchema("UserShifts", [
            "type": "object", "required": ["userId", "userName", "from", "to", "shifts"],
            "properties": [
                "userId": ["type": "string"], "userName": ["type": "string"], "from": dateTime, "to": dateTime,
                "shifts": ["type": "array", "items": [
                    "type": "object", "required": ["scheduleId", "scheduleName", "start", "end", "reasons"],
                    "properties": ["scheduleId": ["type": "string"], "scheduleName": ["type": "string"], "start": dateTime, "end": dateTime, "reasons": reasons],
                ]],
            ],
        ])
        api.addSchema("OnCallHistory", [
            "type": "object", "required": ["scheduleId", "from", "to", "intervals"],
            "properties": [
                "scheduleId": ["type": "string"], "from": dateTime, "to": dateTime,
                "intervals": ["type": "array", "items": [
                    "type": "object", "required": ["userId", "start", "end"],
                    "properties": [
                        "userId": ["type": "string"], "userName": ["type": "string"], "start": dateTime,
                        "end": ["type": ["string", "null"], "format": "date-time", "description": "null while the user is still on call"],
                    ],
                ]],
            ],
        ])
        api.addSchema("CalendarFeedToken", [
            "type": "object", "required": ["url", "createdAt"],
            "properties": [
                "url": ["type": "string", "format": "uri", "description": "The feed URL including its secret token; shown only once"],
                "createdAt": dateTime,
            ],
        ])
    }
}
