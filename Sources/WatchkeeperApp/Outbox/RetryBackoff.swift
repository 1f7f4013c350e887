import Foundation

/// When a temporarily failed message is tried again: 5 s doubling per attempt, capped at 10 min,
/// ±20 % jitter so a provider outage does not end in a burst of retries all at once; the
/// provider's Retry-After wins when it asks for longer. After `maximumAttempts` it is failed.
enum RetryBackoff {
    static let base: TimeInterval = 5
    static let cap: TimeInterval = 600
    static let jitter = 0.2
    static let maximumAttempts = 8

    /// The delay after the `attempts`th attempt failed (1 for the first); `random` in 0...1.
    static func delay(afterAttempt attempts: Int, retryAfter: TimeInterval?, random: Double = Double.random(in: 0...1)) -> TimeInterval {
        let exponent = Double(max(attempts, 1) - 1)
        let nominal = min(base * pow(2, min(exponent, 30)), cap)
        let jittered = nominal * (1 - jitter + 2 * jitter * random)
        if let retryAfter, retryAfter > jittered { return retryAfter }
        return jittered
    }
}
