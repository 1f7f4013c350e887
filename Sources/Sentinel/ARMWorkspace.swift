/// One Sentinel workspace as ARM addresses it.
public struct ARMWorkspace: Sendable, Hashable {
    /// e.g. `https://management.azure.com`, `https://management.usgovcloudapi.net`, or a loopback fake.
    public var armURL: String
    public var subscriptionId: String
    public var resourceGroup: String
    public var workspaceName: String

    public init(armURL: String = "https://management.azure.com", subscriptionId: String, resourceGroup: String, workspaceName: String) {
        self.armURL = armURL
        self.subscriptionId = subscriptionId
        self.resourceGroup = resourceGroup
        self.workspaceName = workspaceName
    }

    /// `…/providers/Microsoft.SecurityInsights/incidents`, absolute, without a query.
    public var incidentsURL: String {
        "\(ClientCredentials.trimmed(armURL))/subscriptions/\(Self.segment(subscriptionId))/resourceGroups/\(Self.segment(resourceGroup))"
            + "/providers/Microsoft.OperationalInsights/workspaces/\(Self.segment(workspaceName))/providers/Microsoft.SecurityInsights/incidents"
    }

    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~()")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

import Foundation
