import Gateways
/// OpenAPI component schemas of contact methods, verification answers and notification rules.
enum NotificationSchemas {
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let nullableDateTime: JSONValue = ["type": ["string", "null"], "format": "date-time"]
    static let types: JSONValue = .array(ContactMethodType.allCases.map { .string($0.rawValue) })

    static let writableProperties: [String: JSONValue] = [
        "type": ["type": "string", "enum": types],
        "name": ["type": "string", "minLength": 1, "maxLength": .number(Double(TextRules.maximumNameLength)), "description": "The user's label, such as \"Work phone\""],
        "address": ["type": "string", "description": "sms, voice: E.164 (+ and 8–15 digits); email: an e-mail address; webhook: an absolute https URL (http only for loopback hosts)"],
        "statusUpdates": ["type": "boolean", "default": false, "description": "Also send acknowledgements and resolutions of alerts this user was paged for"],
        "shiftNotices": ["type": "boolean", "default": true, "description": "Tell the user when their on-call shift starts"],
        "shiftReminders": ["type": "boolean", "default": false, "description": "Remind the user before their shift starts"],
    ]

    static let all: [String: JSONValue] = [
        "ContactMethod": [
            "type": "object",
            "required": ["id", "userId", "type", "name", "address", "statusUpdates", "shiftNotices", "shiftReminders", "verified", "verifiedAt",
                         "disabled", "createdAt", "updatedAt"],
            "properties": .object(writableProperties.merging([
                "id": ["type": "string", "pattern": "^cm_", "description": "cm_ and 16 base64url characters"],
                "userId": ["type": "string"],
                "verified": ["type": "boolean", "description": "Only verified methods are paged"],
                "verifiedAt": nullableDateTime,
                "disabled": ["type": "boolean", "description": "The recipient opted out (STOP by SMS): not paged until they text START or the address changes"],
                "createdAt": dateTime, "updatedAt": dateTime,
            ]) { $1 }),
        ],
        "ContactMethodWrite": [
            "type": "object", "required": ["type", "name", "address"], "additionalProperties": false,
            "description": "A PUT may also carry the read-only members of a GET answer: id and userId must match the URL, the others are ignored",
            "properties": .object(writableProperties),
        ],
        "ContactMethodList": ["type": "object", "required": ["items"], "properties": ["items": ["type": "array", "items": .ref("ContactMethod")]]],
        "VerificationSent": [
            "type": "object", "required": ["contactMethodId", "messageId", "expiresAt", "resendAt"],
            "properties": [
                "contactMethodId": ["type": "string"],
                "messageId": ["type": "string", "description": "The queued message (msg_…)"],
                "expiresAt": ["type": "string", "format": "date-time", "description": "The code works until then (10 minutes), for 5 attempts"],
                "resendAt": ["type": "string", "format": "date-time", "description": "A new code may be asked for from then on (60 seconds)"],
            ],
        ],
        "TestMessageQueued": [
            "type": "object", "required": ["contactMethodId", "messageId"],
            "properties": ["contactMethodId": ["type": "string"], "messageId": ["type": "string", "description": "The queued message (msg_…)"]],
        ],
        "NotificationRule": [
            "type": "object", "required": ["id", "userId", "contactMethodId", "delaySeconds", "createdAt"],
            "properties": [
                "id": ["type": "string", "pattern": "^nr_"], "userId": ["type": "string"],
                "contactMethodId": ["type": "string", "description": "One of the same user's contact methods"],
                "delaySeconds": ["type": "integer", "minimum": 0, "maximum": .number(Double(NotificationRule.maximumDelay)),
                                 "description": "Seconds after the user is paged"],
                "createdAt": dateTime,
            ],
        ],
        "NotificationRuleList": ["type": "object", "required": ["items"], "properties": ["items": ["type": "array", "items": .ref("NotificationRule")]]],
    ]
}
