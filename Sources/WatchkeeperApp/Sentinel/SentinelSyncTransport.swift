import Foundation

/// The Sentinel calls of one connection (its workspace, with its tenant's token). Blocking: only
/// the sync and poll steps' sender threads call it, never the scheduler thread or a write job.
protocol SentinelSyncTransport: Sendable {
    /// The connection's Entra tenant, where owners' object ids are looked up.
    var tenantId: String { get }
    func getIncident(armId: String) -> SentinelSyncOutcome<SentinelSyncIncident>
    /// Full-replace PUT of the writable `properties` with `etag`.
    func putIncident(armId: String, etag: String, properties: [String: JSONValue]) -> SentinelSyncOutcome<SentinelSyncIncident>
    /// PUT of a comment with our id (a repeat with the same id updates, never adds).
    func putComment(incidentArmId: String, commentId: String, message: String) -> SentinelSyncOutcome<Void>
    /// Incidents modified at or after `since`, following every nextLink.
    func listIncidents(modifiedSince since: Date) -> SentinelSyncOutcome<[SentinelSyncIncident]>
}

/// The connections the poller polls and the write-back writes through.
protocol SentinelSyncConnections: Sendable {
    func connectionIds() throws -> [String]
    func transport(forConnection id: String) throws -> (any SentinelSyncTransport)?
}
