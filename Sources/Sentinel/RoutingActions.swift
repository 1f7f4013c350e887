import Foundation

/// What a matching rule does; a rule may combine them (route to a service at low urgency with
/// a note). Absent members leave the integration key's defaults.
public struct RoutingActions: Sendable, Equatable, Codable {
    /// Route to this service instead of the integration key's own.
    public var serviceId: String?
    /// `high` pages; `low` only records and notifies quietly.
    public var urgency: RoutingDecision.Urgency?
    /// Record the alert, notify and page nobody.
    public var suppress: Bool?
    /// Added to the alert's timeline.
    public var note: String?

    public static let maximumNoteLength = 2_000

    public init(serviceId: String? = nil, urgency: RoutingDecision.Urgency? = nil, suppress: Bool? = nil, note: String? = nil) {
        self.serviceId = serviceId
        self.urgency = urgency
        self.suppress = suppress
        self.note = note
    }

    func validate() -> [RoutingFieldError] {
        var errors: [RoutingFieldError] = []
        if let serviceId, serviceId.isEmpty { errors.append(.init(field: "actions.serviceId", detail: "must not be empty")) }
        if let note, note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || note.count > Self.maximumNoteLength {
            errors.append(.init(field: "actions.note", detail: "must be 1 to \(Self.maximumNoteLength) characters"))
        }
        return errors
    }
}
