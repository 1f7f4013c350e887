/// The claims of the application JWT (RS256) that authenticates Voice API requests.
struct VonageApplicationClaims: Encodable {
    var applicationId: String
    var issuedAt: Int
    var expiresAt: Int
    /// Unique per token: Vonage refuses a token it has seen.
    var tokenId: String

    enum CodingKeys: String, CodingKey {
        case applicationId = "application_id"
        case issuedAt = "iat"
        case expiresAt = "exp"
        case tokenId = "jti"
    }
}
