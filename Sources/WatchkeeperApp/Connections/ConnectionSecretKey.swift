import Cryptography
import Foundation

/// The key that seals connection secrets (AES-256-GCM): base64 of 32 random bytes, from
/// `WATCHKEEPER_SECRET_KEY` or a file named by `--secret-key-file`. Never stored in the database,
/// never printed (`description` is redacted).
public struct ConnectionSecretKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let key: AESGCMKey

    public init(key: AESGCMKey) { self.key = key }

    /// Base64 (standard or URL-safe) of exactly 32 bytes, surrounding whitespace ignored.
    public init(base64 text: String) throws {
        key = try AESGCMKey(base64: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public static func == (lhs: ConnectionSecretKey, rhs: ConnectionSecretKey) -> Bool {
        constantTimeEquals(Array(lhs.key.base64EncodedString().utf8), Array(rhs.key.base64EncodedString().utf8))
    }

    public var description: String { "ConnectionSecretKey(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
