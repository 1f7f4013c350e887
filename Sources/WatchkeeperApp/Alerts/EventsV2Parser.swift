import HTTPServer

/// The PagerDuty Events API v2 body. `routing_key` is ignored (the URL's key names the service);
/// members PagerDuty documents but Watchkeeper does not use (`images`, `client`, `payload.timestamp`
/// …) and unknown ones are accepted and dropped, so any sender built for PagerDuty works unchanged.
enum EventsV2Parser {
    static let severities = ["critical", "error", "warning", "info"]

    static func parse(_ body: JSONValue) throws -> AlertEvent {
        guard case .object(let object) = body else { throw HTTPError(.badRequest, detail: "the body must be a JSON object (a PagerDuty Events API v2 event)") }
        var reader = EventFieldReader()
        let actionText = reader.choice(object, "event_action", field: "event_action", allowed: AlertEvent.Action.allCases.map(\.rawValue), required: true)
        // Without a valid action there is nothing to check the rest against.
        guard let action = actionText.flatMap(AlertEvent.Action.init(rawValue:)) else {
            try reader.finish()
            throw HTTPError.invalid("event_action", "is required")
        }
        var event = AlertEvent(action: action, dedupKey: reader.dedupKey(object, field: "dedup_key", action: action))
        if action == .trigger {
            switch object["payload"] {
            case .object(let payload)?:
                event.summary = reader.string(payload, "summary", field: "payload.summary", required: true, maximum: EventFieldReader.maximumSummaryLength) ?? ""
                event.severity = reader.choice(payload, "severity", field: "payload.severity", allowed: severities)
                event.source = reader.string(payload, "source", field: "payload.source")
                event.details = payload["custom_details"] ?? .null
            case nil, .null?:
                reader.fail("payload.summary", "is required (in payload) for a trigger")
            default:
                reader.fail("payload", "must be an object")
            }
            event.links = reader.links(object["links"], field: "links")
        }
        try reader.finish()
        return event
    }
}
