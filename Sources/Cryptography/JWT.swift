import Foundation

/// Compact JWS tokens signed with RS256 (Vonage application JWTs).
public enum JWT {
    /// `{"alg":"RS256","typ":"JWT"}`, fixed: callers never choose the algorithm.
    static let rs256Header = Array(#"{"alg":"RS256","typ":"JWT"}"#.utf8)

    /// Signs `claims` encoded as a JSON object (keys sorted so tokens are reproducible).
    public static func signRS256(claims: some Encodable, key: RSAPrivateKey) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json: Data
        do {
            json = try encoder.encode(claims)
        } catch {
            throw CryptoError.invalidClaims(reason: "cannot encode claims as JSON: \(error)")
        }
        return try signRS256(claimsJSON: Array(json), key: key)
    }

    /// Signs claims that are already JSON; they must be a single JSON object.
    public static func signRS256(claimsJSON: [UInt8], key: RSAPrivateKey) throws -> String {
        guard (try? JSONSerialization.jsonObject(with: Data(claimsJSON))) is [String: Any] else {
            throw CryptoError.invalidClaims(reason: "claims must be a JSON object")
        }
        let signingInput = Base64URL.encode(rs256Header) + "." + Base64URL.encode(claimsJSON)
        let signature = try key.signRS256(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }
}
