import Foundation

/// A Microsoft Sentinel connection as the API shows it: which workspace, in which tenant, through
/// which service principal. The client secret is never part of it (only whether one is stored).
public struct SentinelConnection: Sendable, Equatable, Encodable {
    public var id: String
    public var customer: String
    public var tenantId: String
    public var clientId: String
    public var subscriptionId: String
    public var resourceGroup: String
    public var workspaceName: String
    /// The Log Analytics workspace (customer) id, as the playbook's `workspaceId` carries it.
    public var workspaceId: String
    public var authorityURL: String
    public var armURL: String
    /// The integration key (service, routing rules) new incidents seen by the poller go through;
    /// nil: the poller records them without an alert (the playbook's webhook creates alerts).
    public var integrationKeyId: String?
    public var createdAt: Date
    public var updatedAt: Date
}
