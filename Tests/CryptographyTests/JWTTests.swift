import Foundation
import Testing
@testable import Cryptography

@Suite struct JWTTests {
    /// The claims Vonage expects in an application JWT.
    struct VonageClaims: Encodable {
        let applicationID: String
        let issuedAt: Int
        let expiresAt: Int
        let jwtID: String

        enum CodingKeys: String, CodingKey {
            case applicationID = "application_id"
            case issuedAt = "iat"
            case expiresAt = "exp"
            case jwtID = "jti"
        }
    }

    private static func jsonObject(_ base64url: Substring) throws -> [String: Any] {
        let bytes = try #require(Base64URL.decode(base64url))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func signsAVonageApplicationJWTThatOpenSSLVerifies() throws {
        let cli = try OpenSSLCLI()
        let key = try RSAPrivateKey(pem: try cli.generateRSAKey())
        _ = try cli.exportPublicKey()
        let claims = VonageClaims(applicationID: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
                                  issuedAt: 1_773_134_200, expiresAt: 1_773_135_100, jwtID: "7c1a1f9e-2d3b-4f5a")

        let token = try JWT.signRS256(claims: claims, key: key)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)

        let header = try Self.jsonObject(parts[0])
        #expect(header.count == 2)
        #expect(header["alg"] as? String == "RS256")
        #expect(header["typ"] as? String == "JWT")

        let payload = try Self.jsonObject(parts[1])
        #expect(payload["application_id"] as? String == claims.applicationID)
        #expect(payload["iat"] as? Int == claims.issuedAt)
        #expect(payload["exp"] as? Int == claims.expiresAt)
        #expect(payload["jti"] as? String == claims.jwtID)
        #expect(payload.count == 4)

        let signingInput = Array("\(parts[0]).\(parts[1])".utf8)
        let signature = try #require(Base64URL.decode(parts[2]))
        #expect(key.publicKey.verifyRS256(signature: signature, message: signingInput))
        #expect(try cli.verifyRS256(signature: signature, message: signingInput))
    }

    @Test func signsRawJSONClaims() throws {
        let cli = try OpenSSLCLI()
        let key = try RSAPrivateKey(pem: try cli.generateRSAKey())
        let json = Array(#"{"application_id":"app","iat":1,"exp":2,"jti":"x"}"#.utf8)
        let token = try JWT.signRS256(claimsJSON: json, key: key)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        #expect(parts[0] == "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9")
        #expect(Base64URL.decode(parts[1]) == json)
        let signature = try #require(Base64URL.decode(parts[2]))
        #expect(key.publicKey.verifyRS256(signature: signature, message: Array("\(parts[0]).\(parts[1])".utf8)))
    }

    @Test func rejectsClaimsThatAreNotAJSONObject() throws {
        let cli = try OpenSSLCLI()
        let key = try RSAPrivateKey(pem: try cli.generateRSAKey())
        for json in [#"["a"]"#, "42", "", #"{"unterminated": "#] {
            #expect(throws: CryptoError.invalidClaims(reason: "claims must be a JSON object")) {
                try JWT.signRS256(claimsJSON: Array(json.utf8), key: key)
            }
        }
        #expect(throws: CryptoError.self) { try JWT.signRS256(claims: ["a", "b"], key: key) }
    }
}
