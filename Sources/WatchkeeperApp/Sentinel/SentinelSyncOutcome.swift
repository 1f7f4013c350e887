import Foundation

/// How one call to Sentinel ended, in the terms the write-back and the poller act on.
enum SentinelSyncOutcome<Value: Sendable>: Sendable {
    case success(Value)
    /// 409 (or 412): our etag is stale; re-read and re-apply.
    case conflict
    /// 429: wait this long (Retry-After) before the next call.
    case throttled(retryAfter: TimeInterval)
    /// 5xx, timeouts, refused connections: try again later with backoff.
    case temporary(String)
    /// 400, 403, 404…: trying again would fail the same way.
    case permanent(String)
}
