import COpenSSL

/// Owns one EVP_PKEY and frees it on deinit.
///
/// `@unchecked Sendable` because the key is never mutated after loading, and OpenSSL 3 allows
/// one EVP_PKEY to be used for signing and verifying from many threads at once: each operation
/// gets its own EVP_MD_CTX, and the shared key is only read.
final class PKeyHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Parses a PEM private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`).
    /// Encrypted keys are refused rather than prompting for a passphrase on the terminal.
    static func privateKey(pem: String) throws -> PKeyHandle {
        try read(pem: pem, what: "private key") { bio in
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
    }

    /// Parses a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    static func publicKey(pem: String) throws -> PKeyHandle {
        try read(pem: pem, what: "public key") { bio in
            PEM_read_bio_PUBKEY(bio, nil, { _, _, _, _ in 0 }, nil)
        }
    }

    private static func read(
        pem: String, what: String, _ reader: (OpaquePointer) -> OpaquePointer?
    ) throws -> PKeyHandle {
        let bytes = Array(pem.utf8)
        guard !bytes.isEmpty, bytes.count <= Int(Int32.max) else {
            throw CryptoError.invalidKey(reason: "empty or oversized PEM \(what)")
        }
        let key: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return reader(bio)
        }
        guard let key else {
            let underlying = CryptoError.openSSL("reading PEM \(what)")
            throw CryptoError.invalidKey(reason: "not a readable unencrypted PEM \(what) (\(underlying))")
        }
        let handle = PKeyHandle(pointer: key)
        try handle.requireRSA(minimumBits: 2048)
        return handle
    }

    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    private func requireRSA(minimumBits: Int) throws {
        guard EVP_PKEY_get_base_id(pointer) == EVP_PKEY_RSA else {
            throw CryptoError.invalidKey(reason: "not an RSA key")
        }
        guard bits >= minimumBits else {
            throw CryptoError.invalidKey(reason: "RSA key of \(bits) bits is shorter than \(minimumBits)")
        }
    }
}
