import Foundation

/// A 256-bit AES-GCM key. `description`, `debugDescription` and mirrors never show the key.
public struct AESGCMKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let byteCount = 32

    let bytes: [UInt8]

    /// From exactly 32 raw bytes.
    public init(bytes: some Collection<UInt8>) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptoError.invalidKey(reason: "AES-256-GCM key must be \(Self.byteCount) bytes, got \(bytes.count)")
        }
        self.bytes = Array(bytes)
    }

    /// From base64 text in either the standard or the URL-safe alphabet, padded or not;
    /// surrounding whitespace (a trailing newline in a secrets file) is ignored.
    public init(base64 text: String) throws {
        var normalized = String(text.trimmingCharacters(in: .whitespacesAndNewlines).map {
            switch $0 {
            case "+": "-"
            case "/": "_"
            default: $0
            }
        })
        if normalized.hasSuffix("==") { normalized.removeLast(2) } else if normalized.hasSuffix("=") { normalized.removeLast() }
        guard let decoded = Base64URL.decode(normalized) else {
            throw CryptoError.invalidKey(reason: "AES-256-GCM key is not valid base64")
        }
        try self.init(bytes: decoded)
    }

    /// From 64 hex digits; surrounding whitespace is ignored.
    public init(hex text: String) throws {
        guard let decoded = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CryptoError.invalidKey(reason: "AES-256-GCM key is not valid hex")
        }
        try self.init(bytes: decoded)
    }

    /// A fresh key from the CSPRNG.
    public static func generate() -> AESGCMKey {
        AESGCMKey(unchecked: SecureRandom.bytes(byteCount))
    }

    private init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The key as standard padded base64, for writing it once into a secrets file. Deliberately
    /// a method, not `description`, so that it is never printed by accident.
    public func base64EncodedString() -> String {
        Data(bytes).base64EncodedString()
    }

    public var description: String { "AESGCMKey(256 bits, redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
