import Foundation
import Sentinel

/// A routing rule as the API shows it: the rule's members and when it was created and last saved.
struct StoredRoutingRule: Encodable, Sendable, Equatable {
    var rule: RoutingRule
    var createdAt: Date
    var updatedAt: Date

    private enum CodingKeys: String, CodingKey { case createdAt, updatedAt }

    func encode(to encoder: any Encoder) throws {
        try rule.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
