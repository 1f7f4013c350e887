import Gateways
/// OpenAPI component schemas of the outbox and the console provider's inbox.
enum OutboxSchemas {
    static let all: [String: JSONValue] = [
        "OutboxMessage": [
            "type": "object",
            "required": ["id", "alertId", "userId", "contactMethodId", "kind", "subject", "body", "state", "attempts", "nextAttemptAt", "bundleId",
                         "provider", "providerMessageId", "lastError", "createdAt", "sentAt"],
            "properties": [
                "id": ["type": "string", "pattern": "^msg_"],
                "alertId": ["type": ["string", "null"], "description": "The alert paged or updated; null for verifications, tests and shift notices"],
                "userId": ["type": "string"],
                "contactMethodId": ["type": "string"],
                "kind": ["type": "string", "enum": .array(MessageKind.allCases.map { .string($0.rawValue) })],
                "subject": ["type": "string"],
                "body": ["type": "string", "description": "The text without ack links; a sent verification's code is replaced by \"(verification code sent)\""],
                "state": ["type": "string", "enum": ["queued", "sending", "sent", "delivered", "failed", "cancelled", "bundled"],
                          "description": "bundled: folded into the message bundleId names, which was sent in its place"],
                "attempts": ["type": "integer", "description": "Times handed to a provider"],
                "nextAttemptAt": AlertSchemas.nullableDateTime,
                "bundleId": ["type": ["string", "null"]],
                "provider": AlertSchemas.nullableString,
                "providerMessageId": AlertSchemas.nullableString,
                "lastError": ["type": ["string", "null"], "description": "Why the last attempt failed, or why the message was cancelled"],
                "createdAt": AlertSchemas.dateTime,
                "sentAt": AlertSchemas.nullableDateTime,
            ],
        ],
        "OutboxMessagePage": ["type": "object", "required": ["items", "nextCursor"], "properties": [
            "items": ["type": "array", "items": .ref("OutboxMessage")],
            "nextCursor": ["type": ["string", "null"], "description": "Pass as ?cursor= (with the same filters) for the next page; null on the last page"],
        ]],
        "ConsoleMessage": [
            "type": "object",
            "required": ["id", "messageId", "userId", "contactMethodId", "type", "address", "kind", "alertIds", "subject", "text", "at"],
            "properties": [
                "id": ["type": "integer", "description": "Increases with delivery; pass the last one seen as ?after="],
                "messageId": ["type": "string", "pattern": "^msg_"],
                "userId": ["type": "string"],
                "contactMethodId": ["type": "string"],
                "type": ["type": "string", "enum": .array(ContactMethodType.allCases.map { .string($0.rawValue) })],
                "address": ["type": "string"],
                "kind": ["type": "string", "enum": .array(MessageKind.allCases.map { .string($0.rawValue) })],
                "alertIds": ["type": "array", "items": ["type": "string"], "description": "Several for a bundle"],
                "subject": ["type": "string"],
                "text": ["type": "string", "description": "As delivered: ack links and verification codes included"],
                "at": AlertSchemas.dateTime,
            ],
        ],
        "ConsoleMessagePage": ["type": "object", "required": ["items", "nextCursor"], "properties": [
            "items": ["type": "array", "items": .ref("ConsoleMessage")],
            "nextCursor": ["type": ["string", "null"], "description": "The last id of this page when more follow (pass as ?after=); null on the last page"],
        ]],
    ]
}
