import COpenSSL

/// An RSA private key (at least 2048 bits) for RS256 signatures, e.g. Vonage application JWTs.
/// `description` shows only the key size.
public struct RSAPrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let handle: PKeyHandle

    /// From an unencrypted PEM `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1).
    public init(pem: String) throws {
        handle = try PKeyHandle.privateKey(pem: pem)
    }

    /// The matching public key.
    public var publicKey: RSAPublicKey { RSAPublicKey(handle: handle) }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`.
    public func signRS256(_ message: some Collection<UInt8>) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        // RSA keys default to PKCS#1 v1.5 padding, which is what RS256 means.
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, handle.pointer) == 1 else {
            throw CryptoError.openSSL("RS256 sign init")
        }
        return try message.withNonNullBytes { pointer, count in
            var length = 0
            guard EVP_DigestSign(context, nil, &length, pointer, count) == 1 else {
                throw CryptoError.openSSL("RS256 signature length")
            }
            var signature = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &signature, &length, pointer, count) == 1 else {
                throw CryptoError.openSSL("RS256 sign")
            }
            return Array(signature.prefix(length))
        }
    }

    public var description: String { "RSAPrivateKey(\(handle.bits) bits, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
