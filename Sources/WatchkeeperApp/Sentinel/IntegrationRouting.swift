import Foundation
import Sentinel
import Storage

/// Routing rules of an integration key, evaluated for an incoming Sentinel incident or Azure
/// Monitor alert inside the ingest's write job.
enum IntegrationRouting {
    /// The decision of the first matching rule of integration key `integrationKeyId`, or
    /// `RoutingDecision.default` when none matches (or the key has no rules).
    static func decide(integrationKeyId: String, facts: IncidentFacts, at now: Date, db: Connection) throws -> RoutingDecision {
        // Rules arrive with the routing-rules work (migration 0011); until then no key has any.
        .default
    }
}
