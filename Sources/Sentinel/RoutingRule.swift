import Foundation

/// One routing rule of an integration key: when all `conditions` hold, `actions` decide.
public struct RoutingRule: Sendable, Equatable, Codable {
    /// Assigned by the server when a new rule arrives without one (empty here).
    public var id: String
    public var name: String
    public var conditions: RoutingConditions
    public var actions: RoutingActions

    public static let maximumNameLength = 200

    public init(id: String, name: String, conditions: RoutingConditions = RoutingConditions(), actions: RoutingActions = RoutingActions()) {
        self.id = id
        self.name = name
        self.conditions = conditions
        self.actions = actions
    }

    private enum CodingKeys: String, CodingKey { case id, name, conditions, actions }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        name = try container.decode(String.self, forKey: .name)
        conditions = try container.decodeIfPresent(RoutingConditions.self, forKey: .conditions) ?? RoutingConditions()
        actions = try container.decodeIfPresent(RoutingActions.self, forKey: .actions) ?? RoutingActions()
    }

    /// Problems that forbid saving, with paths relative to the rule. Whether the service and
    /// schedule ids exist is the store's check.
    public func validate() -> [RoutingFieldError] {
        var errors: [RoutingFieldError] = []
        if id.count > 64 || id.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            errors.append(.init(field: "id", detail: "must be at most 64 letters, digits, _ or -"))
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed.count > Self.maximumNameLength {
            errors.append(.init(field: "name", detail: "must be 1 to \(Self.maximumNameLength) characters"))
        }
        return errors + conditions.validate() + actions.validate()
    }
}
