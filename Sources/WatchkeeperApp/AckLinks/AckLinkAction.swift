/// What a button on the ack-link page asks for; the form field `action` carries the raw value.
enum AckLinkAction: String, Sendable, CaseIterable {
    case acknowledge
    case resolve
    case escalate

    /// Past tense, for the message after a successful action.
    var done: String {
        switch self {
        case .acknowledge: "acknowledged"
        case .resolve: "resolved"
        case .escalate: "escalated"
        }
    }

    /// Whether the button is worth showing for an alert in `status` (the server checks again).
    func applies(to status: AlertStatus) -> Bool {
        switch self {
        case .acknowledge: status == .triggered
        case .resolve, .escalate: status != .resolved
        }
    }
}
