import COpenSSL

/// AES-256-GCM authenticated encryption for secrets at rest (e.g. Sentinel client secrets).
///
/// Sealed format: `version (1 byte) ‖ nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)`.
/// The version byte lets a later format coexist with stored data; nonces are random, which is
/// safe for far more messages than one key will ever seal here (NIST SP 800-38D limits random
/// 96-bit nonces to 2^32 messages per key).
public enum AESGCM {
    public static let formatVersion: UInt8 = 1
    public static let nonceByteCount = 12
    public static let tagByteCount = 16
    /// Bytes a sealed value adds to its plaintext.
    public static let overhead = 1 + nonceByteCount + tagByteCount

    /// Encrypts and authenticates `plaintext`, also authenticating (not encrypting)
    /// `associatedData`, which must be passed again to `open` — e.g. the row id the secret belongs
    /// to, so a sealed value cannot be moved to another row.
    public static func seal(_ plaintext: [UInt8], key: AESGCMKey, associatedData: [UInt8] = []) throws -> [UInt8] {
        try seal(plaintext, key: key, nonce: SecureRandom.bytes(nonceByteCount), associatedData: associatedData)
    }

    /// Decrypts a value made by `seal`. Throws `CryptoError.authenticationFailed` if any byte of the
    /// sealed value, the key or the associated data differs.
    public static func open(_ sealed: [UInt8], key: AESGCMKey, associatedData: [UInt8] = []) throws -> [UInt8] {
        guard sealed.count >= overhead else {
            throw CryptoError.malformedSealedData(reason: "\(sealed.count) bytes is shorter than the \(overhead)-byte minimum")
        }
        guard sealed[0] == formatVersion else {
            throw CryptoError.malformedSealedData(reason: "unknown format version \(sealed[0])")
        }
        let nonce = Array(sealed[1 ..< 1 + nonceByteCount])
        let ciphertext = Array(sealed[1 + nonceByteCount ..< sealed.count - tagByteCount])
        let tag = Array(sealed[(sealed.count - tagByteCount)...])
        return try decrypt(ciphertext, tag: tag, key: key, nonce: nonce, associatedData: associatedData)
    }

    /// Seals with a caller-chosen nonce. Internal: reusing a nonce under one key destroys GCM's
    /// security, so only tests (known-answer vectors) may pick it.
    static func seal(_ plaintext: [UInt8], key: AESGCMKey, nonce: [UInt8], associatedData: [UInt8]) throws -> [UInt8] {
        precondition(nonce.count == nonceByteCount, "AES-GCM nonce must be \(nonceByteCount) bytes")
        let context = try CipherContext()
        guard EVP_EncryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, key.bytes, nonce) == 1 else {
            throw CryptoError.openSSL("AES-GCM encrypt init")
        }
        try context.update(associatedData: associatedData)
        var ciphertext = try context.update(plaintext, encrypting: true)
        var finalBytes = [UInt8](repeating: 0, count: 16)
        var finalCount: Int32 = 0
        guard EVP_EncryptFinal_ex(context.pointer, &finalBytes, &finalCount) == 1 else {
            throw CryptoError.openSSL("AES-GCM encrypt final")
        }
        ciphertext += finalBytes.prefix(Int(finalCount))
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw CryptoError.openSSL("AES-GCM get tag")
        }
        return [formatVersion] + nonce + ciphertext + tag
    }

    private static func decrypt(
        _ ciphertext: [UInt8], tag: [UInt8], key: AESGCMKey, nonce: [UInt8], associatedData: [UInt8]
    ) throws -> [UInt8] {
        let context = try CipherContext()
        guard EVP_DecryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, key.bytes, nonce) == 1 else {
            throw CryptoError.openSSL("AES-GCM decrypt init")
        }
        try context.update(associatedData: associatedData)
        var plaintext = try context.update(ciphertext, encrypting: false)
        var expectedTag = tag
        guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &expectedTag) == 1 else {
            throw CryptoError.openSSL("AES-GCM set tag")
        }
        var finalBytes = [UInt8](repeating: 0, count: 16)
        var finalCount: Int32 = 0
        guard EVP_DecryptFinal_ex(context.pointer, &finalBytes, &finalCount) == 1 else {
            // Never return unauthenticated plaintext; wipe what was decrypted so far.
            for index in plaintext.indices { plaintext[index] = 0 }
            ERR_clear_error()
            throw CryptoError.authenticationFailed
        }
        plaintext += finalBytes.prefix(Int(finalCount))
        return plaintext
    }
}
