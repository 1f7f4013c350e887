import Cryptography
import Foundation

/// The `Authorization: Bearer` JWT on Vonage voice webhooks: HS256 with the account's signature
/// secret, `iat` (and `exp` when present) checked against our clock, and `payload_hash`, the
/// SHA-256 of the body, required for any request with a body so a token cannot carry another body.
struct VonageWebhookJWT: Sendable {
    var secret: String
    var apiKey: String
    var applicationId: String?
    var maximumAge: TimeInterval

    /// Why the request must be refused, or nil when its token is valid for this body.
    func rejection(authorization: String?, body: [UInt8], now: Date) -> String? {
        guard let authorization, authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else {
            return "the request carries no bearer token"
        }
        let token = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let claimsBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]) else {
            return "the bearer token is not a JWT"
        }
        // The algorithm is ours to choose, never the token's: only HS256 is accepted.
        guard let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
              header["alg"] as? String == "HS256" else {
            return "the token is not HS256"
        }
        let expected = HMAC.sha256(key: Array(secret.utf8), message: Array("\(parts[0]).\(parts[1])".utf8))
        guard constantTimeEquals(expected, signature) else { return "the token's signature does not match" }
        guard let claims = try? JSONSerialization.jsonObject(with: Data(claimsBytes)) as? [String: Any] else {
            return "the token's claims are not a JSON object"
        }
        let seconds = now.timeIntervalSince1970
        guard let issuedAt = (claims["iat"] as? NSNumber)?.doubleValue else { return "the token has no iat" }
        guard abs(seconds - issuedAt) <= maximumAge else { return "the token is stale" }
        if let expiry = claims["exp"] {
            guard let expiry = (expiry as? NSNumber)?.doubleValue, seconds < expiry else { return "the token has expired" }
        }
        if let key = claims["api_key"], key as? String != apiKey { return "the token is for another account" }
        if let application = claims["application_id"], let applicationId, application as? String != applicationId {
            return "the token is for another application"
        }
        if let hash = claims["payload_hash"] {
            guard let hash = hash as? String, let presented = Hex.decode(hash), constantTimeEquals(presented, Digest.sha256(body)) else {
                return "the body does not match the token's payload_hash"
            }
        } else if !body.isEmpty {
            return "the token does not cover the body (no payload_hash)"
        }
        return nil
    }
}
