/// A user's Entra ID (Azure AD) account in one Sentinel tenant, used to make them the owner of
/// Sentinel incidents there.
struct UserIdentity: Codable, Sendable, Hashable {
    var tenantId: String
    var objectId: String
    /// User principal name (`ana@contoso.com`), when known.
    var upn: String?
}
