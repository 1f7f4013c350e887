import Cryptography
import Foundation

/// `X-Watchkeeper-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with the
/// Unix timestamp in `X-Watchkeeper-Timestamp`. Signing the timestamp with the body lets a
/// receiver refuse old requests replayed at it (five minutes is the documented tolerance).
public enum WebhookSignature {
    public static let signatureHeader = "X-Watchkeeper-Signature"
    public static let timestampHeader = "X-Watchkeeper-Timestamp"

    public static func sign(body: [UInt8], timestamp: Int, secret: String) -> String {
        "sha256=" + Hex.encode(HMAC.sha256(key: Array(secret.utf8), message: Array("\(timestamp).".utf8) + body))
    }

    /// What a receiver does: constant-time comparison, and the timestamp within `tolerance` of now.
    public static func verify(body: [UInt8], timestamp: String?, signature: String?, secret: String, now: Date,
                              tolerance: TimeInterval = 300) -> Bool {
        guard let timestamp, let seconds = Int(timestamp), let signature,
              abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance else { return false }
        return constantTimeEquals(Array(sign(body: body, timestamp: seconds, secret: secret).utf8), Array(signature.utf8))
    }
}
