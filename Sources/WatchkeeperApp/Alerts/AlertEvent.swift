/// One ingested event, whatever body format it came in.
struct AlertEvent: Sendable, Equatable {
    enum Action: String, Sendable, CaseIterable {
        case trigger
        case acknowledge
        case resolve
    }

    var action: Action
    /// nil on a trigger means "generate one"; acknowledge and resolve always carry one.
    var dedupKey: String?
    /// Set on triggers.
    var summary: String = ""
    var details: JSONValue = .null
    var links: [AlertLink] = []
    var source: String?
    var severity: String?
    /// nil: the service's default urgency.
    var urgency: AlertUrgency?
}
