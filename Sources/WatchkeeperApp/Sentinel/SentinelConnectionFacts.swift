import Foundation
import Storage

/// What the apply function needs of a connection: its id, customer name, tenant and default
/// integration key. Read inside the caller's job.
struct SentinelConnectionFacts: Sendable, Equatable {
    var id: String
    var customer: String?
    var tenantId: String?
    /// The key whose service and routing rules new incidents seen by the poller go through; nil:
    /// the poller records them without an alert.
    var integrationKeyId: String?

    /// The stored connection `id`; a bare one (only the id and `tenantId`) when it is not stored
    /// (the poller's tests give workspaces without a connection row).
    static func load(id: String, tenantId: String?, db: Connection) throws -> SentinelConnectionFacts {
        guard let row = try db.queryOne("SELECT customer, tenant_id, integration_key_id FROM connections WHERE id = ?", [.text(id)]) else {
            return SentinelConnectionFacts(id: id, tenantId: tenantId)
        }
        return SentinelConnectionFacts(id: id, customer: try row.get("customer"), tenantId: try row.get("tenant_id"),
                                       integrationKeyId: try row.get("integration_key_id"))
    }

    /// The connection serving the workspace a webhook incident names (subscription, resource group
    /// and workspace name, compared case-insensitively), or, failing that, its workspace id.
    static func matching(subscriptionId: String?, resourceGroup: String?, workspaceName: String?, workspaceId: String?,
                         db: Connection) throws -> SentinelConnectionFacts? {
        var row: Row?
        if let subscriptionId, let resourceGroup, let workspaceName {
            row = try db.queryOne("""
                SELECT id, customer, tenant_id, integration_key_id FROM connections
                WHERE lower(subscription_id) = lower(?) AND lower(resource_group) = lower(?) AND lower(workspace_name) = lower(?)
                """, [.text(subscriptionId), .text(resourceGroup), .text(workspaceName)])
        }
        if row == nil, let workspaceId, !workspaceId.isEmpty {
            row = try db.queryOne("SELECT id, customer, tenant_id, integration_key_id FROM connections WHERE lower(workspace_id) = lower(?) LIMIT 1",
                                  [.text(workspaceId)])
        }
        guard let row else { return nil }
        return SentinelConnectionFacts(id: try row.get("id"), customer: try row.get("customer"), tenantId: try row.get("tenant_id"),
                                       integrationKeyId: try row.get("integration_key_id"))
    }
}
