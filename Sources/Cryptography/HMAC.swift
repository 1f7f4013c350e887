import COpenSSL

/// One-shot HMAC through libcrypto.
public enum HMAC {
    /// HMAC-SHA256 (Vonage signed webhooks, our own outgoing webhooks).
    public static func sha256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        mac(key: key, message: message, algorithm: EVP_sha256(), name: "HMAC-SHA256")
    }

    /// HMAC-SHA1, needed for Twilio's `X-Twilio-Signature` (HMAC-SHA1 remains secure as a MAC).
    public static func sha1(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        mac(key: key, message: message, algorithm: EVP_sha1(), name: "HMAC-SHA1")
    }

    private static func mac(
        key: some Collection<UInt8>, message: some Collection<UInt8>, algorithm: OpaquePointer?, name: String
    ) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withNonNullBytes { keyPointer, keyCount in
            precondition(keyCount <= Int(Int32.max), "HMAC key longer than 2 GiB")
            return message.withNonNullBytes { messagePointer, messageCount in
                // Qualified: inside this module `HMAC` names this enum.
                COpenSSL.HMAC(algorithm, keyPointer, Int32(keyCount), messagePointer, messageCount, &output, &length)
            }
        }
        // An in-memory HMAC fails only if libcrypto itself is broken; callers cannot recover.
        guard result != nil else { fatalError("\(CryptoError.openSSL(name))") }
        return Array(output.prefix(Int(length)))
    }
}
