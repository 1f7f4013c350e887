/// A service principal in one tenant, and the clouds it talks to. The secret is only ever held in
/// memory (unsealed for the call); `description` never shows it.
public struct ClientCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// e.g. `https://login.microsoftonline.com` (no trailing slash needed).
    public var authorityURL: String
    public var tenantId: String
    public var clientId: String
    public var clientSecret: String
    /// The ARM base URL; the token's scope is `{armURL}/.default`, so sovereign clouds get tokens for their ARM.
    public var armURL: String

    public init(authorityURL: String = "https://login.microsoftonline.com", tenantId: String, clientId: String, clientSecret: String,
                armURL: String = "https://management.azure.com") {
        self.authorityURL = authorityURL
        self.tenantId = tenantId
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.armURL = armURL
    }

    public var tokenURL: String { "\(Self.trimmed(authorityURL))/\(tenantId)/oauth2/v2.0/token" }
    public var scope: String { "\(Self.trimmed(armURL))/.default" }

    public var description: String { "client \(clientId) in tenant \(tenantId) at \(authorityURL)" }
    public var debugDescription: String { description }
    /// `dump` shows no fields, so the secret never reaches a log that way either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
