import HTTPServer

/// Watchkeeper's plain body: `{"summary", "details", "dedup_key", "action", "urgency"}`; `action`
/// defaults to trigger. Unlike the PagerDuty body it is ours, so unknown members are refused.
enum GenericEventParser {
    static let members = ["action", "dedup_key", "details", "summary", "urgency"]

    static func parse(_ body: JSONValue) throws -> AlertEvent {
        guard case .object(let object) = body else { throw HTTPError(.badRequest, detail: "the body must be a JSON object") }
        var reader = EventFieldReader()
        for member in object.keys.sorted() where !members.contains(member) {
            reader.fail(member, "unknown field; the known ones are \(members.joined(separator: ", "))")
        }
        let actionText = reader.choice(object, "action", field: "action", allowed: AlertEvent.Action.allCases.map(\.rawValue))
        // An unreadable action leaves nothing to check the rest against.
        if actionText == nil, object["action"] != nil { try reader.finish() }
        let action = actionText.flatMap(AlertEvent.Action.init(rawValue:)) ?? .trigger
        var event = AlertEvent(action: action, dedupKey: reader.dedupKey(object, field: "dedup_key", action: action))
        if action == .trigger {
            event.summary = reader.string(object, "summary", field: "summary", required: true, maximum: EventFieldReader.maximumSummaryLength) ?? ""
            event.details = object["details"] ?? .null
            event.urgency = reader.choice(object, "urgency", field: "urgency", allowed: AlertUrgency.allCases.map(\.rawValue)).flatMap(AlertUrgency.init(rawValue:))
        }
        try reader.finish()
        return event
    }
}
