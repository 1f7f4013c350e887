import COpenSSL

/// An RSA public key (at least 2048 bits) for verifying RS256 signatures.
public struct RSAPublicKey: Sendable, CustomStringConvertible {
    let handle: PKeyHandle

    /// From a PEM `PUBLIC KEY` (SubjectPublicKeyInfo, what `openssl pkey -pubout` writes).
    public init(pem: String) throws {
        handle = try PKeyHandle.publicKey(pem: pem)
    }

    init(handle: PKeyHandle) {
        self.handle = handle
    }

    /// True only for a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `message` by this key.
    public func verifyRS256(signature: some Collection<UInt8>, message: some Collection<UInt8>) -> Bool {
        guard let context = EVP_MD_CTX_new() else {
            ERR_clear_error()
            return false
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, handle.pointer) == 1 else {
            ERR_clear_error()
            return false
        }
        let status = signature.withNonNullBytes { signaturePointer, signatureCount in
            message.withNonNullBytes { messagePointer, messageCount in
                EVP_DigestVerify(context, signaturePointer, signatureCount, messagePointer, messageCount)
            }
        }
        // A bad signature leaves an error on this thread's queue; don't let it leak into later calls.
        ERR_clear_error()
        return status == 1
    }

    public var description: String { "RSAPublicKey(\(handle.bits) bits)" }
}
