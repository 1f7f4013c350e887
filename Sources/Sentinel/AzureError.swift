import Foundation

/// Why an Entra or ARM call failed, sorted by what the caller should do next.
public enum AzureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 409/412: someone else changed the incident since we read it; re-read and re-apply.
    case conflict(code: String, message: String)
    /// 429: wait `retryAfter` seconds (nil when Azure sent no usable Retry-After) and try again.
    case throttled(retryAfter: TimeInterval?, code: String, message: String)
    /// 408, 5xx, timeouts, connection failures: retry with backoff.
    case temporary(String)
    /// 400/401 (after one token refresh)/403/404 and Entra's refusals: retrying will not help;
    /// `code` is ARM's `error.code` (or Entra's `error`).
    case permanent(status: Int, code: String, message: String)

    public var description: String {
        switch self {
        case .conflict(let code, let message): "conflict (\(code)): \(message)"
        case .throttled(let retryAfter, let code, let message): "throttled (\(code), retry after \(retryAfter.map { "\($0) s" } ?? "unknown")): \(message)"
        case .temporary(let reason): "temporary failure: \(reason)"
        case .permanent(let status, let code, let message): "HTTP \(status) \(code): \(message)"
        }
    }

    /// Whether the same request may succeed later without any change.
    public var isRetryable: Bool {
        switch self {
        case .throttled, .temporary: true
        case .conflict, .permanent: false
        }
    }

    /// Classifies an ARM response that was not a success; `now` turns an HTTP-date Retry-After into seconds.
    public static func from(status: Int, body: [UInt8], retryAfter: TimeInterval?) -> AzureError {
        let error = (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["error"] as? [String: Any]
        let code = error?["code"] as? String ?? "HTTP\(status)"
        let message = error?["message"] as? String ?? String(decoding: body.prefix(300), as: UTF8.self)
        switch status {
        case 409, 412: return .conflict(code: code, message: message)
        case 429: return .throttled(retryAfter: retryAfter, code: code, message: message)
        case 408, 500...599: return .temporary("HTTP \(status) \(code): \(message)")
        default: return .permanent(status: status, code: code, message: message)
        }
    }
}
