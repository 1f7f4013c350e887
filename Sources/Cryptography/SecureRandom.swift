import COpenSSL

/// Bytes and tokens from OpenSSL's CSPRNG.
public enum SecureRandom {
    /// `count` random bytes. Crashes if the CSPRNG fails: continuing with predictable
    /// nonces, keys or tokens would be worse than stopping.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "SecureRandom.bytes: invalid count \(count)")
        var output = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return output }
        guard RAND_bytes(&output, Int32(count)) == 1 else {
            fatalError("RAND_bytes failed, refusing to continue without a CSPRNG: \(CryptoError.openSSL("RAND_bytes"))")
        }
        return output
    }

    /// A random token of `bytes` random bytes, base64url without padding (URL- and header-safe).
    public static func token(bytes count: Int = 32) -> String {
        Base64URL.encode(bytes(count))
    }
}
