import COpenSSL
import CShims

/// Errors of the Cryptography module. Messages name the operation and OpenSSL's reason,
/// never key material, plaintext or secrets.
public enum CryptoError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A key could not be parsed or is unsuitable (wrong length, type or size).
    case invalidKey(reason: String)
    /// Sealed data is too short or carries an unknown format version.
    case malformedSealedData(reason: String)
    /// AES-GCM authentication failed: wrong key, wrong associated data, or tampering.
    case authenticationFailed
    /// JWT claims were not a JSON object.
    case invalidClaims(reason: String)
    /// A libcrypto call failed; `reason` is OpenSSL's error string.
    case openSSL(operation: String, reason: String)

    public var description: String {
        switch self {
        case .invalidKey(let reason): "invalid key: \(reason)"
        case .malformedSealedData(let reason): "malformed sealed data: \(reason)"
        case .authenticationFailed: "authentication failed: data, key or associated data do not match"
        case .invalidClaims(let reason): "invalid JWT claims: \(reason)"
        case .openSSL(let operation, let reason): "\(operation) failed: \(reason)"
        }
    }

    /// Builds an `.openSSL` error from the thread's OpenSSL error queue and empties the queue,
    /// so a stale error never gets blamed on a later, unrelated call.
    static func openSSL(_ operation: String) -> CryptoError {
        let code = wk_err_get_error()
        ERR_clear_error()
        guard code != 0 else { return .openSSL(operation: operation, reason: "no OpenSSL error reported") }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .openSSL(operation: operation, reason: reason)
    }
}
