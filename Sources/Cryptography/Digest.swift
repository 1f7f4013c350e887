import COpenSSL

/// One-shot message digests through libcrypto's EVP interface.
public enum Digest {
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, algorithm: EVP_sha256(), name: "SHA-256")
    }

    /// SHA-1 is broken for collision resistance; it is here only because provider protocols
    /// (Twilio's request signature) still require it.
    public static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, algorithm: EVP_sha1(), name: "SHA-1")
    }

    /// MD5 is broken for collision resistance; it is here only because Vonage's default webhook
    /// signature ("md5hash") still uses it.
    public static func md5(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, algorithm: EVP_md5(), name: "MD5")
    }

    private static func digest(_ bytes: some Collection<UInt8>, algorithm: OpaquePointer?, name: String) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = bytes.withNonNullBytes { pointer, count in
            EVP_Digest(pointer, count, &output, &length, algorithm, nil)
        }
        // Hashing in memory fails only if libcrypto itself is broken; callers cannot recover.
        guard status == 1 else { fatalError("\(CryptoError.openSSL("\(name) digest"))") }
        return Array(output.prefix(Int(length)))
    }
}
