/// A link the source sent with an event (a dashboard, a runbook).
struct AlertLink: Codable, Sendable, Equatable {
    var href: String
    var text: String?
}
