/// What the first matching routing rule decided for an incoming incident. With no rule matching,
/// the integration key's own service and the service's urgency apply (`RoutingDecision.default`).
public struct RoutingDecision: Sendable, Equatable {
    public enum Urgency: String, Sendable, Equatable, Codable, CaseIterable {
        /// Pages through the escalation policy.
        case high
        /// Records the alert and notifies quietly; nobody is paged.
        case low
    }

    /// The matching rule's id and position; nil when no rule matched.
    public var ruleId: String?
    public var rulePosition: Int?
    /// Route to this service instead of the integration key's own.
    public var serviceId: String?
    public var urgency: Urgency?
    /// Record the alert, notify and page nobody.
    public var suppress: Bool
    /// Added to the alert's timeline as a note.
    public var note: String?
    /// Why, one line per condition checked, for the test endpoint and the timeline.
    public var explanation: [String]

    public init(ruleId: String? = nil, rulePosition: Int? = nil, serviceId: String? = nil, urgency: Urgency? = nil, suppress: Bool = false,
                note: String? = nil, explanation: [String] = []) {
        self.ruleId = ruleId
        self.rulePosition = rulePosition
        self.serviceId = serviceId
        self.urgency = urgency
        self.suppress = suppress
        self.note = note
        self.explanation = explanation
    }

    public static let `default` = RoutingDecision(explanation: ["no rule matched"])
}
