import Foundation

/// A service as the API reads and writes it (without the read-only metadata).
struct Service: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var description: String
    /// The id of a stored escalation policy (checked on every write); nil when none.
    var escalationPolicyId: String?
    /// The urgency of alerts whose event does not set one.
    var urgency: AlertUrgency
    /// Until this instant alerts are recorded but marked suppressed (no paging); nil when none.
    var maintenanceUntil: Date?

    private enum CodingKeys: String, CodingKey { case id, name, description, escalationPolicyId, urgency, maintenanceUntil }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decode(String.self, forKey: .description)
        escalationPolicyId = try container.decodeIfPresent(String.self, forKey: .escalationPolicyId)
        urgency = try container.decode(AlertUrgency.self, forKey: .urgency)
        maintenanceUntil = try container.decodeIfPresent(Date.self, forKey: .maintenanceUntil)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        // Nulls are written, not omitted, so every representation has every member.
        try container.encode(escalationPolicyId, forKey: .escalationPolicyId)
        try container.encode(urgency, forKey: .urgency)
        try container.encode(maintenanceUntil, forKey: .maintenanceUntil)
    }

    func isInMaintenance(at now: Date) -> Bool { maintenanceUntil.map { $0 > now } ?? false }
}
