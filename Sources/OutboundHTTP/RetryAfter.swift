import Foundation

/// A `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Gateways and Azure
/// send it with 429 and 503.
public enum RetryAfter {
    /// Seconds to wait from `now`; nil when absent or unreadable, 0 for a date already past.
    public static func seconds(_ value: String?, now: Date = Date()) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if value.allSatisfy(\.isASCII), value.allSatisfy(\.isNumber) { return TimeInterval(value) }
        guard let date = httpDate.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    private static let httpDate: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }()
}

extension HTTPClientResponse {
    /// This response's `Retry-After`, in seconds from `now`.
    public func retryAfter(now: Date = Date()) -> TimeInterval? { RetryAfter.seconds(header("Retry-After"), now: now) }
}
